"""A host aggregate: a named group of compute hosts with metadata (availability_zone)."""

import dataclasses
import datetime

from novalite.objects.base import Primitive


@dataclasses.dataclass
class Aggregate(Primitive):
    id: int
    uuid: str
    name: str
    hosts: list = dataclasses.field(default_factory=list)
    metadata: dict = dataclasses.field(default_factory=dict)
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None

    @property
    def availability_zone(self) -> str | None:
        return self.metadata.get("availability_zone")
