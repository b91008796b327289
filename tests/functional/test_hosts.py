"""What operators see of hosts: availability zones, services, hypervisors."""

import uuid

import pytest

from tests.functional.helpers import assert_fault


def test_availability_zones(demo):
    body = demo.get("/os-availability-zone").json()
    assert body == {"availabilityZoneInfo": [
        {"zoneName": "nova", "zoneState": {"available": True}, "hosts": None}]}


def test_availability_zone_detail_for_admins(admin, demo, make_client):
    # OSC calls it with no microversion header.
    old_admin = make_client("admin", "admin", version=None)
    zones = {z["zoneName"]: z for z in
             old_admin.get("/os-availability-zone/detail").json()["availabilityZoneInfo"]}
    assert set(zones) == {"nova", "internal"}
    nova_hosts = zones["nova"]["hosts"]
    assert set(nova_hosts) == {"compute1", "compute2"}
    compute = nova_hosts["compute1"]["nova-compute"]
    assert compute["available"] is True and compute["active"] is True
    assert compute["updated_at"].endswith("Z")
    internal = next(iter(zones["internal"]["hosts"].values()))
    assert set(internal) == {"nova-conductor", "nova-scheduler"}
    assert_fault(demo.get("/os-availability-zone/detail"), 403, "forbidden")


def test_services(admin, demo, make_client):
    services = admin.get("/os-services").json()["services"]
    binaries = sorted(s["binary"] for s in services)
    assert binaries == ["nova-compute", "nova-compute", "nova-conductor", "nova-scheduler"]
    for service in services:
        uuid.UUID(service["id"])  # 2.53
        assert service["state"] == "up"
        assert service["status"] == "enabled"
        assert service["forced_down"] is False
        assert service["disabled_reason"] is None
        assert service["updated_at"].endswith("Z")
    zones = {s["binary"]: s["zone"] for s in services}
    assert zones == {"nova-compute": "nova", "nova-conductor": "internal",
                     "nova-scheduler": "internal"}
    computes = admin.get("/os-services", params={"binary": "nova-compute",
                                                 "host": "compute2"}).json()["services"]
    assert [(s["binary"], s["host"]) for s in computes] == [("nova-compute", "compute2")]
    old = make_client("admin", "admin", version="2.52")
    assert all(isinstance(s["id"], int) for s in old.get("/os-services").json()["services"])
    assert_fault(demo.get("/os-services"), 403, "forbidden")


def test_services_update_by_uuid(admin, demo):
    (service,) = admin.get("/os-services", params={"binary": "nova-compute",
                                                   "host": "compute2"}).json()["services"]
    path = "/os-services/" + service["id"]
    resp = admin.put(path, json={"status": "disabled", "disabled_reason": "maintenance"})
    assert resp.status_code == 200, resp.text
    shown = resp.json()["service"]
    assert (shown["status"], shown["disabled_reason"]) == ("disabled", "maintenance")
    assert_fault(admin.put(path, json={"status": "enabled", "disabled_reason": "x"}), 400,
                 "badRequest", "Specifying 'disabled_reason' with status 'enabled'")
    assert_fault(admin.put(path, json={}), 400, "badRequest", "No updates were requested")
    assert_fault(admin.put("/os-services/compute2", json={"status": "enabled"}), 400,
                 "badRequest", "Invalid uuid compute2")
    assert_fault(demo.put(path, json={"status": "enabled"}), 403, "forbidden")
    resp = admin.put(path, json={"status": "enabled"})
    assert resp.json()["service"]["disabled_reason"] is None
    (conductor,) = admin.get("/os-services", params={"binary": "nova-conductor"}).json()[
        "services"]
    assert_fault(admin.put("/os-services/" + conductor["id"], json={"status": "disabled"}),
                 400, "badRequest", "Updating a nova-conductor service is not supported")


