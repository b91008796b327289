"""InstanceEvents: waiters prepared before an action, woken by the external events it
causes, whether they come before the wait starts or during it; a late or failed event calls
the error callback (by default: an exception)."""

import threading
import time
import types
import uuid

import pytest

from novalite import exception
from novalite.compute.manager.events import EventsManager, InstanceEvents
from novalite.objects.external_event import InstanceExternalEvent

PLUGGED = "network-vif-plugged"


@pytest.fixture
def events():
    return InstanceEvents()


@pytest.fixture
def instance():
    return types.SimpleNamespace(uuid=str(uuid.uuid4()), vm_state="building",
                                 task_state="spawning")


def _deliver(events, instance, name, tag, status="completed") -> bool:
    """What the RPC endpoint does with an event: pop its waiter and wake it."""
    event = InstanceExternalEvent(instance_uuid=instance.uuid, name=name, status=status,
                                  tag=tag)
    waiter = events.pop_instance_event(instance, event)
    if waiter is None:
        return False
    waiter.set(event)
    return True


def _later(delay, fn, *args):
    thread = threading.Timer(delay, fn, args)
    thread.start()
    return thread


def test_an_event_that_comes_during_the_action_ends_the_wait_at_once(events, instance):
    started = time.monotonic()
    with events.wait_for_instance_event(instance, [(PLUGGED, "p1"), (PLUGGED, "p2")],
                                        deadline=5):
        # The network service answers while the guest is still being spawned.
        assert _deliver(events, instance, PLUGGED, "p2")
        assert _deliver(events, instance, PLUGGED, "p1")
    assert time.monotonic() - started < 1


def test_the_wait_lasts_until_an_event_that_comes_after_the_action(events, instance):
    calls = []
    started = time.monotonic()
    timer = _later(0.3, _deliver, events, instance, PLUGGED, "p1")
    with events.wait_for_instance_event(instance, [(PLUGGED, "p1")], deadline=5,
                                        error_callback=lambda *a: calls.append(a)):
        pass
    timer.join()
    assert 0.3 <= time.monotonic() - started < 3
    assert calls == []


def test_an_event_that_does_not_come_calls_the_error_callback(events, instance):
    calls = []
    started = time.monotonic()
    with events.wait_for_instance_event(instance, [(PLUGGED, "p1")], deadline=0.2,
                                        error_callback=lambda *a: calls.append(a)):
        pass
    assert 0.2 <= time.monotonic() - started < 2
    assert calls == [(PLUGGED + "-p1", instance)]
    # The wait is over: an event that comes now finds nobody waiting.
    assert not _deliver(events, instance, PLUGGED, "p1")


def test_without_a_callback_a_timeout_raises(events, instance):
    with pytest.raises(exception.InstanceEventTimeout, match=PLUGGED + "-p1"):
        with events.wait_for_instance_event(instance, [(PLUGGED, "p1")], deadline=0.1):
            pass


def test_a_failed_event_calls_the_error_callback_at_once(events, instance):
    calls = []
    started = time.monotonic()
    with events.wait_for_instance_event(instance, [(PLUGGED, "p1")], deadline=5,
                                        error_callback=lambda *a: calls.append(a)):
        _deliver(events, instance, PLUGGED, "p1", status="failed")
    assert time.monotonic() - started < 1
    assert calls == [(PLUGGED + "-p1", instance)]


def test_without_a_callback_a_failed_event_raises(events, instance):
    with pytest.raises(exception.InstanceEventFailed, match="failed"):
        with events.wait_for_instance_event(instance, [(PLUGGED, "p1")], deadline=5):
            _deliver(events, instance, PLUGGED, "p1", status="failed")


def test_a_callback_returning_false_stops_the_wait_for_the_rest(events, instance):
    calls = []

    def give_up(name, inst):
        calls.append(name)
        return False

    started = time.monotonic()
    with events.wait_for_instance_event(instance, [(PLUGGED, "p1"), (PLUGGED, "p2")],
                                        deadline=5, error_callback=give_up):
        _deliver(events, instance, PLUGGED, "p1", status="failed")
    assert time.monotonic() - started < 1  # p2 was not waited for
    assert calls == [PLUGGED + "-p1"]


