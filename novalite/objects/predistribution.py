"""An image pre-distribution job: one image pushed into several compute hosts' caches."""

import dataclasses
import datetime

from novalite.objects.base import Primitive


@dataclasses.dataclass
class HostProgress(Primitive):
    host: str
    state: str = "pending"  # pending|downloading|done|already_cached|error|cancelled
    bytes_done: int = 0
    bytes_total: int | None = None
    message: str | None = None


@dataclasses.dataclass
class Job(Primitive):
    id: str
    image_id: str
    status: str = "pending"  # pending|running|done|error|cancelled
    project_id: str | None = None
    user_id: str | None = None
    hosts: list = dataclasses.field(default_factory=list)
    created_at: datetime.datetime | None = None
    started_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None

    @property
    def progress(self) -> float:
        """Percent of the hosts' bytes in place (finished hosts count as whole)."""
        if not self.hosts:
            return 100.0
        total = 0.0
        for h in self.hosts:
            if h.state in ("done", "already_cached", "error", "cancelled"):
                total += 1.0
            elif h.bytes_total:
                total += min(1.0, h.bytes_done / h.bytes_total)
        return round(100.0 * total / len(self.hosts), 1)
