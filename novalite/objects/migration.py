import dataclasses
import datetime

from novalite.objects.base import Primitive
from novalite.objects.flavor import Flavor

# Statuses after which a migration holds no claim on either host (Nova's).
FINISHED_STATUSES = frozenset({"confirmed", "reverted", "error", "failed", "completed",
                               "done", "cancelled"})


@dataclasses.dataclass
class Migration(Primitive):
    """One move of a server: its type (resize, migration, live-migration, evacuation),
    where from and to, the flavors before and after, and how far it got."""

    instance_uuid: str
    migration_type: str
    status: str
    uuid: str = ""
    source_compute: str | None = None
    source_node: str | None = None
    dest_compute: str | None = None
    dest_node: str | None = None
    dest_host: str | None = None
    old_flavor: Flavor | None = None
    new_flavor: Flavor | None = None
    user_id: str | None = None
    project_id: str | None = None
    memory_total: int | None = None
    memory_processed: int | None = None
    memory_remaining: int | None = None
    disk_total: int | None = None
    disk_processed: int | None = None
    disk_remaining: int | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    id: int | None = None

    _nested = {"old_flavor": Flavor, "new_flavor": Flavor}

    @property
    def in_progress(self) -> bool:
        return self.status not in FINISHED_STATUSES

    @property
    def is_resize(self) -> bool:
        """A resize proper (a new flavor), not a cold migration with the same one."""
        return self.migration_type == "resize"