def test_services_update_before_2_53(admin, make_client):
    """PUT /os-services/<action> with the host and binary in the body, as novaclient's
    older releases send it; force-down only from 2.11."""
    old = make_client("admin", "admin", version="2.10")
    body = {"host": "compute2", "binary": "nova-compute"}
    resp = old.put("/os-services/disable-log-reason", json={**body, "disabled_reason": "r"})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"service": {**body, "status": "disabled", "disabled_reason": "r"}}
    (shown,) = admin.get("/os-services", params={"host": "compute2"}).json()["services"]
    assert (shown["status"], shown["disabled_reason"]) == ("disabled", "r")
    assert_fault(old.put("/os-services/disable-log-reason", json=body), 400, "badRequest",
                 "Missing disabled reason field")
    resp = old.put("/os-services/enable", json=body)
    assert resp.json() == {"service": {**body, "status": "enabled"}}
    assert admin.get("/os-services", params={"host": "compute2"}).json()["services"][0][
        "status"] == "enabled"
    assert_fault(old.put("/os-services/force-down", json={**body, "forced_down": True}),
                 404, "itemNotFound", "Unknown action")
    assert_fault(old.put("/os-services/enable", json={"host": "nowhere",
                                                      "binary": "nova-compute"}),
                 404, "itemNotFound", "Could not find binary nova-compute on host nowhere")
    assert_fault(old.put("/os-services/enable", json={"host": "compute2"}), 400,
                 "badRequest")
    v211 = make_client("admin", "admin", version="2.11")
    resp = v211.put("/os-services/force-down", json={**body, "forced_down": "yes"})
    assert resp.json() == {"service": {**body, "forced_down": True}}
    resp = v211.put("/os-services/force-down", json={**body, "forced_down": False})
    assert resp.json() == {"service": {**body, "forced_down": False}}
    assert admin.get("/os-services", params={"host": "compute2"}).json()["services"][0][
        "forced_down"] is False


def test_hypervisors_list_and_detail(admin, demo):
    listed = admin.get("/os-hypervisors").json()["hypervisors"]
    assert sorted(h["hypervisor_hostname"] for h in listed) == ["compute1", "compute2"]
    for h in listed:
        uuid.UUID(h["id"])
        assert (h["state"], h["status"]) == ("up", "enabled")
    detail = admin.get("/os-hypervisors/detail").json()["hypervisors"]
    for h in detail:
        assert h["hypervisor_type"] == "fake"
        assert h["service"]["host"] == h["hypervisor_hostname"]
        uuid.UUID(h["service"]["id"])
        assert "uptime" in h
        assert "vcpus" not in h and "memory_mb" not in h  # statistics are gone at 2.88
    assert_fault(demo.get("/os-hypervisors"), 403, "forbidden")
    assert_fault(demo.get("/os-hypervisors/detail"), 403, "forbidden")


def test_hypervisors_before_2_53_and_2_88(make_client):
    old = make_client("admin", "admin", version="2.52")
    detail = old.get("/os-hypervisors/detail").json()["hypervisors"]
    for h in detail:
        assert isinstance(h["id"], int) and isinstance(h["service"]["id"], int)
        assert h["vcpus"] == 16 and h["memory_mb"] == 32768 and h["local_gb"] == 1000
        assert h["free_ram_mb"] == h["memory_mb"] - h["memory_mb_used"]
        assert isinstance(h["cpu_info"], dict)  # an object from 2.28 (a string before)
    older = make_client("admin", "admin", version="2.27")
    assert all(isinstance(h["cpu_info"], str) for h in
               older.get("/os-hypervisors/detail").json()["hypervisors"])
    shown = old.get("/os-hypervisors/%d" % detail[0]["id"])
    assert shown.status_code == 200, shown.text
    assert shown.json()["hypervisor"]["hypervisor_hostname"] == \
        detail[0]["hypervisor_hostname"]
    assert_fault(old.get("/os-hypervisors/9999"), 404, "itemNotFound", "9999")
    assert_fault(old.get("/os-hypervisors/abc"), 404, "itemNotFound", "abc")