def test_a_callback_returning_none_goes_on_waiting(events, instance):
    calls = []
    with events.wait_for_instance_event(instance, [(PLUGGED, "p1"), (PLUGGED, "p2")],
                                        deadline=0.2, error_callback=lambda n, i:
                                        calls.append(n)):
        _deliver(events, instance, PLUGGED, "p1", status="failed")
    assert calls == [PLUGGED + "-p1", PLUGGED + "-p2"]


def test_events_are_matched_by_instance_name_and_tag(events, instance):
    other = types.SimpleNamespace(uuid=str(uuid.uuid4()), vm_state="active",
                                  task_state=None)
    with events.wait_for_instance_event(instance, [(PLUGGED, "p1")], deadline=0.1,
                                        error_callback=lambda *a: None):
        assert not _deliver(events, instance, PLUGGED, "p2")
        assert not _deliver(events, instance, "network-vif-unplugged", "p1")
        assert not _deliver(events, other, PLUGGED, "p1")
        assert _deliver(events, instance, PLUGGED, "p1")


def test_a_block_that_raises_waits_for_nothing(events, instance):
    started = time.monotonic()
    with pytest.raises(RuntimeError):
        with events.wait_for_instance_event(instance, [(PLUGGED, "p1")], deadline=5):
            raise RuntimeError("spawn failed")
    assert time.monotonic() - started < 1
    assert not _deliver(events, instance, PLUGGED, "p1")


def test_two_waits_for_one_event_both_wake(events, instance):
    results = []

    def wait():
        with events.wait_for_instance_event(instance, [(PLUGGED, "p1")], deadline=5):
            pass
        results.append("woke")

    first = threading.Thread(target=wait)
    first.start()
    time.sleep(0.1)  # both registered before the event comes
    second = threading.Thread(target=wait)
    second.start()
    time.sleep(0.1)
    assert _deliver(events, instance, PLUGGED, "p1")
    first.join(3)
    second.join(3)
    assert results == ["woke", "woke"]


def test_shutdown_ends_the_waits_as_failed(events, instance):
    calls = []
    _later(0.1, events.cancel_all_events)
    started = time.monotonic()
    with events.wait_for_instance_event(instance, [(PLUGGED, "p1")], deadline=5,
                                        error_callback=lambda n, i: calls.append(n)):
        pass
    assert time.monotonic() - started < 2
    assert calls == [PLUGGED + "-p1"]
    # After shutdown a new wait fails at once.
    with pytest.raises(exception.InstanceEventFailed):
        with events.wait_for_instance_event(instance, [(PLUGGED, "p2")], deadline=5):
            pass


def _manager(timeout, fatal):
    """The two EventsManager methods that read [DEFAULT] vif_plugging_*, on a stand-in."""
    fake = types.SimpleNamespace(
        conf=types.SimpleNamespace(vif_plugging_timeout=timeout,
                                   vif_plugging_is_fatal=fatal),
        instance_events=InstanceEvents())
    fake.vif_plugging_failed = lambda name, inst: EventsManager.vif_plugging_failed(
        fake, name, inst)
    return fake


@pytest.mark.parametrize("fatal", [True, False])
def test_a_port_never_plugged_fails_the_server_only_if_fatal(instance, fatal):
    manager = _manager(timeout=0.1, fatal=fatal)
    wait = EventsManager.wait_for_vif_plugged(manager, instance, ["p1"])
    if fatal:
        with pytest.raises(exception.VirtualInterfaceCreateException):
            with wait:
                pass
    else:
        with wait:
            pass


def test_a_vif_plugging_timeout_of_zero_expects_no_event(instance):
    manager = _manager(timeout=0, fatal=True)
    with EventsManager.wait_for_vif_plugged(manager, instance, ["p1"]):
        pass
    assert not _deliver(manager.instance_events, instance, PLUGGED, "p1")
