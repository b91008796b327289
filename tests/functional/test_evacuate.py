"""evacuate: refused while the server's host is up, then, with the host forced down
(2.11 forced_down), the server rebuilt on the other host from its image, keeping its
addresses; stopped stays stopped and 2.95 stops it; the source removes its leftovers
when it starts again."""

import os

import pytest

from tests.functional.helpers import assert_fault, client


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def _managers(cloud):
    return {s.manager.host: s.manager for s in cloud.services
            if hasattr(s.manager, "driver")}


def _force_down(admin, host, down):
    (service,) = admin.get("/os-services?binary=nova-compute&host=" + host).json()[
        "services"]
    resp = admin.put("/os-services/" + service["id"], json={"forced_down": down})
    assert resp.status_code == 200, resp.text


@pytest.fixture
def dead_host(cloud, demo, admin):
    """Two servers on one host (one stopped), that host then forced down."""
    servers = [demo.boot("evacuee-%d" % i)["server"]["id"] for i in range(2)]
    for server_id in servers:
        demo.wait_for(server_id, "ACTIVE")
    hosts = {admin.server(s)["OS-EXT-SRV-ATTR:host"] for s in servers}
    # Put both on one host: migrate the odd one over.
    if len(hosts) == 2:
        target = admin.server(servers[0])["OS-EXT-SRV-ATTR:host"]
        a256 = client(cloud, "admin", "admin", "2.56")
        assert _action(a256, servers[1], {"migrate": {"host": target}}).status_code == 202
        demo.wait_for(servers[1], "VERIFY_RESIZE")
        assert _action(demo, servers[1], {"confirmResize": None}).status_code == 204
        demo.wait_for(servers[1], "ACTIVE")
        a256.http.close()
    host = admin.server(servers[0])["OS-EXT-SRV-ATTR:host"]
    assert _action(demo, servers[1], {"os-stop": None}).status_code == 202
    demo.wait_for(servers[1], "SHUTOFF")
    yield host, servers
    _force_down(admin, host, False)


def test_evacuate_needs_the_host_down(demo, admin):
    server_id = demo.boot("not-evacuated")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    assert_fault(_action(admin, server_id, {"evacuate": {}}), 400, "badRequest",
                 "Compute service of %s is still in use." % host)
    assert_fault(_action(demo, server_id, {"evacuate": {}}), 403, "forbidden")
    assert_fault(_action(admin, server_id, {"evacuate": {"host": "nowhere"}}), 404,
                 "itemNotFound", "Compute host nowhere not found.")
    assert_fault(_action(admin, server_id, {"evacuate": {"host": host}}), 400, "badRequest",
                 "The target host can't be the same one.")
    assert demo.server(server_id)["status"] == "ACTIVE"


def test_evacuate_from_a_forced_down_host_and_clean_up(cloud, demo, admin, make_client,
                                                       dead_host):
    host, (running, stopped) = dead_host
    a294 = make_client("admin", "admin", "2.94")  # from 2.95 every evacuee ends stopped
    (other,) = set(_managers(cloud)) - {host}
    addresses = demo.server(running)["addresses"]
    # Forced down as before 2.53: the path names the action, the body the service.
    a211 = make_client("admin", "admin", "2.11")
    resp = a211.put("/os-services/force-down", json={"host": host, "binary": "nova-compute",
                                                     "forced_down": True})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"service": {"host": host, "binary": "nova-compute",
                                       "forced_down": True}}
    for server_id in (running, stopped):
        resp = _action(a294, server_id, {"evacuate": {}})
        assert resp.status_code == 200, resp.text
        assert resp.content in (b"", b"null")  # no body from 2.14
    server = demo.wait_for(running, "ACTIVE")
    assert admin.server(running)["OS-EXT-SRV-ATTR:host"] == other
    assert server["addresses"] == addresses
    demo.wait_for(stopped, "SHUTOFF")  # stopped stays stopped
    assert admin.server(stopped)["OS-EXT-SRV-ATTR:host"] == other
    migrations = admin.get("/os-migrations?migration_type=evacuation&source_compute="
                           + host).json()["migrations"]
    assert sorted(m["instance_uuid"] for m in migrations) == sorted([running, stopped])
    assert {m["status"] for m in migrations} == {"done"}
    # The dead host's process still has the guests; when it starts again, they go.
    # Up again before its process has cleaned up, the host would run them twice.
    (service,) = admin.get("/os-services?binary=nova-compute&host=" + host).json()[
        "services"]
    assert_fault(admin.put("/os-services/" + service["id"], json={"forced_down": False}),
                 400, "badRequest", "`done` evacuation migration records remain")
    source = _managers(cloud)[host]
    assert running in source.driver.guests
    assert sorted(source.destroy_evacuated_instances()) == sorted([running, stopped])
    assert running not in source.driver.guests
    assert not os.path.exists(source.image_cache.instance_dir(running))
    migrations = admin.get("/os-migrations?migration_type=evacuation&source_compute="
                           + host).json()["migrations"]
    assert {m["status"] for m in migrations} == {"completed"}


def test_evacuate_2_95_leaves_it_stopped(cloud, demo, admin, make_client):
    server_id = demo.boot("evacuated-stopped")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    _force_down(admin, host, True)
    try:
        a295 = make_client("admin", "admin", "2.95")
        assert _action(a295, server_id, {"evacuate": {}}).status_code == 200
        demo.wait_for(server_id, "SHUTOFF")
        assert admin.server(server_id)["OS-EXT-SRV-ATTR:host"] != host
        # Before 2.14 the answer carries the new admin password, and onSharedStorage is
        # required.
        other = demo.boot("evacuated-old")["server"]["id"]
        demo.wait_for(other, "ACTIVE")
        a21 = make_client("admin", "admin", "2.1")
        assert_fault(_action(a21, other, {"evacuate": {}}), 400, "badRequest")
        resp = _action(a21, other, {"evacuate": {"onSharedStorage": False,
                                                 "adminPass": "evacuated-pass"}})
        if admin.server(other)["OS-EXT-SRV-ATTR:host"] == host:
            assert resp.status_code == 200, resp.text
            assert resp.json() == {"adminPass": "evacuated-pass"}
            demo.wait_for(other, "ACTIVE")
        else:  # placed on the live host: refused as in use
            assert_fault(resp, 400, "badRequest", "still in use")
    finally:
        _managers(cloud)[host].destroy_evacuated_instances()  # as its restart would
        _force_down(admin, host, False)
