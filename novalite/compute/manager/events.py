"""External events on a compute host (POST /os-server-external-events), as Nova's
InstanceEvents and ComputeVirtAPI.wait_for_instance_event.

Code about to do something another service will report on (plugging a port, which the
network service answers with network-vif-plugged) prepares waiters first, does it, then
waits:

    with self.instance_events.wait_for_instance_event(
            instance, [("network-vif-plugged", port_id)], deadline=300,
            error_callback=self.vif_plugging_failed):
        self.driver.spawn(...)        # the events may come while this runs, or before

The report arrives as the RPC external_instance_event and wakes the waiter. An event
nobody waits for is logged and dropped, as in Nova. The manager acts on some events
itself: network-changed refreshes a server's network info, network-vif-deleted removes
the port's VIF from it. Threads, not eventlet: a waiter is a threading.Event."""

import contextlib
import logging
import threading
import time

from oslo_concurrency import lockutils

from novalite import exception
from novalite.compute.manager.base import ManagerBase
from novalite.db import instances as db_instances
from novalite.objects.external_event import InstanceExternalEvent
from novalite.objects.instance import Instance
from novalite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)
_EARLY_TTL = 30.0  # seconds an event nobody waited for is kept for a waiter to come
_EARLY_MAX = 10000


class _Waiter:
    """One expected (name, tag) of one instance: set once, with the event that came."""

    __slots__ = ("_arrived", "event", "users")

    def __init__(self):
        self._arrived = threading.Event()
        self.event: InstanceExternalEvent | None = None
        self.users = 0  # the waits sharing it (two waits for one event both wake)

    def set(self, event: InstanceExternalEvent) -> None:
        self.event = event
        self._arrived.set()

    def wait(self, timeout: float) -> InstanceExternalEvent | None:
        """The event, or None if it has not come within timeout seconds."""
        return self.event if self._arrived.wait(timeout) else None


def _failed(instance_uuid, name, tag) -> InstanceExternalEvent:
    return InstanceExternalEvent(instance_uuid=instance_uuid, name=name, status="failed",
                                 tag=tag)


