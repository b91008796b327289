"""shelve / shelveOffload / unshelve through the whole pipeline: the shelved image, the
host freed on offload (at once by default, after shelved_offload_time by the periodic
task, or asked for), unshelve through the conductor and scheduler (2.77 zone, 2.91 host),
the image deleted afterwards, Nova's 409s and 400s, quota counted throughout."""

import time

import pytest

from tests.functional.helpers import assert_fault, client_pool, running_cloud


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


def _images_named(client, name):
    images = client.get("/images/detail", headers={"OpenStack-API-Version": "compute 2.1"}).json()
    return [i for i in images["images"] if i["name"] == name]


def _wait_task_idle(client, server_id, timeout=30):
    deadline = time.monotonic() + timeout
    while (server := client.server(server_id))["OS-EXT-STS:task_state"] is not None:
        assert time.monotonic() < deadline, server
        time.sleep(0.05)
    return server


def _computes(cloud):
    return {s.manager.host: s.manager for s in cloud.services
            if hasattr(s.manager, "driver")}


def _usage(admin):
    hypervisors = admin.get("/os-hypervisors/detail", headers={
        "OpenStack-API-Version": "compute 2.27"}).json()["hypervisors"]
    return {h["service"]["host"]: (h["running_vms"], h["memory_mb_used"])
            for h in hypervisors}


def test_shelve_offloads_at_once_and_unshelve_spawns_anew(cloud, demo, admin):
    server_id = demo.boot("shelved")["server"]["id"]
    before = demo.wait_for(server_id, "ACTIVE")
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    usage_before = _usage(admin)
    assert _action(demo, server_id, {"shelve": None}).status_code == 202
    server = demo.wait_for(server_id, "SHELVED_OFFLOADED")
    assert server["OS-EXT-STS:task_state"] is None
    assert server["OS-EXT-STS:vm_state"] == "shelved_offloaded"
    assert admin.server(server_id)["OS-EXT-SRV-ATTR:host"] is None
    (image,) = _images_named(demo, "shelved-shelved")
    assert image["status"] == "ACTIVE"
    assert image["metadata"]["instance_uuid"] == server_id
    # The host is freed: no guest there, one running VM and its RAM fewer.
    assert server_id not in _computes(cloud)[host].driver.guests
    running, ram = usage_before[host]
    assert _usage(admin)[host] == (running - 1, ram - 512)
    # The addresses stay (as Neutron's ports do) and so does the quota.
    assert server["addresses"] == before["addresses"]
    limits = demo.get("/limits").json()["limits"]["absolute"]
    assert limits["totalInstancesUsed"] >= 1
    assert_fault(_action(demo, server_id, {"shelve": None}), 409, "conflictingRequest",
                 "Cannot 'shelve' instance %s while it is in vm_state shelved_offloaded"
                 % server_id)
    assert_fault(_action(demo, server_id, {"os-start": None}), 409, "conflictingRequest")
    assert _action(demo, server_id, {"unshelve": None}).status_code == 202
    server = demo.wait_for(server_id, "ACTIVE")
    assert server["image"]["id"] == before["image"]["id"]  # the original image, as Nova
    assert admin.server(server_id)["OS-EXT-SRV-ATTR:host"] in _computes(cloud)
    assert _images_named(demo, "shelved-shelved") == []  # the shelved image is gone
    actions = [a["action"] for a in demo.get(
        "/servers/%s/os-instance-actions" % server_id).json()["instanceActions"]]
    assert actions[:2] == ["unshelve", "shelve"]


def test_unshelve_to_a_chosen_host_2_91(cloud, demo, admin, make_client):
    server_id = demo.boot("shelved-to-host")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    (target,) = set(_computes(cloud)) - {host}
    assert _action(demo, server_id, {"shelve": None}).status_code == 202
    demo.wait_for(server_id, "SHELVED_OFFLOADED")
    a291, d291 = make_client("admin", "admin", "2.91"), make_client("demo", "demo", "2.91")
    # The host is an administrator's choice.
    assert_fault(_action(d291, server_id, {"unshelve": {"host": target}}), 403,
                 "forbidden")
    assert_fault(_action(a291, server_id, {"unshelve": {"host": "no-such-host"}}), 400,
                 "badRequest", "no-such-host")
    assert_fault(_action(a291, server_id, {"unshelve": {
        "host": target, "availability_zone": "elsewhere"}}), 400, "badRequest",
        "The requested availability zone is not available")
    resp = _action(a291, server_id, {"unshelve": {"host": target}})
    assert resp.status_code == 202, resp.text
    demo.wait_for(server_id, "ACTIVE")
    assert admin.server(server_id)["OS-EXT-SRV-ATTR:host"] == target


