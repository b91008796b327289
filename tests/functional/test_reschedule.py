"""A spawn failure on one host sends the build to another host (Nova's reschedule)."""

import pytest

from tests.functional.helpers import client_pool, running_cloud


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("state"),
                       **{"fake.fail_spawn_hosts": ["compute1"]}) as aio:
        yield aio


@pytest.fixture(scope="module")
def clients(cloud):
    with client_pool(cloud) as get:
        yield get("demo", "demo"), get("admin", "admin")


def test_builds_end_active_on_the_healthy_host(clients):
    demo, admin = clients
    # Four servers in one request are spread over both hosts, so compute1 gets some.
    resp = demo.post("/servers", json={"server": {
        "name": "resilient", "imageRef": demo.image_id(), "flavorRef": "1",
        "networks": "auto", "min_count": 4, "max_count": 4}})
    assert resp.status_code == 202, resp.text
    request_id = resp.headers["x-openstack-request-id"]
    servers = demo.get("/servers", params={"name": "^resilient-"}).json()["servers"]
    assert len(servers) == 4
    rescheduled = 0
    for listed in servers:
        server = demo.wait_for(listed["id"], "ACTIVE")
        assert "fault" not in server  # the reschedule's fault is not shown once ACTIVE
        assert admin.server(listed["id"])["OS-EXT-SRV-ATTR:host"] == "compute2"
        action = admin.get("/servers/%s/os-instance-actions/%s" % (listed["id"], request_id))
        events = action.json()["instanceAction"]["events"]
        assert events[-1]["host"] == "compute2" and events[-1]["result"] == "Success"
        failed = [e for e in events if e["result"] == "Error"]
        if failed:
            rescheduled += 1
            (event,) = failed
            assert event["host"] == "compute1"
            assert "Fake spawn failure on host compute1" in event["traceback"]
    assert rescheduled >= 1


def test_a_failed_spawn_leaks_no_capacity(clients):
    """compute1's claims were released when its builds were sent elsewhere."""
    _, admin = clients
    hypervisors = admin.get("/os-hypervisors/detail",
                            headers={"OpenStack-API-Version": "compute 2.87"})
    by_host = {h["hypervisor_hostname"]: h for h in hypervisors.json()["hypervisors"]}
    assert by_host["compute1"]["running_vms"] == 0
    assert by_host["compute1"]["memory_mb_used"] == 0
    assert by_host["compute1"]["vcpus_used"] == 0
