"""The scheduler manager: select_destinations for a request's instances, all or nothing."""

import datetime
import logging
import threading

import oslo_messaging as messaging

from novalite import exception
from novalite.db import instances as db_instances
from novalite.objects.base import utcnow
from novalite.objects.request_spec import RequestSpec
from novalite.scheduler import filters, host_state, weighers

LOG = logging.getLogger(__name__)

PENDING_TTL = datetime.timedelta(minutes=5)


class SchedulerManager:
    target = messaging.Target(version="1.0")

    def __init__(self, conf, database, messaging_=None, host: str | None = None):
        self.conf = conf
        self.database = database
        self.filters = filters.load(conf.scheduler.enabled_filters)
        self.weighers = weighers.load(conf, conf.scheduler.weighers, database)
        # Selections are made one request at a time, so two requests never both count the
        # same free capacity.
        self._lock = threading.Lock()
        # instance uuid -> (host, flavor, when): placed there but maybe not yet claimed by
        # that host, so counted on top of the host's last report until the host takes it.
        self._pending: dict[str, tuple] = {}

    def init_host(self) -> None:
        pass

    def cleanup_host(self) -> None:
        pass

    def periodic_tasks(self):
        return []

    @messaging.expected_exceptions(exception.NoValidHost)  # an answer, not a server error
    def select_destinations(self, ctxt, request_spec, instance_uuids):
        spec = RequestSpec.from_primitive(request_spec)
        with self._lock:
            states = host_state.get_host_states(self.conf, self.database)
            self._forget_claimed()
            by_host = {state.host: state for state in states}
            for host, flavor, _when in self._pending.values():
                if host in by_host:
                    by_host[host].consume(flavor)
            hosts = self.select(spec, states, len(instance_uuids))
            now = utcnow()
            for instance_uuid, host in zip(instance_uuids, hosts, strict=True):
                self._pending[instance_uuid] = (host, spec.flavor, now)
            return hosts

    def _forget_claimed(self) -> None:
        """Drop placements the hosts have taken (their reports count them now), and any
        older than PENDING_TTL (a lost message must not hold capacity forever)."""
        if not self._pending:
            return
        settled = db_instances.get_settled(self.database, list(self._pending))
        cutoff = utcnow() - PENDING_TTL
        for instance_uuid, (_host, _flavor, when) in list(self._pending.items()):
            if instance_uuid in settled or when < cutoff:
                del self._pending[instance_uuid]

    def select(self, spec, states, count: int) -> list[str]:
        chosen = []
        if spec.force_hosts:
            states = [h for h in states if h.host in spec.force_hosts]
        for _ in range(count):
            passing = [h for h in states if all(f.host_passes(h, spec) for f in self.filters)]
            if not passing:
                LOG.info("No host for %d instance(s) of flavor %s (%d hosts known)",
                         count, spec.flavor.name, len(states))
                raise exception.NoValidHost(reason="There are not enough hosts available.")
            best = weighers.weigh(self.weighers, passing, spec)[0]
            best.consume(spec.flavor)
            chosen.append(best.host)
        return chosen
