"""os-migrateLive, the server migrations API (2.22 force_complete, 2.23 list/show, 2.24
abort) and GET /os-migrations, through the whole pipeline on two fake hosts whose live
migration takes a while (so it can be watched, forced and aborted)."""

import time

from tests.functional.helpers import assert_fault

CLOUD_OPTIONS = {"fake.operation_delays": {"live_migration": "3"}}


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def _host(admin, server_id):
    return admin.server(server_id)["OS-EXT-SRV-ATTR:host"]


def _running_migration(admin, server_id, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        migrations = admin.get("/servers/%s/migrations" % server_id).json()["migrations"]
        if migrations and migrations[0]["status"] == "running":
            return migrations[0]
        assert time.monotonic() < deadline, migrations
        time.sleep(0.05)


def _wait_idle(client, server_id, timeout=30):
    deadline = time.monotonic() + timeout
    while (server := client.server(server_id))["OS-EXT-STS:task_state"] is not None:
        assert time.monotonic() < deadline, server
        time.sleep(0.05)
    return server


def _booted(demo, name):
    server_id = demo.boot(name)["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    return server_id


def _live(client, server_id, host=None, block="auto"):
    return _action(client, server_id, {"os-migrateLive": {"host": host,
                                                           "block_migration": block}})


def test_live_migration_force_completed(cloud, demo, admin):
    server_id = _booted(demo, "live-forced")
    source = _host(admin, server_id)
    assert_fault(_live(demo, server_id), 403, "forbidden")
    assert _live(admin, server_id).status_code == 202
    assert demo.server(server_id)["status"] == "MIGRATING"
    migration = _running_migration(admin, server_id)
    assert migration["source_compute"] == source
    assert migration["server_uuid"] == server_id
    assert migration["memory_total_bytes"] == 512 * 1024 * 1024
    shown = admin.get("/servers/%s/migrations/%d" % (server_id, migration["id"])).json()
    assert shown["migration"]["uuid"] == migration["uuid"]
    # Other actions wait for it.
    assert_fault(_action(demo, server_id, {"pause": None}), 409, "conflictingRequest",
                 "task_state migrating")
    resp = admin.post("/servers/%s/migrations/%d/action" % (server_id, migration["id"]),
                      json={"force_complete": None})
    assert resp.status_code == 202, resp.text
    server = _wait_idle(demo, server_id, timeout=2)  # well before the 3 s copy would end
    assert server["status"] == "ACTIVE"
    assert _host(admin, server_id) == migration["dest_compute"] != source
    listed = admin.get("/os-migrations?instance_uuid=" + server_id).json()["migrations"]
    assert [(m["migration_type"], m["status"]) for m in listed] == [
        ("live-migration", "completed")]
    assert "links" not in listed[0]  # only live migrations in progress link to themselves
    assert admin.get("/servers/%s/migrations" % server_id).json() == {"migrations": []}


def test_live_migration_aborted(cloud, demo, admin):
    server_id = _booted(demo, "live-aborted")
    source = _host(admin, server_id)
    assert _live(admin, server_id).status_code == 202
    migration = _running_migration(admin, server_id)
    listed = admin.get("/os-migrations?instance_uuid=" + server_id).json()["migrations"]
    assert listed[0]["links"][0]["href"].endswith(
        "/servers/%s/migrations/%d" % (server_id, migration["id"]))
    resp = admin.delete("/servers/%s/migrations/%d" % (server_id, migration["id"]))
    assert resp.status_code == 202, resp.text
    server = _wait_idle(demo, server_id, timeout=2)
    assert server["status"] == "ACTIVE"
    assert _host(admin, server_id) == source  # it never left
    listed = admin.get("/os-migrations?instance_uuid=" + server_id).json()["migrations"]
    assert listed[0]["status"] == "cancelled"
    # The destination holds nothing of it.
    dest = cloud_managers(cloud)[migration["dest_compute"]]
    assert server_id not in dest.driver.guests
    assert not any(k.startswith("migration-") for k in dest.tracker.claimed)
    assert_fault(admin.delete("/servers/%s/migrations/%d" % (server_id, migration["id"])),
                 404, "itemNotFound")


def cloud_managers(cloud):
    return {s.manager.host: s.manager for s in cloud.services
            if hasattr(s.manager, "driver")}


def test_live_migration_checks(cloud, demo, admin, make_client):
    server_id = _booted(demo, "live-checks")
    source = _host(admin, server_id)
    assert_fault(_live(admin, server_id, host=source), 400, "badRequest",
                 "to current host")
    assert_fault(_live(admin, server_id, host="nowhere"), 400, "badRequest", "nowhere")
    assert_fault(_live(admin, server_id, block="sometimes"), 400, "badRequest")
    # Before 2.25 the body names disk_over_commit, and "auto" is not a boolean.
    a224 = make_client("admin", "admin", "2.24")
    assert_fault(_action(a224, server_id, {"os-migrateLive": {
        "host": None, "block_migration": "auto", "disk_over_commit": False}}), 400,
        "badRequest")
    # 2.30-2.67: force takes the host as given; without a host it is refused.
    a230 = make_client("admin", "admin", "2.30")
    assert_fault(_action(a230, server_id, {"os-migrateLive": {
        "host": None, "block_migration": "auto", "force": True}}), 400, "badRequest",
        "Can't force to a non-provided destination")
    a268 = make_client("admin", "admin", "2.68")
    assert_fault(_action(a268, server_id, {"os-migrateLive": {
        "host": None, "block_migration": "auto", "force": True}}), 400, "badRequest")
    assert_fault(admin.post("/servers/%s/migrations/1/action" % server_id,
                            json={"force_complete": None}), 404, "itemNotFound")
    assert demo.server(server_id)["status"] == "ACTIVE"


def _drivers(cloud):
    return {s.manager.host: s.manager.driver for s in cloud.services
            if hasattr(s.manager, "driver")}


def test_a_driver_that_cannot_live_migrate_is_refused_before_anything_moves(
        cloud, demo, admin, make_client):
    """Both hosts are asked first (Nova's check_can_live_migrate_*): before 2.34 the
    refusal is the answer's 400, after it the action's fault; the server runs on, where it
    was, and the migration is in error."""
    server_id = _booted(demo, "live-unable")
    source = _host(admin, server_id)
    (dest,) = set(_drivers(cloud)) - {source}
    for unable, role in ((dest, "destination"), (source, "source")):
        driver = _drivers(cloud)[unable]
        driver.supports_live_migration = False  # as the libvirt driver's, on one machine
        try:
            a233 = make_client("admin", "admin", "2.33")
            resp = _live(a233, server_id)
            assert_fault(resp, 400, "badRequest", "Migration pre-check error: the %s host "
                         "%s runs the fake driver, which cannot live-migrate" % (role, unable))
            server = _wait_idle(admin, server_id)
            assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", source)
            assert _live(admin, server_id).status_code == 202  # 2.96: asynchronous
            server = _wait_idle(admin, server_id)
            assert (server["status"], server["OS-EXT-SRV-ATTR:host"]) == ("ACTIVE", source)
            (latest, *_) = admin.get("/os-migrations", params={
                "instance_uuid": server_id}).json()["migrations"]
            assert latest["status"] == "error"
        finally:
            driver.supports_live_migration = True


def test_os_migrations_listing(demo, admin, make_client):
    server_id = _booted(demo, "listed")
    assert _action(demo, server_id, {"resize": {"flavorRef": "2"}}).status_code == 202
    demo.wait_for(server_id, "VERIFY_RESIZE")
    assert _action(demo, server_id, {"confirmResize": None}).status_code == 204
    demo.wait_for(server_id, "ACTIVE")
    a21 = make_client("admin", "admin", "2.1")
    (old,) = a21.get("/os-migrations?instance_uuid=" + server_id).json()["migrations"]
    assert set(old) == {"id", "instance_uuid", "status", "source_compute", "source_node",
                        "dest_compute", "dest_node", "dest_host", "old_instance_type_id",
                        "new_instance_type_id", "created_at", "updated_at"}
    assert old["status"] == "confirmed" and old["new_instance_type_id"] != \
        old["old_instance_type_id"]
    (new,) = admin.get("/os-migrations?instance_uuid=" + server_id).json()["migrations"]
    assert new["migration_type"] == "resize" and new["user_id"] == "demo" and \
        new["project_id"] == "demo" and "uuid" in new
    assert admin.get("/os-migrations?migration_type=evacuation&instance_uuid="
                     + server_id).json()["migrations"] == []
    # Paging (2.59): newest first, a next link when the page is full.
    page = admin.get("/os-migrations?limit=1").json()
    assert len(page["migrations"]) == 1 and page["migrations_links"][0]["rel"] == "next"
    marker = page["migrations"][0]["uuid"]
    rest = admin.get("/os-migrations?marker=" + marker).json()["migrations"]
    assert marker not in [m["uuid"] for m in rest] and rest
    assert_fault(admin.get("/os-migrations?marker=nope"), 400, "badRequest")
    assert_fault(admin.get("/os-migrations?colour=red"), 400, "badRequest")
    assert admin.get("/os-migrations?changes-since=2999-01-01T00:00:00Z").json() == {
        "migrations": []}
    # A project member may not list them at all.
    assert_fault(demo.get("/os-migrations"), 403, "forbidden")
