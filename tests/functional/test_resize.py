"""resize / confirmResize / revertResize and cold migrate through the whole pipeline:
the conductor and scheduler choose the destination, the hosts' steps move the server,
both hosts count it while it waits in VERIFY_RESIZE, a confirm frees the source and a
revert goes back; Nova's 400s, 403s and 409s; a smaller disk rolls back."""

import time

from tests.functional.helpers import assert_fault

# Slow steps, so the transitional states can be seen.
CLOUD_OPTIONS = {"fake.operation_delays": {"migrate_disk_and_power_off": "0.3"}}


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def _host(admin, server_id):
    return admin.server(server_id)["OS-EXT-SRV-ATTR:host"]


def _usage(admin):
    hypervisors = admin.get("/os-hypervisors/detail", headers={
        "OpenStack-API-Version": "compute 2.27"}).json()["hypervisors"]
    return {h["service"]["host"]: (h["running_vms"], h["memory_mb_used"], h["vcpus_used"])
            for h in hypervisors}


def _settled_usage(admin, check, timeout=10):
    """The usage once check(usage) holds: a host recounts right after its step's state is
    saved, so the figures may trail the status by a moment."""
    deadline = time.monotonic() + timeout
    while not check(usage := _usage(admin)):
        assert time.monotonic() < deadline, usage
        time.sleep(0.05)
    return usage


def _counts_match_the_rows(cloud, timeout=10):
    """Each host's tracker, kept step by step, holds the flavors a full recount from the
    rows would (the step's state is saved a moment before its host counts it). Only the
    keys may differ: a source still counts the old flavor under the server's uuid, not the
    migration's, until it next recounts, as Nova's source does until its periodic task."""
    for service in cloud.services:
        tracker = getattr(service.manager, "tracker", None)
        if tracker is None:
            continue
        deadline = time.monotonic() + timeout
        while True:
            kept = sorted(f.flavorid for f in dict(tracker.claimed).values())
            rows = sorted(f.flavorid for f in tracker.counted_from_rows().values())
            if kept == rows:
                break
            assert time.monotonic() < deadline, (service.manager.host, kept, rows)
            time.sleep(0.05)


def _guest(cloud, server_id):
    drivers = [s.manager.driver for s in cloud.services if hasattr(s.manager, "driver")]
    (guest,) = [d.guests[server_id] for d in drivers if server_id in d.guests]
    return guest


def _events(admin, server_id, action):
    actions = admin.get("/servers/%s/os-instance-actions" % server_id).json()
    (chosen,) = [a for a in actions["instanceActions"] if a["action"] == action][:1]
    detail = admin.get("/servers/%s/os-instance-actions/%s" % (
        server_id, chosen["request_id"])).json()["instanceAction"]
    return {e["event"]: e["result"] for e in detail["events"]}


def test_resize_then_confirm(cloud, demo, admin):
    server_id = demo.boot("resized", flavor="1")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = _host(admin, server_id)
    before = _usage(admin)
    resp = _action(demo, server_id, {"resize": {"flavorRef": "2"}})
    assert resp.status_code == 202, resp.text
    assert resp.content == b""
    assert demo.server(server_id)["status"] == "RESIZE"
    server = demo.wait_for(server_id, "VERIFY_RESIZE")
    assert server["flavor"]["original_name"] == "m1.small"
    assert server["OS-EXT-STS:vm_state"] == "resized"
    assert _guest(cloud, server_id).memory_mb == 2048
    dest = _host(admin, server_id)
    # Both flavors are held until the confirm: the new one where it runs, the old one
    # where it came from (both on one host when the scheduler kept it there).
    _counts_match_the_rows(cloud)
    during = _usage(admin)
    assert sum(u[1] for u in during.values()) == sum(u[1] for u in before.values()) + 2048
    resp = _action(demo, server_id, {"confirmResize": None})
    assert resp.status_code == 204, resp.text
    server = demo.wait_for(server_id, "ACTIVE")
    assert server["flavor"]["original_name"] == "m1.small"
    after = _settled_usage(admin, lambda u: sum(h[1] for h in u.values()) == sum(
        h[1] for h in before.values()) - 512 + 2048)
    assert after[dest][0] == before[dest][0] + (0 if dest == host else 1)
    _counts_match_the_rows(cloud)
    assert _events(admin, server_id, "resize") == {
        "conductor_migrate_server": "Success", "compute_prep_resize": "Success",
        "compute_resize_instance": "Success", "compute_finish_resize": "Success"}
    assert _events(admin, server_id, "confirmResize") == {
        "compute_confirm_resize": "Success"}
    assert_fault(_action(demo, server_id, {"confirmResize": None}), 409,
                 "conflictingRequest", "vm_state active")


