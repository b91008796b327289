"""What the scheduler knows of each compute host: capacity and usage from compute_nodes,
liveness from services."""

import dataclasses
import datetime

from novalite.db import aggregates as db_aggregates
from novalite.db import compute_nodes as db_nodes
from novalite.db import services as db_services
from novalite.objects.base import utcnow


@dataclasses.dataclass
class HostState:
    host: str
    availability_zone: str
    up: bool
    disabled: bool
    vcpus: int
    vcpus_used: int
    memory_mb: int
    memory_mb_used: int
    local_gb: int
    local_gb_used: int
    cpu_allocation_ratio: float
    ram_allocation_ratio: float
    disk_allocation_ratio: float
    num_instances: int = 0
    updated_at: datetime.datetime | None = None

    @property
    def free_ram_mb(self) -> float:
        return self.memory_mb * self.ram_allocation_ratio - self.memory_mb_used

    @property
    def free_disk_gb(self) -> float:
        return self.local_gb * self.disk_allocation_ratio - self.local_gb_used

    @property
    def free_vcpus(self) -> float:
        return self.vcpus * self.cpu_allocation_ratio - self.vcpus_used

    def consume(self, flavor) -> None:
        """Count an instance placed here, so later picks in the same request see it."""
        self.vcpus_used += flavor.vcpus
        self.memory_mb_used += flavor.memory_mb
        self.local_gb_used += flavor.root_gb + flavor.ephemeral_gb
        self.num_instances += 1


def service_is_up(service, down_time: int, now=None) -> bool:
    if service.forced_down or service.last_seen_up is None:
        return False
    now = now or utcnow()
    return now - service.last_seen_up <= datetime.timedelta(seconds=down_time)


def get_host_states(conf, database) -> list[HostState]:
    services = {s.host: s for s in db_services.list_(database, binary="novalite-compute")}
    zones = db_aggregates.host_zones(database)
    now = utcnow()
    states = []
    for node in db_nodes.list_(database):
        service = services.get(node.host)
        if service is None:
            continue
        states.append(HostState(
            host=node.host,
            availability_zone=zones.get(node.host, conf.default_availability_zone),
            up=service_is_up(service, conf.service_down_time, now),
            disabled=service.disabled, vcpus=node.vcpus, vcpus_used=node.vcpus_used,
            memory_mb=node.memory_mb, memory_mb_used=node.memory_mb_used,
            local_gb=node.local_gb, local_gb_used=node.local_gb_used,
            cpu_allocation_ratio=node.cpu_allocation_ratio,
            ram_allocation_ratio=node.ram_allocation_ratio,
            disk_allocation_ratio=node.disk_allocation_ratio,
            num_instances=node.running_vms, updated_at=node.updated_at))
    return states
