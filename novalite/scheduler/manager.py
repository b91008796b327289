"""The scheduler manager: select_destinations for a request's instances, all or nothing."""

import logging
import threading

import oslo_messaging as messaging

from novalite import exception
from novalite.objects.base import utcnow
from novalite.objects.request_spec import RequestSpec
from novalite.scheduler import filters, host_state, weighers

LOG = logging.getLogger(__name__)


class SchedulerManager:
    target = messaging.Target(version="1.0")

    def __init__(self, conf, database, messaging_=None, host: str | None = None):
        self.conf = conf
        self.database = database
        self.filters = filters.load(conf.scheduler.enabled_filters)
        self.weighers = weighers.load(conf, conf.scheduler.weighers)
        # Selections are made one request at a time, so two requests never both count the
        # same free capacity.
        self._lock = threading.Lock()
        # host -> [(when, flavor)] placed here but maybe not yet claimed by the host: counted
        # on top of the host's last report until a later report includes them.
        self._pending: dict[str, list] = {}

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
            for state in states:
                pending = [(when, flavor) for when, flavor in self._pending.get(state.host, [])
                           if state.updated_at is None or when >= state.updated_at]
                self._pending[state.host] = pending
                for _when, flavor in pending:
                    state.consume(flavor)
            hosts = self.select(spec, states, len(instance_uuids))
            now = utcnow()
            for host in hosts:
                self._pending.setdefault(host, []).append((now, spec.flavor))
            return hosts

    def select(self, spec, states, count: int) -> list[str]:
        chosen = []
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