def test_resize_then_revert(cloud, demo, admin):
    server_id = demo.boot("reverted", flavor="1")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = _host(admin, server_id)
    before = _usage(admin)
    assert _action(demo, server_id, {"resize": {"flavorRef": "3"}}).status_code == 202
    demo.wait_for(server_id, "VERIFY_RESIZE")
    _counts_match_the_rows(cloud)
    assert _action(demo, server_id, {"revertResize": None}).status_code == 202
    server = demo.wait_for(server_id, "ACTIVE")
    assert server["flavor"]["original_name"] == "m1.tiny"
    assert _host(admin, server_id) == host
    assert _guest(cloud, server_id).memory_mb == 512
    _settled_usage(admin, lambda u: u == before)
    _counts_match_the_rows(cloud)
    assert_fault(_action(demo, server_id, {"revertResize": None}), 409,
                 "conflictingRequest", "vm_state active")


def test_a_stopped_server_is_resized_stopped(demo):
    server_id = demo.boot("resized-off", flavor="1")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"os-stop": None}).status_code == 202
    demo.wait_for(server_id, "SHUTOFF")
    assert _action(demo, server_id, {"resize": {"flavorRef": 2}}).status_code == 202
    server = demo.wait_for(server_id, "VERIFY_RESIZE")
    assert server["OS-EXT-STS:power_state"] == 4
    assert _action(demo, server_id, {"confirmResize": None}).status_code == 204
    server = demo.wait_for(server_id, "SHUTOFF")
    assert server["flavor"]["original_name"] == "m1.small"


def test_cold_migrate_moves_to_another_host(cloud, demo, admin, make_client):
    server_id = demo.boot("migrated", flavor="1")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = _host(admin, server_id)
    assert_fault(_action(demo, server_id, {"migrate": None}), 403, "forbidden")
    assert _action(admin, server_id, {"migrate": None}).status_code == 202
    demo.wait_for(server_id, "VERIFY_RESIZE")
    dest = _host(admin, server_id)
    assert dest != host
    assert _action(admin, server_id, {"confirmResize": None}).status_code == 204
    demo.wait_for(server_id, "ACTIVE")
    assert _events(admin, server_id, "migrate")["compute_finish_resize"] == "Success"
    # 2.56: a chosen host, not the one it is on, and one that exists.
    a256 = make_client("admin", "admin", "2.56")
    assert_fault(_action(a256, server_id, {"migrate": {"host": dest}}), 400, "badRequest",
                 "Cannot migrate to the host where the server exists.")
    assert_fault(_action(a256, server_id, {"migrate": {"host": "nowhere"}}), 400,
                 "badRequest", "nowhere")
    assert _action(a256, server_id, {"migrate": {"host": host}}).status_code == 202
    demo.wait_for(server_id, "VERIFY_RESIZE")
    assert _host(admin, server_id) == host
    assert _action(demo, server_id, {"revertResize": None}).status_code == 202
    demo.wait_for(server_id, "ACTIVE")
    assert _host(admin, server_id) == dest


def test_resize_to_a_smaller_disk_rolls_back(demo, admin):
    server_id = demo.boot("shrunk", flavor="2")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"resize": {"flavorRef": "1"}}).status_code == 202
    deadline = time.monotonic() + 30
    while demo.server(server_id)["OS-EXT-STS:task_state"] is not None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    server = demo.server(server_id)
    assert server["status"] == "ACTIVE"
    assert server["OS-EXT-STS:power_state"] == 1
    assert server["flavor"]["original_name"] == "m1.small"
    assert _events(admin, server_id, "resize")["compute_resize_instance"] == "Error"


