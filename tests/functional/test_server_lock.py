"""lock/unlock as Nova has them: a locked server refuses a non-admin's actions, updates
and delete with 409; the view shows `locked` (2.9) and `locked_reason` (2.73); an owner
cannot undo an administrator's lock, an administrator can undo anyone's."""

import time

from tests.functional.helpers import assert_fault


def _wait_idle(client, server_id, timeout=30):
    deadline = time.monotonic() + timeout
    while client.server(server_id)["OS-EXT-STS:task_state"] is not None:
        assert time.monotonic() < deadline, "still busy"
        time.sleep(0.05)


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def test_a_locked_server_refuses_the_owner_until_unlocked(demo):
    server_id = demo.boot("locked")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = _action(demo, server_id, {"lock": {"locked_reason": "maintenance window"}})
    assert resp.status_code == 202, resp.text
    server = demo.server(server_id)
    assert server["locked"] is True
    assert server["locked_reason"] == "maintenance window"
    message = "Instance %s is locked" % server_id
    for body in ({"os-stop": None}, {"pause": None}, {"reboot": {"type": "HARD"}},
                 {"suspend": None}):
        assert_fault(_action(demo, server_id, body), 409, "conflictingRequest", message)
    assert_fault(demo.put("/servers/" + server_id, json={"server": {"name": "x"}}), 409,
                 "conflictingRequest", message)
    assert_fault(demo.delete("/servers/" + server_id), 409, "conflictingRequest", message)
    # A snapshot is no change: Nova takes it from a locked server too.
    assert _action(demo, server_id, {"createImage": {"name": "of-locked"}}).status_code == 202
    _wait_idle(demo, server_id)
    assert _action(demo, server_id, {"lock": None}).status_code == 202  # no-op again
    assert _action(demo, server_id, {"unlock": None}).status_code == 202
    server = demo.server(server_id)
    assert server["locked"] is False and server["locked_reason"] is None
    assert _action(demo, server_id, {"pause": None}).status_code == 202
    demo.wait_for(server_id, "PAUSED")
    actions = [a["action"] for a in demo.get(
        "/servers/%s/os-instance-actions" % server_id).json()["instanceActions"]]
    assert actions[:4] == ["pause", "unlock", "createImage", "lock"]  # the 2nd lock: none


def test_an_admin_acts_on_a_locked_server_and_keeps_the_lock_hers(demo, admin):
    server_id = demo.boot("admin-locked")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(admin, server_id, {"lock": None}).status_code == 202
    assert _action(admin, server_id, {"os-stop": None}).status_code == 202
    admin.wait_for(server_id, "SHUTOFF")
    # The owner may not undo an administrator's lock (unlock_override is admin-only).
    assert_fault(_action(demo, server_id, {"unlock": None}), 403, "forbidden",
                 "unlock_override")
    assert demo.server(server_id)["locked"] is True
    assert _action(admin, server_id, {"unlock": None}).status_code == 202
    assert demo.server(server_id)["locked"] is False


def test_locked_reason_needs_2_73(make_client, demo):
    v272 = make_client("demo", "demo", "2.72")
    server_id = demo.boot("old-lock")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    # Before 2.73 the body's value is not looked at, so a reason is ignored.
    assert _action(v272, server_id, {"lock": {"locked_reason": "ignored"}}).status_code == 202
    assert "locked_reason" not in v272.server(server_id)
    assert demo.server(server_id)["locked_reason"] is None
    assert _action(demo, server_id, {"unlock": None}).status_code == 202
    assert_fault(_action(demo, server_id, {"lock": {"locked_reason": ""}}), 400,
                 "badRequest", "locked_reason")
    assert_fault(_action(demo, server_id, {"lock": {"reason": "x"}}), 400, "badRequest")
    assert_fault(_action(demo, server_id, {"lock": {"locked_reason": "x" * 256}}), 400,
                 "badRequest", "locked_reason")


def test_locked_is_in_the_view_from_2_9(make_client, demo):
    v28 = make_client("demo", "demo", "2.8")
    server_id = demo.boot("lock-view")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"lock": None}).status_code == 202
    assert "locked" not in v28.server(server_id)
    assert demo.server(server_id)["locked"] is True
    assert _action(demo, server_id, {"unlock": None}).status_code == 202
