"""Builds that cannot succeed end in ERROR with a fault: every host fails the spawn
(retries exhausted), or no host is big enough (NoValidHost)."""

import re

import pytest

from tests.functional.helpers import client_pool, running_cloud

_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("state"),
                       **{"fake.fail_spawn_hosts": ["compute1", "compute2"]}) as aio:
        yield aio


@pytest.fixture(scope="module")
def clients(cloud):
    with client_pool(cloud) as get:
        yield get("demo", "demo"), get("admin", "admin")


def _check_error(server):
    assert server["status"] == "ERROR"
    assert server["OS-EXT-STS:vm_state"] == "error"
    assert server["OS-EXT-STS:task_state"] is None
    assert "progress" not in server
    fault = server["fault"]
    assert fault["code"] == 500
    assert _TIME.match(fault["created"])
    return fault


def test_every_host_failing_exhausts_the_retries(clients):
    demo, admin = clients
    server_id = demo.boot("doomed")["server"]["id"]
    fault = _check_error(demo.wait_for(server_id, "ERROR"))
    assert "retries" in fault["message"], fault
    assert server_id in fault["message"]
    assert "details" not in fault  # a 500's details are for admins only
    shown = admin.server(server_id)
    assert shown["fault"]["message"] == fault["message"]
    assert shown["OS-EXT-SRV-ATTR:host"] is None
    # Each host was tried once: the create action shows both failed spawns.
    actions = demo.get("/servers/%s/os-instance-actions" % server_id).json()
    (create,) = actions["instanceActions"]
    events = admin.get("/servers/%s/os-instance-actions/%s"
                       % (server_id, create["request_id"])).json()["instanceAction"]["events"]
    spawned = sorted(e["host"] for e in events if e["event"] == "compute_build_and_run_instance")
    assert spawned == ["compute1", "compute2"]
    assert all(e["result"] == "Error" for e in events)
    _check_event_views(demo, admin, server_id, create["request_id"])
    # An ERROR server can be deleted.
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_gone(server_id)


def _check_event_views(demo, admin, server_id, request_id):
    """Who sees what of the failed events, per microversion, as in Nova: the project sees
    them from 2.51 without traceback or host; the failure's message (details) from 2.84
    for administrators; an opaque hostId from 2.62 for everyone."""
    path = "/servers/%s/os-instance-actions/%s" % (server_id, request_id)

    def events(who, version):
        resp = who.get(path, headers={"OpenStack-API-Version": "compute " + version})
        assert resp.status_code == 200, resp.text
        return resp.json()["instanceAction"].get("events")

    assert events(demo, "2.50") is None
    for event in events(demo, "2.96"):
        assert "traceback" not in event and "host" not in event and "details" not in event
        assert len(event["hostId"]) == 56
    for event in events(admin, "2.83"):
        assert "details" not in event and event["traceback"]
    for event in events(admin, "2.84"):
        assert event["details"] and event["details"] in event["traceback"]
    assert "hostId" not in events(admin, "2.61")[0]


def test_a_flavor_that_fits_nowhere_is_no_valid_host(clients):
    demo, admin = clients
    resp = admin.post("/flavors", json={"flavor": {
        "name": "enormous", "ram": 10 ** 7, "vcpus": 1, "disk": 1, "id": "enormous"}})
    assert resp.status_code == 200, resp.text
    # Past the RAM quota (51200 MiB by default) it would be refused before scheduling.
    resp = admin.put("/os-quota-sets/demo", json={"quota_set": {"ram": -1}})
    assert resp.status_code == 200, resp.text
    server_id = demo.boot("too-big", flavor="enormous")["server"]["id"]
    fault = _check_error(demo.wait_for(server_id, "ERROR"))
    assert "No valid host was found" in fault["message"]
    listed = demo.get("/servers/detail", params={"status": "ERROR"}).json()["servers"]
    (server,) = [s for s in listed if s["id"] == server_id]
    assert server["fault"]["message"] == fault["message"]