def test_hypervisor_show_by_uuid(admin):
    listed = admin.get("/os-hypervisors").json()["hypervisors"]
    shown = admin.get("/os-hypervisors/" + listed[0]["id"]).json()["hypervisor"]
    assert shown["id"] == listed[0]["id"]
    missing = str(uuid.uuid4())
    assert_fault(admin.get("/os-hypervisors/" + missing), 404, "itemNotFound", missing)
    assert_fault(admin.get("/os-hypervisors/1"), 400, "badRequest", "1")


@pytest.mark.parametrize("version", ["2.1", "2.87"])
def test_statistics_before_2_88(make_client, demo, version):
    admin = make_client("admin", "admin", version=version)
    server_id = demo.boot("counted")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    stats = admin.get("/os-hypervisors/statistics").json()["hypervisor_statistics"]
    assert stats["count"] == 2
    assert stats["vcpus"] == 32 and stats["memory_mb"] == 65536
    assert stats["running_vms"] >= 1
    assert stats["memory_mb_used"] >= 512
    assert stats["free_ram_mb"] == stats["memory_mb"] - stats["memory_mb_used"]


def test_statistics_are_gone_from_2_88(admin):
    assert_fault(admin.get("/os-hypervisors/statistics"), 404, "itemNotFound")


def test_hypervisor_uptime_search_and_servers_before_2_53(make_client, demo, admin):
    server_id = demo.boot("on-a-host")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = admin.get("/servers/" + server_id).json()["server"]["OS-EXT-SRV-ATTR:host"]
    old = make_client("admin", "admin", version="2.52")
    (node,) = old.get("/os-hypervisors/%s/search" % host).json()["hypervisors"]
    assert node["hypervisor_hostname"] == host and set(node) == {
        "id", "hypervisor_hostname", "state", "status"}
    assert_fault(old.get("/os-hypervisors/no-such-host/search"), 404, "itemNotFound")
    (listed,) = old.get("/os-hypervisors/%s/servers" % host).json()["hypervisors"]
    # As Nova: each server by uuid and instance name (not its display name).
    instance_name = admin.get("/servers/" + server_id).json()["server"][
        "OS-EXT-SRV-ATTR:instance_name"]
    assert {"uuid": server_id, "name": instance_name} in listed["servers"]
    # The uptime comes from the host itself, over RPC: uptime(1)'s line.
    uptime = old.get("/os-hypervisors/%d/uptime" % node["id"]).json()["hypervisor"]
    assert " up " in uptime["uptime"] and "load average:" in uptime["uptime"]
    user = make_client("demo", "demo", version="2.52")
    for path in ("%s/search" % host, "%s/servers" % host, "%d/uptime" % node["id"]):
        assert_fault(user.get("/os-hypervisors/" + path), 403, "forbidden")
    new = make_client("admin", "admin", version="2.88")
    assert_fault(new.get("/os-hypervisors/%s/search" % host), 404, "itemNotFound")
    shown = new.get("/os-hypervisors/%s" % new.get("/os-hypervisors").json()[
        "hypervisors"][0]["id"]).json()["hypervisor"]
    assert "load average:" in shown["uptime"]


def test_hypervisor_list_filters_from_2_53(admin, demo):
    server_id = demo.boot("listed-on-host")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    host = admin.get("/servers/" + server_id).json()["server"]["OS-EXT-SRV-ATTR:host"]
    found = admin.get("/os-hypervisors", params={
        "hypervisor_hostname_pattern": host, "with_servers": "true"}).json()["hypervisors"]
    assert [h["hypervisor_hostname"] for h in found] == [host]
    assert server_id in [s["uuid"] for s in found[0]["servers"]]
    plain = admin.get("/os-hypervisors/detail", params={"hypervisor_hostname_pattern": host})
    assert "servers" not in plain.json()["hypervisors"][0]
    assert_fault(admin.get("/os-hypervisors", params={"with_servers": "maybe"}), 400,
                 "badRequest", "with_servers")
    assert_fault(admin.get("/os-hypervisors", params={"hypervisor_hostname_pattern": "zz"}),
                 404, "itemNotFound")
