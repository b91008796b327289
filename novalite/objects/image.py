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
    checksum: str | None = None  # MD5 of the stored bytes, as Glance
    os_hash_algo: str | None = None
    os_hash_value: str | None = None
    protected: bool = False
    tags: list = dataclasses.field(default_factory=list)
    os_hidden: bool = False  # left out of default listings, as Glance
    virtual_size: int | None = None  # the guest's disk size, read from the data's header


@dataclasses.dataclass
class ImageMember(Primitive):
    image_id: str
    member_id: str  # a project id
    status: str = "pending"  # pending, accepted or rejected
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
