"""Projects: another project's server is 404 (never 403); admins see everything with
all_tenants; OS-EXT-SRV-ATTR fields are for admins only."""

import pytest

from tests.functional.helpers import assert_fault


@pytest.fixture(scope="module")
def demo_server(demo):
    server_id = demo.boot("private")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    return server_id


def test_another_projects_server_is_not_found(other, demo_server):
    path = "/servers/" + demo_server
    assert_fault(other.get(path), 404, "itemNotFound", demo_server)
    assert_fault(other.put(path, json={"server": {"name": "mine"}}), 404, "itemNotFound")
    assert_fault(other.post(path + "/action", json={"os-stop": None}), 404, "itemNotFound")
    assert_fault(other.get(path + "/os-instance-actions"), 404, "itemNotFound")
    assert_fault(other.delete(path), 404, "itemNotFound")
    assert demo_server not in {s["id"] for s in other.get("/servers").json()["servers"]}


def test_the_same_user_in_another_project_sees_nothing_either(make_client, demo_server):
    elsewhere = make_client("demo", "elsewhere")
    assert_fault(elsewhere.get("/servers/" + demo_server), 404, "itemNotFound")


def test_admin_lists_all_projects_only_with_all_tenants(admin, other, demo_server):
    theirs = other.boot("theirs")["server"]["id"]
    own = {s["id"] for s in admin.get("/servers").json()["servers"]}
    assert demo_server not in own and theirs not in own
    for value in ("1", "True", "true"):
        everyone = admin.get("/servers", params={"all_tenants": value}).json()["servers"]
        assert {demo_server, theirs} <= {s["id"] for s in everyone}
    one_project = admin.get("/servers/detail",
                            params={"all_tenants": "1", "project_id": "other"})
    assert {s["tenant_id"] for s in one_project.json()["servers"]} == {"other"}
    assert admin.get("/servers", params={"all_tenants": "0"}).status_code == 200


def test_all_tenants_is_admin_only(demo, demo_server):
    assert_fault(demo.get("/servers", params={"all_tenants": "1"}), 403, "forbidden",
                 "get_all_tenants")
    assert_fault(demo.get("/servers/detail", params={"all_tenants": "True"}), 403,
                 "forbidden")
    resp = demo.get("/servers", params={"all_tenants": "False"})
    assert resp.status_code == 200  # asking for less is fine
    assert_fault(demo.get("/servers", params={"all_tenants": "perhaps"}), 400, "badRequest",
                 "all_tenants")


def test_admin_reads_and_acts_on_any_server(admin, demo, demo_server):
    assert admin.server(demo_server)["tenant_id"] == "demo"
    resp = admin.post("/servers/%s/action" % demo_server, json={"reboot": {"type": "SOFT"}})
    assert resp.status_code == 202
    demo.wait_for(demo_server, "ACTIVE")


def test_extended_attributes_only_for_admin(admin, demo, demo_server):
    extended = ("OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:hypervisor_hostname",
                "OS-EXT-SRV-ATTR:instance_name", "OS-EXT-SRV-ATTR:reservation_id",
                "OS-EXT-SRV-ATTR:launch_index", "OS-EXT-SRV-ATTR:kernel_id",
                "OS-EXT-SRV-ATTR:ramdisk_id", "OS-EXT-SRV-ATTR:root_device_name",
                "OS-EXT-SRV-ATTR:user_data")
    as_admin = admin.server(demo_server)
    as_demo = demo.server(demo_server)
    for key in extended:
        assert key in as_admin
        assert key not in as_demo
    assert as_admin["OS-EXT-SRV-ATTR:host"] in ("compute1", "compute2")
    assert as_admin["OS-EXT-SRV-ATTR:instance_name"].startswith("instance-")
    assert as_admin["host_status"] == "UP"
    (listed,) = [s for s in demo.get("/servers/detail").json()["servers"]
                 if s["id"] == demo_server]
    assert not [k for k in listed if k in extended]
    everyone = admin.get("/servers/detail", params={"all_tenants": "1"}).json()["servers"]
    (listed,) = [s for s in everyone if s["id"] == demo_server]
    assert listed["OS-EXT-SRV-ATTR:host"] == as_admin["OS-EXT-SRV-ATTR:host"]
