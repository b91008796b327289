"""Host aggregates as Nova's os-aggregates API has them (admin only), and the availability
zones they define: an aggregate with `availability_zone` metadata puts its hosts in that
zone; hosts in no such aggregate are in [DEFAULT] default_availability_zone."""

import sqlalchemy as sa

from novalite import exception
from novalite.db import aggregates as db_aggregates
from novalite.db import services as db_services
from novalite.db.models import instances

AZ_KEY = db_aggregates.AZ_KEY


class AggregateAPI:
    def __init__(self, conf, database):
        self.conf = conf
        self.database = database

    def list(self, ctxt):
        ctxt.can("os_compute_api:os-aggregates:index")
        return db_aggregates.list_(self.database)

    def get(self, ctxt, aggregate_id: int):
        ctxt.can("os_compute_api:os-aggregates:show")
        return db_aggregates.get(self.database, aggregate_id)

    def create(self, ctxt, name: str, availability_zone: str | None):
        ctxt.can("os_compute_api:os-aggregates:create")
        self._check_zone_name(availability_zone)
        metadata = {AZ_KEY: availability_zone} if availability_zone else {}
        return db_aggregates.create(self.database, name, metadata)

    def update(self, ctxt, aggregate_id: int, name=None, availability_zone=None):
        ctxt.can("os_compute_api:os-aggregates:update")
        aggregate = db_aggregates.get(self.database, aggregate_id)
        metadata = None
        if availability_zone is not None:
            self._check_zone_change(aggregate, availability_zone)
            metadata = {AZ_KEY: availability_zone}
        db_aggregates.update(self.database, aggregate_id, name=name, metadata=metadata)
        return db_aggregates.get(self.database, aggregate_id)

    def set_metadata(self, ctxt, aggregate_id: int, metadata: dict):
        ctxt.can("os_compute_api:os-aggregates:set_metadata")
        aggregate = db_aggregates.get(self.database, aggregate_id)
        if AZ_KEY in metadata:
            self._check_zone_change(aggregate, metadata[AZ_KEY])
        db_aggregates.update(self.database, aggregate_id, metadata=metadata)
        return db_aggregates.get(self.database, aggregate_id)

    def delete(self, ctxt, aggregate_id: int) -> None:
        ctxt.can("os_compute_api:os-aggregates:delete")
        aggregate = db_aggregates.get(self.database, aggregate_id)
        if aggregate.hosts:
            raise exception.Invalid("Cannot remove aggregate %s: it still has hosts %s."
                                    % (aggregate_id, ", ".join(aggregate.hosts)))
        db_aggregates.delete(self.database, aggregate_id)

    def add_host(self, ctxt, aggregate_id: int, host: str):
        ctxt.can("os_compute_api:os-aggregates:add_host")
        aggregate = db_aggregates.get(self.database, aggregate_id)
        if not db_services.list_(self.database, host=host, binary="novalite-compute"):
            raise exception.ComputeHostNotFound(host=host)
        zone = aggregate.availability_zone
        current = db_aggregates.host_zones(self.database).get(host)
        if zone and current and current != zone:
            # As Nova: a host is in one availability zone at a time.
            raise exception.Invalid(
                "Cannot add host %s to aggregate %s. Reason: One or more hosts already in "
                "availability zone(s) [%s]." % (host, aggregate_id, current))
        db_aggregates.add_host(self.database, aggregate_id, host)
        return db_aggregates.get(self.database, aggregate_id)

    def remove_host(self, ctxt, aggregate_id: int, host: str):
        ctxt.can("os_compute_api:os-aggregates:remove_host")
        db_aggregates.get(self.database, aggregate_id)
        db_aggregates.remove_host(self.database, aggregate_id, host)
        return db_aggregates.get(self.database, aggregate_id)

    # -- availability zone rules ------------------------------------------------------------

    def _check_zone_name(self, zone) -> None:
        if zone is not None and zone == self.conf.internal_service_availability_zone:
            raise exception.Invalid("Aggregates cannot use the internal availability zone "
                                    "'%s'." % zone)

    def _check_zone_change(self, aggregate, zone) -> None:
        self._check_zone_name(zone)
        if zone == aggregate.availability_zone or not aggregate.hosts:
            return
        # Servers keep the zone they were built in: moving their hosts would lie about it.
        with self.database.reader() as conn:
            busy = conn.execute(sa.select(instances.c.uuid).where(
                instances.c.host.in_(aggregate.hosts), instances.c.deleted == 0)
                .limit(1)).first()
        if busy is not None:
            raise exception.Invalid(
                "Cannot change the availability zone of aggregate %s: its hosts have "
                "instances." % aggregate.id)
        zones = db_aggregates.host_zones(self.database)
        others = {zones[h] for h in aggregate.hosts
                  if h in zones and zones[h] != aggregate.availability_zone}
        if zone and others - {zone}:
            raise exception.Invalid(
                "Cannot set availability zone %s on aggregate %s: its hosts are already in "
                "availability zone(s) [%s]." % (zone, aggregate.id, ", ".join(sorted(others))))

    def host_zone(self, host: str, zones: dict | None = None) -> str:
        zones = db_aggregates.host_zones(self.database) if zones is None else zones
        return zones.get(host, self.conf.default_availability_zone)
