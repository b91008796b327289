"""rebuild: the server spawned again on its host from another image, with the fields a
rebuild may change per microversion; a stopped server ends stopped; Nova's 400s and 409s."""

import time

from tests.functional.helpers import assert_fault


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def _snapshot(client, server_id, name):
    resp = _action(client, server_id, {"createImage": {"name": name}})
    assert resp.status_code == 202, resp.text
    image_id = resp.json()["image_id"]
    deadline = time.monotonic() + 30
    while client.get("/images/" + image_id, headers={
            "OpenStack-API-Version": "compute 2.1"}).json()["image"]["status"] != "ACTIVE":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    while client.server(server_id)["OS-EXT-STS:task_state"] is not None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return image_id


def test_rebuild_from_another_image_with_new_fields(demo, admin):
    server_id = demo.boot("rebuilt", metadata={"old": "1"})["server"]["id"]
    before = demo.wait_for(server_id, "ACTIVE")
    image_id = _snapshot(demo, server_id, "rebuild-source")
    resp = _action(demo, server_id, {"rebuild": {
        "imageRef": image_id, "name": "rebuilt-2", "metadata": {"new": "2"},
        "description": "made again", "adminPass": "s3cret-pass", "hostname": "again",
        "accessIPv4": "192.0.2.9"}})
    assert resp.status_code == 202, resp.text
    view = resp.json()["server"]
    assert view["status"] == "REBUILD" and view["adminPass"] == "s3cret-pass"
    assert view["image"]["id"] == image_id and view["name"] == "rebuilt-2"
    assert view["metadata"] == {"new": "2"}
    assert view["key_name"] is None and view["user_data"] is None  # 2.54, 2.57
    server = demo.wait_for(server_id, "ACTIVE")
    assert server["image"]["id"] == image_id
    assert server["description"] == "made again"
    assert server["OS-EXT-SRV-ATTR:hostname"] == "again"  # visible to all from 2.90
    assert server["accessIPv4"] == "192.0.2.9"
    assert server["hostId"] == before["hostId"]  # the same host
    actions = demo.get("/servers/%s/os-instance-actions" % server_id).json()
    assert actions["instanceActions"][0]["action"] == "rebuild"
    detail = admin.get("/servers/%s/os-instance-actions/%s" % (
        server_id, actions["instanceActions"][0]["request_id"])).json()["instanceAction"]
    assert [e["event"] for e in detail["events"]] == ["compute_rebuild_instance"]
    assert detail["events"][0]["result"] == "Success"


def test_a_stopped_server_is_rebuilt_stopped(demo):
    server_id = demo.boot("rebuilt-off")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"os-stop": None}).status_code == 202
    demo.wait_for(server_id, "SHUTOFF")
    resp = _action(demo, server_id, {"rebuild": {"imageRef": demo.image_id()}})
    assert resp.status_code == 202, resp.text
    server = demo.wait_for(server_id, "SHUTOFF")
    assert server["OS-EXT-STS:task_state"] is None
    assert server["OS-EXT-STS:power_state"] == 4


def test_rebuild_refusals(make_client, demo):
    server_id = demo.boot("not-rebuilt")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert_fault(_action(demo, server_id, {"rebuild": {}}), 400, "badRequest", "imageRef")
    assert_fault(_action(demo, server_id, {"rebuild": {"imageRef": "not-a-uuid"}}), 400,
                 "badRequest", "imageRef")
    assert_fault(_action(demo, server_id, {"rebuild": {
        "imageRef": "6a2e3b4c-0000-4000-8000-000000000000"}}), 400, "badRequest")
    v253 = make_client("demo", "demo", "2.53")
    assert_fault(_action(v253, server_id, {"rebuild": {
        "imageRef": demo.image_id(), "key_name": "k"}}), 400, "badRequest", "key_name")
    assert_fault(_action(demo, server_id, {"rebuild": {
        "imageRef": demo.image_id(), "key_name": "no-such-key"}}), 400, "badRequest",
        "key_name")
    assert _action(demo, server_id, {"pause": None}).status_code == 202
    demo.wait_for(server_id, "PAUSED")
    assert_fault(_action(demo, server_id, {"rebuild": {"imageRef": demo.image_id()}}), 409,
                 "conflictingRequest", "rebuild", "vm_state paused")


def test_rebuild_answers_the_brief_view_before_2_75(make_client, demo):
    v274 = make_client("demo", "demo", "2.74")
    server_id = demo.boot("brief")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = _action(v274, server_id, {"rebuild": {"imageRef": demo.image_id()}})
    assert resp.status_code == 202, resp.text
    view = resp.json()["server"]
    assert "OS-EXT-STS:vm_state" not in view and "adminPass" in view
    full = _action(demo, demo.wait_for(server_id, "ACTIVE")["id"],
                   {"rebuild": {"imageRef": demo.image_id()}}).json()["server"]
    assert "OS-EXT-STS:vm_state" in full
    demo.wait_for(server_id, "ACTIVE")


def test_an_admins_rebuild_answer_carries_user_data_once(make_client, demo):
    """From 2.75 the full view, but user_data (2.57) in place of OS-EXT-SRV-ATTR:user_data,
    as Nova's rebuild (Tempest's response schema allows no other)."""
    admin = make_client("admin", "admin", "2.75")
    server_id = demo.boot("admin-rebuild")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    resp = _action(admin, server_id, {"rebuild": {"imageRef": demo.image_id()}})
    assert resp.status_code == 202, resp.text
    view = resp.json()["server"]
    assert "user_data" in view and "OS-EXT-SRV-ATTR:user_data" not in view
    assert "OS-EXT-SRV-ATTR:host" in view
    demo.wait_for(server_id, "ACTIVE")
    shown = admin.get("/servers/" + server_id).json()["server"]
    assert "OS-EXT-SRV-ATTR:user_data" in shown
