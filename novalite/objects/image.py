import dataclasses
import datetime

from novalite.objects.base import Primitive


@dataclasses.dataclass
class Image(Primitive):
    id: str
    name: str
    status: str = "active"
    owner: str | None = None
    visibility: str = "public"
    size: int | None = None
    min_disk: int = 0
    min_ram: int = 0
    disk_format: str | None = "raw"
    container_format: str | None = "bare"
    properties: dict = dataclasses.field(default_factory=dict)
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
