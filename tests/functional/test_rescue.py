"""rescue / unrescue through the whole pipeline: the rescue image chosen as Nova chooses
it, status RESCUE with the admin password answered (200), Nova's 400s and 409s, and the
server back on its own disk after unrescue."""

import os
import time

from tests.functional.helpers import assert_fault


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def _guest(cloud, server_id):
    drivers = [s.manager.driver for s in cloud.services if hasattr(s.manager, "driver")]
    (guest,) = [d.guests[server_id] for d in drivers if server_id in d.guests]
    return guest


def test_rescue_and_unrescue(cloud, demo):
    server_id = demo.boot("rescued")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = _action(demo, server_id, {"rescue": {"adminPass": "rescue-me"}})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"adminPass": "rescue-me"}
    server = demo.wait_for(server_id, "RESCUE")
    assert server["OS-EXT-STS:vm_state"] == "rescued"
    assert server["OS-EXT-STS:power_state"] == 1
    guest = _guest(cloud, server_id)
    # Nova's choice without rescue_image_ref: the base of the server's own image.
    assert guest.rescue_image.id == demo.image_id()
    assert guest.admin_password == "rescue-me"
    assert os.path.basename(guest.rescue_image.disk_path) == "disk.rescue"
    assert os.path.exists(guest.rescue_image.disk_path)
    # A rescued server refuses what needs it running or at rest.
    assert_fault(_action(demo, server_id, {"rescue": None}), 409, "conflictingRequest",
                 "Cannot 'rescue' instance %s while it is in vm_state rescued" % server_id)
    assert_fault(_action(demo, server_id, {"os-stop": None}), 409, "conflictingRequest",
                 "vm_state rescued")
    assert _action(demo, server_id, {"unrescue": None}).status_code == 202
    server = demo.wait_for(server_id, "ACTIVE")
    assert guest.rescue_image is None
    assert not os.path.exists(os.path.join(os.path.dirname(
        _guest(cloud, server_id).image.disk_path), "disk.rescue"))
    assert_fault(_action(demo, server_id, {"unrescue": None}), 409, "conflictingRequest",
                 "Cannot 'unrescue' instance %s while it is in vm_state active" % server_id)
    actions = demo.get("/servers/%s/os-instance-actions" % server_id).json()
    assert [a["action"] for a in actions["instanceActions"]][:2] == ["unrescue", "rescue"]


def test_rescue_a_stopped_server_with_a_generated_password(cloud, demo):
    server_id = demo.boot("rescued-off")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"os-stop": None}).status_code == 202
    demo.wait_for(server_id, "SHUTOFF")
    resp = _action(demo, server_id, {"rescue": None})
    assert resp.status_code == 200, resp.text
    password = resp.json()["adminPass"]
    assert len(password) >= 8
    demo.wait_for(server_id, "RESCUE")
    assert _guest(cloud, server_id).admin_password == password


def test_rescue_from_a_chosen_image(cloud, demo):
    server_id = demo.boot("rescued-chosen")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = _action(demo, server_id, {"createImage": {"name": "rescue-system"}})
    image_id = resp.json()["image_id"]
    demo.wait_for(server_id, "ACTIVE")
    other = demo.boot("rescued-chosen-2")["server"]["id"]
    demo.wait_for(other, "ACTIVE")
    deadline = time.monotonic() + 30
    while demo.get("/images/" + image_id, headers={
            "OpenStack-API-Version": "compute 2.1"}).json()["image"]["status"] != "ACTIVE":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    resp = _action(demo, other, {"rescue": {"rescue_image_ref": image_id}})
    assert resp.status_code == 200, resp.text
    demo.wait_for(other, "RESCUE")
    assert _guest(cloud, other).rescue_image.id == image_id


def test_rescue_bad_input(demo):
    server_id = demo.boot("rescue-bad")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    missing = "8b9bfc62-4a36-4a7f-9d0e-c8e7a4d6d9a1"
    assert_fault(_action(demo, server_id, {"rescue": {"rescue_image_ref": missing}}), 400,
                 "badRequest", "Requested rescue image '%s' is not supported" % missing)
    assert_fault(_action(demo, server_id, {"rescue": {"rescue_image_ref": "nope"}}), 400,
                 "badRequest")
    assert_fault(_action(demo, server_id, {"rescue": {"color": "red"}}), 400, "badRequest")
    assert_fault(_action(demo, server_id, {"rescue": "now"}), 400, "badRequest")
    assert_fault(_action(demo, missing, {"rescue": None}), 404, "itemNotFound")
    assert demo.server(server_id)["status"] == "ACTIVE"  # nothing changed


def test_another_project_cannot_rescue(demo, other):
    server_id = demo.boot("rescue-mine")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert_fault(_action(other, server_id, {"rescue": None}), 404, "itemNotFound")
