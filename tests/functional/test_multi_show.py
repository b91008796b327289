"""multi-show over real HTTP: many servers in one call, each exactly as GET /servers/{id}
shows it to the same caller at the same microversion."""

import uuid

import pytest

from novalite.db import instances as db_instances
from tests.functional.helpers import assert_fault


@pytest.fixture(scope="module")
def servers(demo):
    """Three ACTIVE servers of the demo project and one in ERROR (with a fault)."""
    ids = [demo.boot("multi-%d" % i)["server"]["id"] for i in range(3)]
    for server_id in ids:
        demo.wait_for(server_id, "ACTIVE")
    return ids


def _multi(client, ids, path="/servers/multi_show", **extra):
    return client.post(path, json={"servers": ids, **extra})


@pytest.mark.parametrize("version", ["2.1", "2.47", "2.73", "2.96"])
def test_each_element_is_what_show_returns(make_client, servers, version):
    client = make_client("demo", "demo", version)
    resp = _multi(client, servers)
    assert resp.status_code == 200, resp.text
    info = resp.json()["server_info"]
    assert [s["id"] for s in info] == servers
    for server in info:
        shown = client.get("/servers/" + server["id"]).json()["server"]
        assert server == shown


@pytest.mark.parametrize("user,project", [("admin", "demo"), ("demo", "demo")])
def test_extended_attributes_follow_the_caller(make_client, servers, user, project):
    client = make_client(user, project)
    info = _multi(client, servers[:1]).json()["server_info"][0]
    assert info == client.get("/servers/" + servers[0]).json()["server"]
    assert ("OS-EXT-SRV-ATTR:host" in info) == (user == "admin")
    assert info["OS-EXT-STS:vm_state"] == "active"
    assert info["OS-EXT-AZ:availability_zone"]


def test_order_follows_the_request_and_duplicates_appear_once(demo, servers):
    asked = [servers[2], servers[0], servers[2], servers[1], servers[0]]
    info = _multi(demo, asked).json()["server_info"]
    assert [s["id"] for s in info] == [servers[2], servers[0], servers[1]]


def test_member_action_form_ignores_the_path_id(demo, servers):
    for anything in ("anything", servers[0], str(uuid.uuid4())):
        resp = _multi(demo, servers[1:], path="/servers/%s/multi_show" % anything)
        assert resp.status_code == 200, resp.text
        assert [s["id"] for s in resp.json()["server_info"]] == servers[1:]


def test_project_id_in_the_path_works(demo, servers):
    resp = _multi(demo, servers[:1], path="/demo/servers/multi_show")
    assert resp.status_code == 200, resp.text


def test_more_than_the_limit_is_refused_naming_it(demo, servers, cloud):
    limit = cloud.conf.api.multi_show_max_servers
    assert limit == 10
    ids = [str(uuid.uuid4()) for _ in range(limit + 1)]
    assert_fault(_multi(demo, ids), 400, "badRequest", "At most 10 servers")
    # Exactly the limit is fine (and unknown, so 404 rather than 400).
    assert _multi(demo, ids[:limit]).status_code == 404


@pytest.mark.parametrize("body,fragment", [
    ({"servers": []}, "servers"),
    ({"servers": "abc"}, "servers"),
    ({"servers": [123]}, "123"),
    ({"servers": ["not-a-uuid"]}, "not-a-uuid"),
    ({}, "servers"),
    ({"servers": [str(uuid.uuid4())], "ignore_missing": "maybe"}, "ignore_missing"),
    ({"servers": [str(uuid.uuid4())], "surprise": 1}, "surprise"),
])
def test_bad_bodies_are_400_naming_the_bad_value(demo, body, fragment):
    assert_fault(demo.post("/servers/multi_show", json=body), 400, "badRequest", fragment)


def test_unknown_ids_are_404_naming_only_the_missing(demo, servers):
    missing = str(uuid.uuid4())
    resp = _multi(demo, [servers[0], missing])
    message = assert_fault(resp, 404, "itemNotFound", missing)
    assert servers[0] not in message


def test_ignore_missing_returns_the_found_and_lists_the_rest(demo, servers):
    missing = str(uuid.uuid4())
    resp = _multi(demo, [missing, servers[1]], ignore_missing=True)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [s["id"] for s in body["server_info"]] == [servers[1]]
    assert body["not_found"] == [missing]


def test_another_projects_servers_look_missing(other, servers):
    resp = _multi(other, servers[:2])
    assert_fault(resp, 404, "itemNotFound", servers[0], servers[1])
    body = _multi(other, servers[:2], ignore_missing=True).json()
    assert body == {"server_info": [], "not_found": servers[:2]}


def test_admin_needs_all_tenants_for_other_projects(admin, servers):
    assert _multi(admin, servers[:1]).status_code == 404  # scoped like a list
    for extra in ({"all_tenants": True}, {}):
        path = "/servers/multi_show" + ("" if extra else "?all_tenants=1")
        resp = _multi(admin, servers, path=path, **extra)
        assert resp.status_code == 200, resp.text
        assert [s["id"] for s in resp.json()["server_info"]] == servers


def test_all_tenants_is_admin_only(demo, servers):
    assert_fault(_multi(demo, servers, all_tenants=True), 403, "forbidden")


def test_reader_may_multi_show(make_client, servers):
    reader = make_client("demo", "demo:reader")
    resp = _multi(reader, servers)
    assert resp.status_code == 200, resp.text


def test_error_server_carries_its_fault_like_show(demo, servers, cloud):
    failed = demo.boot("broken")["server"]["id"]
    demo.wait_for(failed, "ACTIVE")
    # ERROR with a fault, written as a compute host writes it.
    db_instances.set_error(cloud.database, failed, 500, "Injected fault", host=None)
    info = _multi(demo, [failed, servers[0]]).json()["server_info"]
    assert info[0] == demo.get("/servers/" + failed).json()["server"]
    assert info[0]["status"] == "ERROR"
    assert info[0]["fault"]["message"] == "Injected fault"
    assert "fault" not in info[1]
