"""The host's capacity and usage: claims against it, and the compute_nodes row the scheduler
reads."""

import logging
import threading

from novalite import exception
from novalite.db import compute_nodes as db_nodes
from novalite.db import instances as db_instances
from novalite.objects.host import ComputeNode

LOG = logging.getLogger(__name__)


class ResourceTracker:
    def __init__(self, conf, database, host: str, driver):
        self.conf = conf
        self.database = database
        self.host = host
        self.driver = driver
        self.lock = threading.Lock()
        self.node: ComputeNode | None = None
        self.claimed: dict[str, object] = {}  # uuid -> flavor of instances counted as usage

    def update_available_resource(self) -> None:
        """Recount usage from the instances on this host and write the node row."""
        resources = self.driver.get_available_resource()
        on_host = db_instances.get_by_host(self.database, self.host)
        with self.lock:
            self.claimed = {i.uuid: i.flavor for i in on_host}
            node = self.node or ComputeNode(uuid="", host=self.host,
                                            hypervisor_hostname=resources["hypervisor_hostname"])
            node.hypervisor_type = resources["hypervisor_type"]
            node.hypervisor_version = resources["hypervisor_version"]
            node.host_ip = resources["host_ip"]
            node.vcpus = resources["vcpus"]
            node.memory_mb = resources["memory_mb"]
            node.local_gb = resources["local_gb"]
            node.cpu_allocation_ratio = self.conf.compute.cpu_allocation_ratio
            node.ram_allocation_ratio = self.conf.compute.ram_allocation_ratio
            node.disk_allocation_ratio = self.conf.compute.disk_allocation_ratio
            self._count_usage(node)
            self.node = db_nodes.save(self.database, node)

    def _count_usage(self, node: ComputeNode) -> None:
        flavors = list(self.claimed.values())
        node.vcpus_used = sum(f.vcpus for f in flavors)
        node.memory_mb_used = sum(f.memory_mb for f in flavors)
        node.local_gb_used = sum(f.root_gb + f.ephemeral_gb + (f.swap + 1023) // 1024
                                 for f in flavors)
        node.running_vms = len(flavors)

    def instance_claim(self, instance) -> None:
        """Count the instance against this host, or raise ComputeResourcesUnavailable."""
        flavor = instance.flavor
        with self.lock:
            node = self.node
            if instance.uuid in self.claimed:
                return
            disk = flavor.root_gb + flavor.ephemeral_gb + (flavor.swap + 1023) // 1024
            checks = (
                ("vcpus", flavor.vcpus, node.vcpus_used, node.vcpus * node.cpu_allocation_ratio),
                ("memory", flavor.memory_mb, node.memory_mb_used,
                 node.memory_mb * node.ram_allocation_ratio),
                ("disk", disk, node.local_gb_used, node.local_gb * node.disk_allocation_ratio),
            )
            for name, wanted, used, limit in checks:
                if used + wanted > limit:
                    raise exception.ComputeResourcesUnavailable(
                        reason="%s: requested %s, free %s" % (name, wanted, limit - used))
            self.claimed[instance.uuid] = flavor
            self._count_usage(node)
            db_nodes.save(self.database, node)

    def release(self, instance_uuid: str) -> None:
        with self.lock:
            if self.claimed.pop(instance_uuid, None) is None:
                return
            self._count_usage(self.node)
            db_nodes.save(self.database, self.node)
