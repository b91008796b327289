"""External events (POST /os-server-external-events): another service tells compute about
a server's ports or volumes, as Nova's compute API external_instance_event. Each event is
judged on its own (its server unknown, not on a host, a needed tag missing); the accepted
ones are grouped by host and cast to each host's compute manager
(compute/manager/events.py), to both hosts of a server being moved."""

import collections
import logging

from novalite.compute.api.base import ComputeAPIBase
from novalite.compute.states import vm_states
from novalite.db import instances as db_instances
from novalite.db import server_migrations as db_migrations
from novalite.objects.external_event import (
    ACCEPTED,
    MISSING_TAG,
    NO_HOST,
    POWER_OFF,
    POWER_ON,
    UNKNOWN_INSTANCE,
    InstanceExternalEvent,
)

LOG = logging.getLogger(__name__)

# Events that mean nothing without their tag (Nova's TAG_REQUIRED).
TAG_REQUIRED = frozenset({"volume-extended", "power-update", "accelerator-request-bound"})


class ExternalEventActions(ComputeAPIBase):
    def external_instance_event(self, ctxt, events: list[InstanceExternalEvent]
                                ) -> list[str]:
        """Deliver the events that can be. -> one outcome per event, in order: ACCEPTED,
        UNKNOWN_INSTANCE (no such live server, whatever its project), NO_HOST (not on a
        host now: nowhere to deliver it) or MISSING_TAG."""
        ctxt.can("os_compute_api:os-server-external-events:create", {})
        wanted = list(dict.fromkeys(e.instance_uuid for e in events))
        # A service API: servers of every project, in one query.
        instances = {i.uuid: i for i in db_instances.get_many(self.database, wanted)}
        outcomes = []
        accepted: dict[str, list[InstanceExternalEvent]] = collections.defaultdict(list)
        for event in events:
            instance = instances.get(event.instance_uuid)
            if instance is None:
                LOG.debug("Dropping event %s for unknown instance %s", event.key,
                          event.instance_uuid)
                outcomes.append(UNKNOWN_INSTANCE)
            elif event.name in TAG_REQUIRED and event.tag is None:
                LOG.debug("Event %s for instance %s has no tag: dropped", event.name,
                          instance.uuid)
                outcomes.append(MISSING_TAG)
            elif not instance.host:
                LOG.debug("Instance %s is on no host: dropping event %s", instance.uuid,
                          event.key)
                outcomes.append(NO_HOST)
            else:
                LOG.info("Creating event %s for instance %s on %s", event.key,
                         instance.uuid, instance.host)
                outcomes.append(ACCEPTED)
                accepted[instance.uuid].append(event)
        self._dispatch(ctxt, [instances[u] for u in accepted], accepted)
        return outcomes

    def _dispatch(self, ctxt, instances, events_of: dict) -> None:
        """One cast per host, with its instances and their events."""
        instances_by_host = collections.defaultdict(list)
        events_by_host = collections.defaultdict(list)
        for instance in instances:
            events = [e for e in events_of[instance.uuid] if self._deliverable(e)]
            if not events:
                continue
            for host in self._relevant_hosts(instance):
                instances_by_host[host].append(instance)
                events_by_host[host].extend(events)
        for host, host_instances in instances_by_host.items():
            self.compute_rpc.external_instance_event(ctxt, host, host_instances,
                                                     events_by_host[host])

    @staticmethod
    def _deliverable(event) -> bool:
        if event.name == "power-update" and event.tag not in (POWER_ON, POWER_OFF):
            LOG.warning("Invalid power state %s: event %s of instance %s skipped",
                        event.tag, event.name, event.instance_uuid)
            return False
        return True

    def _relevant_hosts(self, instance) -> list[str]:
        """The server's host, and, while it moves (a migration not finished), both ends
        of the move: a port is bound on either during it (Nova's _get_relevant_hosts)."""
        hosts = [instance.host]
        if instance.task_state is not None or instance.vm_state == vm_states.RESIZED:
            for migration in db_migrations.for_instance(self.database, instance.uuid):
                if migration.in_progress:
                    hosts += [migration.source_compute, migration.dest_compute]
                    LOG.debug("Instance %s is migrating: its events go to %s",
                              instance.uuid, ", ".join(h for h in hosts if h))
                    break
        return [h for h in dict.fromkeys(hosts) if h]