def test_resize_bad_input(demo, admin):
    server_id = demo.boot("resize-bad", flavor="1")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert_fault(_action(demo, server_id, {"resize": {"flavorRef": "1"}}), 400,
                 "badRequest", "When resizing, instances must change flavor!")
    assert_fault(_action(demo, server_id, {"resize": {"flavorRef": "99"}}), 400,
                 "badRequest", "Unable to locate requested flavor.")
    assert_fault(_action(demo, server_id, {"resize": {}}), 400, "badRequest")
    assert_fault(_action(demo, server_id, {"resize": {"flavorRef": "2",
                                                      "OS-DCF:diskConfig": "SOME"}}),
                 400, "badRequest")
    assert_fault(_action(demo, server_id, {"confirmResize": None}), 409,
                 "conflictingRequest", "vm_state active")
    assert demo.server(server_id)["status"] == "ACTIVE"


def test_resize_needs_quota_for_the_growth(make_client, admin):
    tight = make_client("tight", "tight")
    server_id = tight.boot("upsized", flavor="1")["server"]["id"]
    tight.wait_for(server_id, "ACTIVE")
    resp = admin.put("/os-quota-sets/tight", json={"quota_set": {"cores": 1}})
    assert resp.status_code == 200, resp.text
    assert_fault(_action(tight, server_id, {"resize": {"flavorRef": "3"}}), 403,
                 "forbidden", "Quota exceeded for cores")
    assert tight.server(server_id)["status"] == "ACTIVE"
    # The RAM-only growth of m1.small (1 vCPU) fits.
    assert _action(tight, server_id, {"resize": {"flavorRef": "2"}}).status_code == 202
    tight.wait_for(server_id, "VERIFY_RESIZE")


def test_an_unconfirmed_resize_is_confirmed_after_the_window(cloud, demo, admin):
    server_id = demo.boot("auto-confirmed", flavor="1")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"resize": {"flavorRef": "2"}}).status_code == 202
    demo.wait_for(server_id, "VERIFY_RESIZE")
    managers = {s.manager.host: s.manager for s in cloud.services
                if hasattr(s.manager, "driver")}
    manager = managers[_host(admin, server_id)]
    cloud.conf.set_override("resize_confirm_window", 1)
    try:
        assert manager.confirm_expired_resizes() == []
        time.sleep(1.1)
        assert manager.confirm_expired_resizes() == [server_id]
    finally:
        cloud.conf.clear_override("resize_confirm_window")
    demo.wait_for(server_id, "ACTIVE")


def test_no_host_for_the_new_flavor_leaves_the_server_as_it_was(demo, admin):
    """As Nova since Ussuri: the 202 comes first; the failure is the action's."""
    resp = admin.post("/flavors", json={"flavor": {
        "name": "too-big", "id": "too-big", "ram": 512, "vcpus": 1, "disk": 100000}})
    assert resp.status_code == 200, resp.text
    server_id = demo.boot("too-big-resize", flavor="1")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"resize": {"flavorRef": "too-big"}}).status_code == 202
    deadline = time.monotonic() + 10
    while (server := demo.server(server_id))["OS-EXT-STS:task_state"] is not None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert server["status"] == "ACTIVE" and server["flavor"]["original_name"] == "m1.tiny"
    assert _events(admin, server_id, "resize") == {"conductor_migrate_server": "Error"}
    actions = admin.get("/servers/%s/os-instance-actions" % server_id).json()
    assert actions["instanceActions"][0]["message"] == "Error"
    (migration,) = admin.get("/os-migrations?instance_uuid=" + server_id).json()[
        "migrations"]
    assert migration["status"] == "error"

def test_deleting_in_verify_resize_confirms_first(cloud, demo, admin):
    before = _usage(admin)
    server_id = demo.boot("deleted-resized", flavor="1")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"resize": {"flavorRef": "2"}}).status_code == 202
    demo.wait_for(server_id, "VERIFY_RESIZE")
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_gone(server_id)
    deadline = time.monotonic() + 10
    while True:
        (migration,) = admin.get("/os-migrations?instance_uuid=" + server_id).json()[
            "migrations"]
        if migration["status"] == "confirmed":
            break
        assert time.monotonic() < deadline, migration
        time.sleep(0.05)
    drivers = [s.manager.driver for s in cloud.services if hasattr(s.manager, "driver")]
    assert not any(server_id in d.resizing for d in drivers)  # nothing kept for a revert
    _settled_usage(admin, lambda u: u == before)
