"""/flavors: list, detail, show, is_public, paging, create/delete (admin), extra specs."""

import uuid

import pytest

from tests.functional.helpers import assert_fault

DEFAULTS = {"1": "m1.tiny", "2": "m1.small", "3": "m1.medium", "4": "m1.large",
            "5": "m1.xlarge"}


@pytest.fixture(scope="module")
def private_flavor(admin):
    body = {"flavor": {"name": "secret", "ram": 128, "vcpus": 1, "disk": 1, "id": "secret",
                       "os-flavor-access:is_public": False}}
    assert admin.post("/flavors", json=body).status_code == 200
    return "secret"


def test_list_has_ids_names_and_links(demo):
    flavors = demo.get("/flavors").json()["flavors"]
    assert {f["id"]: f["name"] for f in flavors} == DEFAULTS
    tiny = flavors[0]
    assert set(tiny) == {"id", "name", "links", "description"}
    assert tiny["links"][0]["href"].endswith("/v2.1/flavors/1")
    assert tiny["links"][1]["href"].endswith("/flavors/1")


def test_detail_and_show(demo):
    detail = {f["id"]: f for f in demo.get("/flavors/detail").json()["flavors"]}
    assert set(detail) == set(DEFAULTS)
    small = detail["2"]
    assert small["ram"] == 2048 and small["vcpus"] == 1 and small["disk"] == 20
    assert small["OS-FLV-EXT-DATA:ephemeral"] == 0
    assert small["os-flavor-access:is_public"] is True
    assert small["OS-FLV-DISABLED:disabled"] is False
    assert small["rxtx_factor"] == 1.0
    assert small["swap"] == 0  # an integer from 2.75
    assert small["extra_specs"] == {}  # from 2.61
    assert demo.get("/flavors/2").json()["flavor"] == small


def test_old_microversions_show_older_shapes(make_client):
    old = make_client("demo", "demo", version="2.1")
    flavor = old.get("/flavors/1").json()["flavor"]
    assert flavor["swap"] == ""  # "" for no swap before 2.75
    assert "description" not in flavor and "extra_specs" not in flavor


def test_is_public_filter(admin, demo, private_flavor):
    def ids(client, **params):
        return {f["id"] for f in client.get("/flavors/detail", params=params).json()["flavors"]}

    assert private_flavor not in ids(admin)  # public only by default
    assert private_flavor in ids(admin, is_public="None")  # what OSC sends for look-ups
    assert private_flavor in ids(admin, is_public="none")
    assert ids(admin, is_public="False") == {private_flavor}
    assert private_flavor not in ids(admin, is_public="True")
    assert private_flavor not in ids(demo, is_public="None")  # no flavor access for members


def test_paging_and_filters(demo):
    first = demo.get("/flavors", params={"limit": 2}).json()
    assert [f["id"] for f in first["flavors"]] == ["1", "2"]
    (link,) = first["flavors_links"]
    assert "marker=2" in link["href"] and "limit=2" in link["href"]
    rest = demo.get("/flavors", params={"limit": 10, "marker": "2"}).json()
    assert [f["id"] for f in rest["flavors"]] == ["3", "4", "5"]
    big = demo.get("/flavors", params={"minRam": 8192}).json()["flavors"]
    assert [f["id"] for f in big] == ["4", "5"]
    by_disk = demo.get("/flavors/detail", params={"minDisk": 100}).json()["flavors"]
    assert [f["id"] for f in by_disk] == ["5"]
    desc = demo.get("/flavors", params={"sort_key": "memory_mb", "sort_dir": "desc"}).json()
    assert [f["id"] for f in desc["flavors"]] == ["5", "4", "3", "2", "1"]


def test_create_with_null_id_then_delete(admin, demo):
    """What OSC sends: id null means "make a UUID"; create is 200 and delete 202."""
    body = {"flavor": {"name": "osc-made", "vcpus": 2, "ram": 256, "disk": 2, "id": None,
                       "swap": 0, "OS-FLV-EXT-DATA:ephemeral": 0,
                       "os-flavor-access:is_public": True}}
    resp = admin.post("/flavors", json=body)
    assert resp.status_code == 200, resp.text
    flavor = resp.json()["flavor"]
    uuid.UUID(flavor["id"])
    assert (flavor["name"], flavor["vcpus"], flavor["ram"], flavor["disk"]) == \
        ("osc-made", 2, 256, 2)
    assert demo.get("/flavors/" + flavor["id"]).json()["flavor"]["name"] == "osc-made"
    assert_fault(admin.post("/flavors", json=body), 409, "conflictingRequest", "osc-made")
    resp = admin.delete("/flavors/" + flavor["id"])
    assert resp.status_code == 202
    assert_fault(demo.get("/flavors/" + flavor["id"]), 404, "itemNotFound", flavor["id"])