class InstanceEvents:
    """The events this host's code waits for, by instance and (name, tag)."""

    def __init__(self):
        self._lock = threading.Lock()
        # None once the service stops: no new waits, every wait ends as failed.
        self._events: dict[str, dict[tuple, _Waiter]] | None = {}
        # network-vif-plugged events that came before anyone waited (a port bound as it is
        # made may be up before its waiter is registered): kept briefly for that waiter.
        self._early: dict[tuple, tuple[InstanceExternalEvent, float]] = {}

    def remember(self, instance, event) -> None:
        if event.name != "network-vif-plugged":
            return
        now = time.monotonic()
        with self._lock:
            self._early = {k: v for k, v in self._early.items() if now - v[1] < _EARLY_TTL}
            if len(self._early) < _EARLY_MAX:
                self._early[(instance.uuid, event.name, event.tag)] = (event, now)

    def prepare_for_instance_event(self, instance, name: str, tag: str | None) -> _Waiter:
        """Register a wait for (name, tag) of the instance; call it BEFORE the action that
        makes the event, which may come back before anyone waits. During shutdown the
        waiter comes back already set with a failed event."""
        with self._lock:
            if self._events is None:
                waiter = _Waiter()
                waiter.set(_failed(instance.uuid, name, tag))
                return waiter
            early = self._early.pop((instance.uuid, name, tag), None)
            if early is not None and time.monotonic() - early[1] < _EARLY_TTL:
                waiter = _Waiter()
                waiter.set(early[0])
                return waiter
            waiter = self._events.setdefault(instance.uuid, {}).setdefault((name, tag),
                                                                          _Waiter())
            waiter.users += 1
        LOG.debug("Preparing to wait for event %s of instance %s",
                  InstanceExternalEvent.make_key(name, tag), instance.uuid)
        return waiter

    def pop_instance_event(self, instance, event) -> _Waiter | None:
        """The waiter for this event (its name and tag), now no longer registered; None
        if nobody waits for it."""
        with self._lock:
            waiters = (self._events or {}).get(instance.uuid)
            waiter = waiters.pop((event.name, event.tag), None) if waiters else None
            if waiters is not None and not waiters:
                del self._events[instance.uuid]
        return waiter

    def cancel_all_events(self) -> None:
        """The service stops: every wait under way ends now with a failed event."""
        with self._lock:
            events, self._events = self._events or {}, None
        for instance_uuid, waiters in events.items():
            for (name, tag), waiter in waiters.items():
                LOG.debug("Canceling in-flight event %s of instance %s",
                          InstanceExternalEvent.make_key(name, tag), instance_uuid)
                waiter.set(_failed(instance_uuid, name, tag))

    def _release(self, instance, waiters: dict) -> None:
        """A wait is over: forget its waiters no other wait shares, so an event that comes
        later finds nobody waiting."""
        with self._lock:
            registered = (self._events or {}).get(instance.uuid)
            for key, waiter in waiters.items():
                if waiter.users > 0:
                    waiter.users -= 1
                if registered is not None and waiter.users == 0 and \
                        registered.get(key) is waiter:
                    del registered[key]
            if registered is not None and not registered:
                del self._events[instance.uuid]

    @contextlib.contextmanager
    def wait_for_instance_event(self, instance, event_names, deadline: float = 300,
                                error_callback=None):
        """Prepare waiters for event_names ([(name, tag), ...]), run the block, then, when
        it ends, wait until all have come or `deadline` seconds (from the block's end)
        have passed.

        An event that does not come in time, or comes with a status other than
        'completed' (failed, in-progress), calls error_callback(key, instance), key being
        '<name>-<tag>'. The callback may raise (the error leaves the `with`), return False
        (wait for no more events) or return anything else (go on waiting for the rest).
        Without a callback, a late event raises exception.InstanceEventTimeout and a failed
        one exception.InstanceEventFailed. If the block raises, nothing is waited for."""
        waiters: dict[tuple, _Waiter] = {}
        for name, tag in event_names:
            if (name, tag) not in waiters:
                waiters[(name, tag)] = self.prepare_for_instance_event(instance, name, tag)
        try:
            yield
            self._wait(instance, waiters, deadline, error_callback)
        finally:
            self._release(instance, waiters)

    @staticmethod
    def _wait(instance, waiters: dict, deadline: float, error_callback) -> None:
        started = time.monotonic()
        for (name, tag), waiter in waiters.items():
            key = InstanceExternalEvent.make_key(name, tag)
            event = waiter.wait(max(0.0, started + deadline - time.monotonic()))
            if event is not None and event.status == "completed":
                continue
            if event is None:
                LOG.warning("Timeout waiting %.1f s for event %s of instance %s (vm_state "
                            "%s, task_state %s)", deadline, key, instance.uuid,
                            instance.vm_state, instance.task_state)
                if error_callback is None:
                    raise exception.InstanceEventTimeout(event=key,
                                                         instance_uuid=instance.uuid)
            else:
                LOG.warning("Event %s of instance %s arrived %s", key, instance.uuid,
                            event.status)
                if error_callback is None:
                    raise exception.InstanceEventFailed(
                        event=key, instance_uuid=instance.uuid, status=event.status)
            if error_callback(key, instance) is False:
                return
        LOG.debug("Waited %.2f s for events %s of instance %s", time.monotonic() - started,
                  ", ".join(InstanceExternalEvent.make_key(*k) for k in waiters),
                  instance.uuid)


