"""Services (their heartbeats) and compute nodes (their capacity and usage)."""

import dataclasses
import datetime

from novalite.objects.base import Primitive


@dataclasses.dataclass
class Service(Primitive):
    uuid: str
    host: str
    binary: str
    topic: str
    disabled: bool = False
    disabled_reason: str | None = None
    forced_down: bool = False
    report_count: int = 0
    last_seen_up: datetime.datetime | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    id: int | None = None


@dataclasses.dataclass
class ComputeNode(Primitive):
    uuid: str
    host: str
    hypervisor_hostname: str
    hypervisor_type: str = "fake"
    hypervisor_version: int = 1000
    host_ip: str = "127.0.0.1"
    vcpus: int = 0
    memory_mb: int = 0
    local_gb: int = 0
    vcpus_used: int = 0
    memory_mb_used: int = 0
    local_gb_used: int = 0
    running_vms: int = 0
    cpu_allocation_ratio: float = 4.0
    ram_allocation_ratio: float = 1.0
    disk_allocation_ratio: float = 1.0
    updated_at: datetime.datetime | None = None
    id: int | None = None