def test_create_with_an_id_and_a_description(admin):
    body = {"flavor": {"name": "described", "vcpus": 1, "ram": 64, "disk": 0, "id": 77,
                       "description": "for tests", "rxtx_factor": 2.5}}
    resp = admin.post("/flavors", json=body)
    assert resp.status_code == 200, resp.text
    flavor = resp.json()["flavor"]
    assert flavor["id"] == "77" and flavor["description"] == "for tests"
    assert flavor["rxtx_factor"] == 2.5
    resp = admin.put("/flavors/77", json={"flavor": {"description": "changed"}})
    assert resp.status_code == 200
    assert resp.json()["flavor"]["description"] == "changed"
    assert admin.delete("/flavors/77").status_code == 202


def test_members_cannot_manage_flavors(demo):
    body = {"flavor": {"name": "mine", "vcpus": 1, "ram": 64, "disk": 1}}
    assert_fault(demo.post("/flavors", json=body), 403, "forbidden", "flavor-manage")
    assert_fault(demo.delete("/flavors/1"), 403, "forbidden")
    assert_fault(demo.post("/flavors/1/os-extra_specs", json={"extra_specs": {"a": "b"}}),
                 403, "forbidden")


def test_extra_specs(admin, demo):
    body = {"flavor": {"name": "special", "vcpus": 1, "ram": 64, "disk": 1, "id": "special"}}
    assert admin.post("/flavors", json=body).status_code == 200
    path = "/flavors/special/os-extra_specs"
    assert demo.get(path).json() == {"extra_specs": {}}
    resp = admin.post(path, json={"extra_specs": {"hw:cpu_policy": "dedicated",
                                                  "quota:cpu_shares": 1024}})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"extra_specs": {"hw:cpu_policy": "dedicated",
                                           "quota:cpu_shares": "1024"}}
    assert demo.get(path + "/hw:cpu_policy").json() == {"hw:cpu_policy": "dedicated"}
    resp = admin.put(path + "/hw:cpu_policy", json={"hw:cpu_policy": "shared"})
    assert resp.status_code == 200
    assert resp.json() == {"hw:cpu_policy": "shared"}
    assert demo.get("/flavors/special").json()["flavor"]["extra_specs"] == {
        "hw:cpu_policy": "shared", "quota:cpu_shares": "1024"}
    resp = admin.delete(path + "/quota:cpu_shares")
    assert resp.status_code == 200
    assert demo.get(path).json() == {"extra_specs": {"hw:cpu_policy": "shared"}}
    # A server keeps the flavor as it was at boot, extra specs included.
    server_id = demo.boot("special-vm", flavor="special")["server"]["id"]
    assert demo.server(server_id)["flavor"]["extra_specs"] == {"hw:cpu_policy": "shared"}


def test_flavor_access_lets_a_project_use_a_private_flavor(admin, demo, make_client):
    body = {"flavor": {"name": "shared-out", "ram": 64, "vcpus": 1, "disk": 1,
                       "id": "shared-out", "os-flavor-access:is_public": False}}
    assert admin.post("/flavors", json=body).status_code == 200
    assert_fault(demo.get("/flavors/shared-out"), 404, "itemNotFound")
    boot = {"server": {"name": "private", "imageRef": demo.image_id(),
                       "flavorRef": "shared-out", "networks": "none"}}
    assert_fault(demo.post("/servers", json=boot), 400, "badRequest", "shared-out")
    access = admin.get("/flavors/shared-out/os-flavor-access")
    assert access.status_code == 200 and access.json() == {"flavor_access": []}

    resp = admin.post("/flavors/shared-out/action",
                      json={"addTenantAccess": {"tenant": "demo"}})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"flavor_access": [{"flavor_id": "shared-out", "tenant_id": "demo"}]}
    assert_fault(admin.post("/flavors/shared-out/action",
                            json={"addTenantAccess": {"tenant": "demo"}}), 409,
                 "conflictingRequest")
    assert demo.get("/flavors/shared-out").status_code == 200
    assert "shared-out" in {f["id"] for f in demo.get("/flavors").json()["flavors"]}
    other = make_client("alice", "other")
    assert "shared-out" not in {f["id"] for f in other.get("/flavors").json()["flavors"]}
    assert demo.post("/servers", json=boot).status_code == 202

    # Only admins manage access; public flavors have no access list.
    assert_fault(demo.post("/flavors/shared-out/action",
                           json={"removeTenantAccess": {"tenant": "demo"}}), 403, "forbidden")
    assert_fault(demo.get("/flavors/shared-out/os-flavor-access"), 403, "forbidden")
    assert_fault(admin.get("/flavors/1/os-flavor-access"), 404, "itemNotFound")
    assert_fault(admin.post("/flavors/1/action", json={"addTenantAccess": {"tenant": "x"}}),
                 409, "conflictingRequest")
    assert_fault(admin.post("/flavors/shared-out/action", json={"addTenantAccess": {}}),
                 400, "badRequest")

    resp = admin.post("/flavors/shared-out/action",
                      json={"removeTenantAccess": {"tenant": "demo"}})
    assert resp.status_code == 200 and resp.json() == {"flavor_access": []}
    assert_fault(admin.post("/flavors/shared-out/action",
                            json={"removeTenantAccess": {"tenant": "demo"}}), 404,
                 "itemNotFound")
    assert_fault(demo.get("/flavors/shared-out"), 404, "itemNotFound")