def test_unshelve_availability_zone_2_77(demo, make_client):
    server_id = demo.boot("shelved-az")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    d277 = make_client("demo", "demo", "2.77")
    assert _action(demo, server_id, {"shelve": None}).status_code == 202
    demo.wait_for(server_id, "SHELVED_OFFLOADED")
    assert_fault(_action(d277, server_id, {"unshelve": {}}), 400, "badRequest")
    assert_fault(_action(d277, server_id, {"unshelve": {"availability_zone": "mars"}}),
                 400, "badRequest", "The requested availability zone is not available")
    resp = _action(d277, server_id, {"unshelve": {"availability_zone": "nova"}})
    assert resp.status_code == 202, resp.text
    server = demo.wait_for(server_id, "ACTIVE")
    assert server["OS-EXT-AZ:availability_zone"] == "nova"


def test_deleting_a_shelved_server_deletes_its_image(demo):
    server_id = demo.boot("shelved-gone")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert _action(demo, server_id, {"shelve": None}).status_code == 202
    demo.wait_for(server_id, "SHELVED_OFFLOADED")
    assert len(_images_named(demo, "shelved-gone-shelved")) == 1
    assert demo.delete("/servers/" + server_id).status_code == 204
    demo.wait_gone(server_id)
    assert _images_named(demo, "shelved-gone-shelved") == []


def test_shelve_bad_input_and_policy(demo, other):
    server_id = demo.boot("shelve-bad")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert_fault(_action(other, server_id, {"shelve": None}), 404, "itemNotFound")
    assert_fault(_action(demo, server_id, {"unshelve": None}), 409, "conflictingRequest",
                 "Cannot 'unshelve' instance %s while it is in vm_state active" % server_id)
    assert_fault(_action(demo, server_id, {"shelveOffload": None}), 403, "forbidden")
    assert demo.server(server_id)["status"] == "ACTIVE"


# -- a cloud that keeps shelved servers on their hosts ------------------------------------

@pytest.fixture(scope="module")
def keeping(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("keep"), shelved_offload_time=-1) as aio:
        with client_pool(aio) as get:
            yield aio, get("demo", "demo"), get("admin", "admin"), get("demo", "demo", "2.77")


def test_shelved_server_stays_on_its_host_until_offloaded(keeping):
    cloud, demo, admin, d277 = keeping
    server_id = demo.boot("kept")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    assert _action(demo, server_id, {"shelve": None}).status_code == 202
    server = demo.wait_for(server_id, "SHELVED")
    assert server["OS-EXT-STS:power_state"] == 4  # shut down, still defined
    assert admin.server(server_id)["OS-EXT-SRV-ATTR:host"] == host
    assert server_id in _computes(cloud)[host].driver.guests
    # A zone is for placing an offloaded server only.
    assert_fault(_action(d277, server_id, {"unshelve": {"availability_zone": "nova"}}),
                 409, "conflictingRequest", "The server status must be SHELVED_OFFLOADED")
    # unshelve of a SHELVED server powers it on where it is.
    assert _action(demo, server_id, {"unshelve": None}).status_code == 202
    demo.wait_for(server_id, "ACTIVE")
    assert admin.server(server_id)["OS-EXT-SRV-ATTR:host"] == host
    assert _images_named(demo, "kept-shelved") == []
    # shelve again, then an administrator offloads it.
    assert _action(demo, server_id, {"shelve": None}).status_code == 202
    demo.wait_for(server_id, "SHELVED")
    assert _action(admin, server_id, {"shelveOffload": None}).status_code == 202
    demo.wait_for(server_id, "SHELVED_OFFLOADED")
    assert server_id not in _computes(cloud)[host].driver.guests
    assert_fault(_action(admin, server_id, {"shelveOffload": None}), 409,
                 "conflictingRequest", "vm_state shelved_offloaded")


def test_periodic_task_offloads_after_shelved_offload_time(keeping):
    cloud, demo, admin, _ = keeping
    server_id = demo.boot("kept-periodic")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    assert _action(demo, server_id, {"shelve": None}).status_code == 202
    demo.wait_for(server_id, "SHELVED")
    manager = _computes(cloud)[host]
    cloud.conf.set_override("shelved_offload_time", 1)
    try:
        assert manager.offload_shelved_instances() == []  # shelved less than 1 s ago
        time.sleep(1.1)
        assert manager.offload_shelved_instances() == [server_id]
    finally:
        cloud.conf.set_override("shelved_offload_time", -1)
    server = demo.wait_for(server_id, "SHELVED_OFFLOADED")
    assert server["OS-EXT-STS:task_state"] is None
