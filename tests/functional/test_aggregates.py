"""os-aggregates over HTTP (admin only): create, list, show, update, delete, hosts and
metadata; availability zones from aggregate metadata reach the zone listing and the
scheduler."""

import pytest

from tests.functional.helpers import assert_fault


@pytest.fixture
def aggregate(admin):
    created = []

    def make(name, zone=None):
        body = {"aggregate": {"name": name}}
        if zone:
            body["aggregate"]["availability_zone"] = zone
        resp = admin.post("/os-aggregates", json=body)
        assert resp.status_code == 200, resp.text
        created.append(resp.json()["aggregate"]["id"])
        return resp.json()["aggregate"]

    yield make
    for aggregate_id in created:
        shown = admin.get("/os-aggregates/%d" % aggregate_id)
        if shown.status_code != 200:
            continue
        for host in shown.json()["aggregate"]["hosts"]:
            admin.post("/os-aggregates/%d/action" % aggregate_id,
                       json={"remove_host": {"host": host}})
        admin.delete("/os-aggregates/%d" % aggregate_id)


def _action(admin, aggregate_id, body):
    return admin.post("/os-aggregates/%d/action" % aggregate_id, json=body)


def test_life_cycle(admin, aggregate):
    agg = aggregate("rack1", "zone-a")
    # Nova's create response carries neither hosts nor metadata (Tempest's schema says so).
    assert agg["availability_zone"] == "zone-a" and agg["uuid"]
    assert "hosts" not in agg and "metadata" not in agg
    shown = admin.get("/os-aggregates/%d" % agg["id"]).json()["aggregate"]
    assert shown["metadata"] == {"availability_zone": "zone-a"} and shown["hosts"] == []
    assert agg["id"] in [a["id"] for a in admin.get("/os-aggregates").json()["aggregates"]]
    resp = _action(admin, agg["id"], {"add_host": {"host": "compute1"}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["aggregate"]["hosts"] == ["compute1"]
    resp = _action(admin, agg["id"], {"set_metadata": {"metadata": {"ssd": "true"}}})
    assert resp.json()["aggregate"]["metadata"] == {"availability_zone": "zone-a",
                                                    "ssd": "true"}
    resp = _action(admin, agg["id"], {"set_metadata": {"metadata": {"ssd": None}}})
    assert resp.json()["aggregate"]["metadata"] == {"availability_zone": "zone-a"}
    resp = admin.put("/os-aggregates/%d" % agg["id"], json={"aggregate": {"name": "rack-1"}})
    assert resp.json()["aggregate"]["name"] == "rack-1"
    assert_fault(admin.delete("/os-aggregates/%d" % agg["id"]), 400, "badRequest",
                 "compute1")
    _action(admin, agg["id"], {"remove_host": {"host": "compute1"}})
    assert admin.delete("/os-aggregates/%d" % agg["id"]).status_code == 200
    assert_fault(admin.get("/os-aggregates/%d" % agg["id"]), 404, "itemNotFound")


def test_uuid_from_2_41(make_client, aggregate):
    agg = aggregate("versioned")
    old = make_client("admin", "admin", "2.40").get("/os-aggregates/%d" % agg["id"])
    assert "uuid" not in old.json()["aggregate"]


def test_zones_reach_the_listing_and_the_scheduler(admin, demo, aggregate):
    agg = aggregate("zoned", "zone-b")
    _action(admin, agg["id"], {"add_host": {"host": "compute2"}})
    zones = {z["zoneName"] for z in
             demo.get("/os-availability-zone").json()["availabilityZoneInfo"]}
    assert zones == {"nova", "zone-b"}
    server = demo.boot("zoned", availability_zone="zone-b")["server"]["id"]
    shown = demo.wait_for(server, "ACTIVE")
    assert shown["OS-EXT-AZ:availability_zone"] == "zone-b"
    assert admin.server(server)["OS-EXT-SRV-ATTR:host"] == "compute2"
    # A host with servers cannot move zones.
    assert_fault(admin.put("/os-aggregates/%d" % agg["id"], json={
        "aggregate": {"availability_zone": "zone-c"}}), 400, "badRequest", "instances")
    demo.delete("/servers/" + server)
    demo.wait_gone(server)
    _action(admin, agg["id"], {"remove_host": {"host": "compute2"}})


@pytest.mark.parametrize("body,status,fault,fragment", [
    ({"add_host": {"host": "nowhere"}}, 404, "itemNotFound", "nowhere"),
    ({"remove_host": {"host": "compute2"}}, 404, "itemNotFound", "compute2"),
    ({"add_host": {}}, 400, "badRequest", "host"),
    ({"explode": {}}, 400, "badRequest", "add_host"),
])
def test_bad_actions(admin, aggregate, body, status, fault, fragment):
    agg = aggregate("bad-actions")
    assert_fault(_action(admin, agg["id"], body), status, fault, fragment)


def test_conflicts(admin, aggregate):
    first = aggregate("first", "zone-x")
    assert_fault(admin.post("/os-aggregates", json={"aggregate": {"name": "first"}}),
                 409, "conflictingRequest", "first")
    _action(admin, first["id"], {"add_host": {"host": "compute1"}})
    assert_fault(_action(admin, first["id"], {"add_host": {"host": "compute1"}}), 409,
                 "conflictingRequest")
    second = aggregate("second", "zone-y")
    assert_fault(_action(admin, second["id"], {"add_host": {"host": "compute1"}}), 400,
                 "badRequest", "zone-x")
    assert_fault(admin.post("/os-aggregates", json={"aggregate": {
        "name": "inner", "availability_zone": "internal"}}), 400, "badRequest", "internal")
    assert_fault(admin.get("/os-aggregates/abc"), 400, "badRequest", "abc")


def test_members_may_not(demo):
    assert_fault(demo.get("/os-aggregates"), 403, "forbidden")
    assert_fault(demo.post("/os-aggregates", json={"aggregate": {"name": "x"}}), 403,
                 "forbidden")
