import dataclasses
import datetime

from novalite.objects.base import Primitive
from novalite.objects.flavor import Flavor


@dataclasses.dataclass
class InstanceFault(Primitive):
    code: int
    message: str
    details: str | None = None
    created_at: datetime.datetime | None = None


@dataclasses.dataclass
class Instance(Primitive):
    uuid: str
    project_id: str
    user_id: str
    display_name: str
    flavor: Flavor
    image_ref: str = ""
    vm_state: str = "building"
    task_state: str | None = "scheduling"
    power_state: int = 0
    host: str | None = None
    node: str | None = None
    availability_zone: str | None = None
    requested_availability_zone: str | None = None
    display_description: str | None = None
    key_name: str | None = None
    key_data: str | None = None
    user_data: str | None = None
    metadata: dict = dataclasses.field(default_factory=dict)
    tags: list = dataclasses.field(default_factory=list)
    network_info: list = dataclasses.field(default_factory=list)
    requested_networks: str | list | None = None
    security_groups: list = dataclasses.field(default_factory=list)  # asked for at boot
    reservation_id: str = ""
    launch_index: int = 0
    hostname: str = ""
    config_drive: str = ""
    access_ip_v4: str | None = None
    access_ip_v6: str | None = None
    locked: bool = False
    locked_reason: str | None = None
    locked_by: str | None = None
    system_metadata: dict = dataclasses.field(default_factory=dict)
    kernel_id: str = ""
    ramdisk_id: str = ""
    root_device_name: str | None = None
    progress: int = 0
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    launched_at: datetime.datetime | None = None
    terminated_at: datetime.datetime | None = None
    deleted_at: datetime.datetime | None = None
    deleted: bool = False
    fault: InstanceFault | None = None
    id: int | None = None

    _nested = {"flavor": Flavor, "fault": InstanceFault}

    @property
    def name(self) -> str:
        """The hypervisor-side name, as Nova's instance_name_template."""
        return "instance-%08x" % (self.id or 0)
