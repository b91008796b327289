"""pause/unpause, suspend/resume and trigger_crash_dump through the whole pipeline: Nova's
statuses and power states, its 409s for the wrong state, the instance-action records, and
a hard reboot as the way out of PAUSED."""

import time

import pytest

from tests.functional.helpers import assert_fault, client_pool, running_cloud


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    # A slow pause, so a second action meets the transitional task_state.
    with running_cloud(tmp_path_factory.mktemp("state"),
                       **{"fake.operation_delays": {"pause": "0.5"}}) as aio:
        yield aio


@pytest.fixture(scope="module")
def demo(cloud):
    with client_pool(cloud) as get:
        yield get("demo", "demo")


@pytest.fixture(scope="module")
def v216(cloud):
    with client_pool(cloud) as get:
        yield get("demo", "demo", "2.16")


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def _wait_until(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _guest(cloud, server):
    """The fake hypervisor's guest of the server, on whichever host has it."""
    drivers = [s.manager.driver for s in cloud.services if hasattr(s.manager, "driver")]
    (guest,) = [d.guests[server["id"]] for d in drivers if server["id"] in d.guests]
    return guest


def test_pause_and_unpause(demo):
    server_id = demo.boot("paused")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = _action(demo, server_id, {"pause": None})
    assert resp.status_code == 202, resp.text
    assert resp.content == b""
    # The fake pause takes 0.5 s: the server shows its task_state meanwhile.
    assert demo.server(server_id)["OS-EXT-STS:task_state"] == "pausing"
    assert_fault(_action(demo, server_id, {"suspend": None}), 409, "conflictingRequest",
                 "suspend", server_id, "task_state pausing")
    assert_fault(_action(demo, server_id, {"pause": None}), 409, "conflictingRequest",
                 "pause", server_id, "task_state pausing")
    server = demo.wait_for(server_id, "PAUSED")
    assert server["OS-EXT-STS:vm_state"] == "paused"
    assert server["OS-EXT-STS:power_state"] == 3
    assert server["OS-EXT-STS:task_state"] is None
    assert_fault(_action(demo, server_id, {"pause": None}), 409, "conflictingRequest",
                 "Cannot 'pause' instance %s while it is in vm_state paused" % server_id)
    assert _action(demo, server_id, {"unpause": None}).status_code == 202
    server = demo.wait_for(server_id, "ACTIVE")
    assert server["OS-EXT-STS:power_state"] == 1
    actions = demo.get("/servers/%s/os-instance-actions" % server_id).json()
    assert [a["action"] for a in actions["instanceActions"]][:2] == ["unpause", "pause"]


def test_suspend_and_resume(demo):
    server_id = demo.boot("suspended")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert_fault(_action(demo, server_id, {"resume": None}), 409, "conflictingRequest",
                 "resume", "vm_state active")
    assert _action(demo, server_id, {"suspend": None}).status_code == 202
    server = demo.wait_for(server_id, "SUSPENDED")
    assert server["OS-EXT-STS:vm_state"] == "suspended"
    assert server["OS-EXT-STS:power_state"] == 7
    assert_fault(_action(demo, server_id, {"unpause": None}), 409, "conflictingRequest",
                 "unpause", "vm_state suspended")
    assert_fault(_action(demo, server_id, {"reboot": {"type": "SOFT"}}), 409,
                 "conflictingRequest", "reboot")
    assert _action(demo, server_id, {"resume": None}).status_code == 202
    assert demo.wait_for(server_id, "ACTIVE")["OS-EXT-STS:power_state"] == 1


def _booted_then(demo, name, action, status) -> str:
    """A new server, ACTIVE, then taken by `action` to `status`: its id."""
    server_id = demo.boot(name)["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {action: None}).status_code == 202
    demo.wait_for(server_id, status)
    return server_id


def test_a_stopped_server_neither_pauses_nor_suspends(demo):
    server_id = _booted_then(demo, "off", "os-stop", "SHUTOFF")
    for action in ("pause", "suspend"):
        assert_fault(_action(demo, server_id, {action: None}), 409, "conflictingRequest",
                     action, "vm_state stopped")


def test_hard_reboot_brings_a_paused_server_back(demo):
    server_id = _booted_then(demo, "stuck", "pause", "PAUSED")
    assert _action(demo, server_id, {"reboot": {"type": "HARD"}}).status_code == 202
    assert demo.wait_for(server_id, "ACTIVE")["OS-EXT-STS:power_state"] == 1


def test_snapshot_of_a_paused_server(demo):
    server_id = _booted_then(demo, "frozen", "pause", "PAUSED")
    resp = _action(demo, server_id, {"createImage": {"name": "frozen-snap"}})
    assert resp.status_code == 202, resp.text
    demo.wait_for(server_id, "PAUSED")


def test_trigger_crash_dump_from_2_17(cloud, demo, v216):
    server_id = demo.boot("dumped")["server"]["id"]
    server = demo.wait_for(server_id, "ACTIVE")
    assert_fault(_action(v216, server_id, {"trigger_crash_dump": None}), 404,
                 "itemNotFound")
    assert_fault(_action(demo, server_id, {"trigger_crash_dump": {}}), 400, "badRequest",
                 "trigger_crash_dump")
    resp = _action(demo, server_id, {"trigger_crash_dump": None})
    assert resp.status_code == 202, resp.text
    guest = _guest(cloud, server)
    _wait_until(lambda: guest.crash_dumps == 1)
    assert demo.server(server_id)["status"] == "ACTIVE"
    actions = demo.get("/servers/%s/os-instance-actions" % server_id).json()
    assert actions["instanceActions"][0]["action"] == "trigger_crash_dump"
    assert _action(demo, server_id, {"os-stop": None}).status_code == 202
    demo.wait_for(server_id, "SHUTOFF")
    assert_fault(_action(demo, server_id, {"trigger_crash_dump": None}), 409,
                 "conflictingRequest", "trigger_crash_dump", "vm_state stopped")


def test_another_project_sees_404(make_other, demo):
    server_id = demo.boot("mine")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    for action in ("pause", "suspend", "lock"):
        assert_fault(_action(make_other, server_id, {action: None}), 404, "itemNotFound")


@pytest.fixture(scope="module")
def make_other(cloud):
    with client_pool(cloud) as get:
        yield get("alice", "other")