class EventsManager(ManagerBase):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance_events = InstanceEvents()

    def cleanup_host(self) -> None:
        self.instance_events.cancel_all_events()
        super().cleanup_host()

    # -- waiting for ports ------------------------------------------------------------------

    def wait_for_vif_plugged(self, instance, port_ids):
        """A wait_for_instance_event for network-vif-plugged of each port, as Nova's libvirt
        driver makes around a spawn: [DEFAULT] vif_plugging_timeout is the deadline (0: no
        event is expected) and vif_plugging_failed the error callback."""
        timeout = self.conf.vif_plugging_timeout
        events = [("network-vif-plugged", port_id) for port_id in port_ids] if timeout else []
        return self.instance_events.wait_for_instance_event(
            instance, events, deadline=timeout, error_callback=self.vif_plugging_failed)

    def vif_plugging_failed(self, event_name, instance) -> None:
        """Nova's _neutron_failed_callback: a port that failed to plug, or whose event did
        not come, fails the server if [DEFAULT] vif_plugging_is_fatal, else is ignored."""
        LOG.error("The network service reported failure or no event %s for instance %s",
                  event_name, instance.uuid)
        if self.conf.vif_plugging_is_fatal:
            raise exception.VirtualInterfaceCreateException()

    # -- the RPC endpoint -------------------------------------------------------------------

    def external_instance_event(self, ctxt, instances, events):
        instances = {values["uuid"]: Instance.from_primitive(values) for values in instances}
        for values in events:
            event = InstanceExternalEvent.from_primitive(values)
            instance = instances[event.instance_uuid]
            LOG.debug("Received event %s (%s) for instance %s", event.key, event.status,
                      instance.uuid)
            try:
                self._handle_event(instance, event)
            except Exception:  # a cast: one event's failure must not drop the others
                LOG.exception("Processing event %s of instance %s failed", event.key,
                              instance.uuid)

    def _handle_event(self, instance, event) -> None:
        if event.name == "network-changed":
            self._refresh_network_info(instance, event)
        elif event.name == "network-vif-deleted":
            self._remove_vif(instance.uuid, event.tag)
        elif event.name in ("power-update", "volume-extended"):
            LOG.info("Event %s of instance %s accepted: nothing on this host acts on it",
                     event.key, instance.uuid)
        else:  # network-vif-plugged, network-vif-unplugged, ...: someone may wait for it
            waiter = self.instance_events.pop_instance_event(instance, event)
            if waiter is None:
                LOG.debug("No one waits for event %s of instance %s (vm_state %s, "
                          "task_state %s) yet", event.key, instance.uuid,
                          instance.vm_state, instance.task_state)
                self.instance_events.remember(instance, event)
            else:
                waiter.set(event)

    def _network_info_lock(self, instance_uuid):
        """Held while an event rewrites a server's network_info: Nova's refresh_cache lock,
        not the instance's lock, which a build holds while it waits for
        network-vif-plugged (the RPC workers must stay free to deliver it)."""
        return lockutils.lock("network-info-%s-%s" % (self.host, instance_uuid))

    def _refresh_network_info(self, instance, event) -> None:
        """The network API's view of the server's ports becomes its network_info."""
        refresh = getattr(self.network_api, "refresh_network_info", None)
        if refresh is None:
            LOG.debug("Event %s of instance %s ignored: the network API has no network "
                      "info to refresh", event.key, instance.uuid)
            return
        with self._network_info_lock(instance.uuid):
            try:
                instance = db_instances.get(self.database, instance.uuid)
                network_info = refresh(instance)
                if network_info is not None and network_info != instance.network_info:
                    db_instances.update(self.database, instance.uuid,
                                        {"network_info": network_info})
            except exception.NotFound as e:
                LOG.info("Refreshing the network info of instance %s failed: %s",
                         instance.uuid, e)

    def _remove_vif(self, instance_uuid: str, port_id: str | None) -> None:
        """The network service deleted a port: its VIF leaves the server (detached from
        the guest when the driver can), and its network_info is saved without it."""
        if port_id is None:
            return
        with self._network_info_lock(instance_uuid):
            try:
                instance = db_instances.get(self.database, instance_uuid)
            except exception.InstanceNotFound:
                LOG.info("Instance %s is gone: port %s has nothing to leave", instance_uuid,
                         port_id)
                return
            removed = [vif for vif in instance.network_info if vif.get("id") == port_id]
            if not removed:
                LOG.debug("Instance %s has no VIF of port %s", instance_uuid, port_id)
                return
            LOG.info("The network service deleted port %s: detaching it from instance %s",
                     port_id, instance_uuid)
            for vif in removed:
                try:
                    self.driver.detach_interface(instance, vif)
                except NotImplementedError:
                    pass
                except virt_driver.HypervisorError as e:  # the VIF leaves network_info
                    LOG.warning("Could not detach port %s from instance %s: %s", port_id,
                                instance_uuid, e)
            kept = [vif for vif in instance.network_info if vif.get("id") != port_id]
            with contextlib.suppress(exception.InstanceNotFound):
                db_instances.update(self.database, instance_uuid, {"network_info": kept})
