"""The host's capacity and usage: claims against it, and the compute_nodes row the scheduler
reads."""

import logging
import threading

from novalite import exception
from novalite.db import compute_nodes as db_nodes
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.objects.host import ComputeNode
from novalite.objects.migration import FINISHED_STATUSES

LOG = logging.getLogger(__name__)


def migration_key(migration_id: int) -> str:
    """The tracker's key for what a move in progress holds on a host."""
    return "migration-%d" % migration_id


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
        claimed = self.counted_from_rows()
        with self.lock:
            self.claimed = claimed
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

    def counted_from_rows(self) -> dict:
        """What this host holds by the database: its instances, and the moves in progress
        from or to it."""
        on_host = db_instances.get_by_host(self.database, self.host)
        moving = db_migrations.in_progress_on_host(self.database, self.host)
        claimed = {i.uuid: i.flavor for i in on_host}
        claimed.update(self._migration_claims(moving, on_host))
        return claimed

    def update_move(self, instance, migration) -> None:
        """After one step of a move: what the instance and its migration hold here, by the
        full recount's rules applied to these two keys alone (a resize wave would otherwise
        read every instance on the host at every step). The node row is written only when
        the totals change. The other host of the move counts on as it did: a source keeps
        the old flavor under the server's uuid after the destination's finish (so one
        running_vms too many) until its confirm, revert or next periodic recount, as Nova's
        source does."""
        keys = (instance.uuid, migration_key(migration.id))
        here = [instance] if instance.host == self.host and not instance.deleted else []
        moving = [] if migration.status in FINISHED_STATUSES else [migration]
        with self.lock:
            node = self.node
            before = (node.vcpus_used, node.memory_mb_used, node.local_gb_used,
                      node.running_vms)
            for key in keys:
                self.claimed.pop(key, None)
            self.claimed.update({i.uuid: i.flavor for i in here})
            self.claimed.update(self._migration_claims(moving, here))
            self._count_usage(node)
            if (node.vcpus_used, node.memory_mb_used, node.local_gb_used,
                    node.running_vms) != before:
                db_nodes.save(self.database, node)

    def _migration_claims(self, moving, on_host) -> dict:
        """What unfinished moves hold here beyond the instances' own flavors: the new
        flavor on a destination not yet the instance's host (until a revert hands it
        back), the old one on a source that no longer is; on one host, both (as Nova's
        tracker counts them)."""
        here = {i.uuid: i for i in on_host}
        claims = {}
        for m in moving:
            instance = here.get(m.instance_uuid)
            if instance is None:
                if m.dest_compute == self.host and m.status == "reverting":
                    continue  # the destination's guest is gone: the source has it again
                flavor = m.new_flavor if m.dest_compute == self.host else m.old_flavor
            elif m.source_compute == m.dest_compute == self.host and m.new_flavor:
                # The other flavor of the two: the new before the finish, the old after.
                flavor = m.old_flavor if instance.flavor.flavorid == \
                    m.new_flavor.flavorid else m.new_flavor
            else:
                continue
            if flavor is not None:
                claims[migration_key(m.id)] = flavor
        return claims

    def _count_usage(self, node: ComputeNode) -> None:
        flavors = list(self.claimed.values())
        node.vcpus_used = sum(f.vcpus for f in flavors)
        node.memory_mb_used = sum(f.memory_mb for f in flavors)
        node.local_gb_used = sum(f.root_gb + f.ephemeral_gb + (f.swap + 1023) // 1024
                                 for f in flavors)
        node.running_vms = sum(1 for key in self.claimed if not key.startswith("migration-"))

    def instance_claim(self, instance) -> None:
        """Count the instance against this host, or raise ComputeResourcesUnavailable."""
        self.claim(instance.uuid, instance.flavor)

    def claim(self, key: str, flavor) -> None:
        """Count `flavor` under `key` (an instance's uuid, or migration_key(id) for a move
        in progress), or raise ComputeResourcesUnavailable."""
        with self.lock:
            node = self.node
            if key in self.claimed:
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
            self.claimed[key] = flavor
            self._count_usage(node)
            db_nodes.save(self.database, node)

    def move_claim(self, from_key: str, to_key: str, flavor) -> None:
        """What `from_key` held is now held under `to_key` as `flavor` (a reverted or
        confirmed move: no new capacity is checked, it was held already)."""
        with self.lock:
            self.claimed.pop(from_key, None)
            self.claimed[to_key] = flavor
            self._count_usage(self.node)
            db_nodes.save(self.database, self.node)

    def release(self, key: str) -> None:
        with self.lock:
            if self.claimed.pop(key, None) is None:
                return
            self._count_usage(self.node)
            db_nodes.save(self.database, self.node)
