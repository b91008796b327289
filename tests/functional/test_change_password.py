"""changePassword: the fake guest gets the password (the call waits for it), Nova's
409s for a server that is not ACTIVE, and its schema's 400s."""

from tests.functional.helpers import assert_fault


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def _guest(cloud, server_id):
    drivers = [s.manager.driver for s in cloud.services if hasattr(s.manager, "driver")]
    (guest,) = [d.guests[server_id] for d in drivers if server_id in d.guests]
    return guest


def test_change_password(cloud, demo):
    server_id = demo.boot("password")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = _action(demo, server_id, {"changePassword": {"adminPass": "n3w-secret"}})
    assert resp.status_code == 202, resp.text
    assert resp.content == b""
    # A call: by the 202, the guest has it and the task_state is cleared.
    assert _guest(cloud, server_id).admin_password == "n3w-secret"
    server = demo.server(server_id)
    assert server["status"] == "ACTIVE" and server["OS-EXT-STS:task_state"] is None
    actions = demo.get("/servers/%s/os-instance-actions" % server_id).json()
    assert actions["instanceActions"][0]["action"] == "changePassword"


def test_change_password_needs_an_active_server(demo):
    server_id = demo.boot("password-off")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"os-stop": None}).status_code == 202
    demo.wait_for(server_id, "SHUTOFF")
    assert_fault(_action(demo, server_id, {"changePassword": {"adminPass": "x"}}), 409,
                 "conflictingRequest", "Cannot 'changePassword' instance %s while it is in "
                 "vm_state stopped" % server_id)


def test_change_password_bad_input(demo, other):
    server_id = demo.boot("password-bad")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    for body in ({"changePassword": {}}, {"changePassword": {"adminPass": 7}},
                 {"changePassword": {"adminPass": "x", "user": "root"}},
                 {"changePassword": None}):
        assert_fault(_action(demo, server_id, body), 400, "badRequest")
    assert_fault(_action(other, server_id, {"changePassword": {"adminPass": "x"}}), 404,
                 "itemNotFound")
