"""Networks through the network API: Neutron's shapes and defaults, version documents and
extensions, project isolation and the admin-only attributes, list filters, fields,
sorting and paging, revision numbers with If-Match, and Neutron's errors."""

import re
import uuid

import httpx

from tests.functional.network.conftest import neutron_error

_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def test_version_documents_need_no_token(cloud):
    versions = httpx.get(cloud.network_url + "/").json()
    assert versions == {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
        {"rel": "self", "href": cloud.network_url + "/v2.0/"}]}]}
    resources = httpx.get(cloud.network_url + "/v2.0").json()["resources"]
    assert {r["collection"] for r in resources} == {
        "networks", "subnets", "ports", "security-groups", "security-group-rules", "routers",
        "floatingips"}
    resp = httpx.get(cloud.network_url + "/v2.0/networks")
    assert resp.status_code == 401 and resp.json()["error"]["code"] == 401


def test_extensions_list_what_is_implemented(net_demo):
    aliases = {e["alias"] for e in net_demo.get("/extensions").json()["extensions"]}
    assert {"external-net", "provider", "binding", "port-security", "pagination", "sorting",
            "standard-attr-revisions", "revision-if-match", "project-id",
            "security-group", "router", "auto-allocated-topology"} <= aliases
    # Not yet: clients must not believe these exist.
    assert not aliases & {"extraroute", "subnet_allocation"}
    shown = net_demo.get("/extensions/binding").json()["extension"]
    assert shown["name"] == "Port Binding"
    neutron_error(net_demo.get("/extensions/nope"), 404, "HTTPNotFound")


def test_network_lifecycle(net_demo):
    network = net_demo.make("network", name="lifecycle")
    assert network["status"] == "ACTIVE" and network["admin_state_up"] is True
    assert (network["shared"], network["router:external"]) == (False, False)
    assert (network["mtu"], network["port_security_enabled"]) == (1500, True)
    assert network["subnets"] == [] and network["revision_number"] == 1
    assert network["project_id"] == network["tenant_id"] == "demo"
    assert _TIME.match(network["created_at"]) and _TIME.match(network["updated_at"])
    assert "provider:network_type" not in network  # for administrators
    uuid.UUID(network["id"])
    path = "/networks/" + network["id"]
    assert net_demo.get(path).json()["network"] == network
    assert net_demo.get(path, params={"fields": ["id", "name"]}).json() == {
        "network": {"id": network["id"], "name": "lifecycle"}}
    resp = net_demo.put(path, json={"network": {"name": "renamed", "mtu": 1450}})
    assert resp.status_code == 200, resp.text
    updated = resp.json()["network"]
    assert (updated["name"], updated["mtu"], updated["revision_number"]) == ("renamed", 1450, 2)
    # A writer holding an old revision loses (revision-if-match).
    stale = net_demo.put(path, json={"network": {"name": "late"}},
                         headers={"If-Match": "revision_number=1"})
    neutron_error(stale, 412, "RevisionNumberConstraintFailed", "current revision is 2")
    fresh = net_demo.put(path, json={"network": {"name": "on-time"}},
                         headers={"If-Match": "revision_number=2"})
    assert fresh.json()["network"]["revision_number"] == 3
    assert net_demo.delete(path).status_code == 204
    neutron_error(net_demo.get(path), 404, "NetworkNotFound",
                  "Network %s could not be found." % network["id"])


def test_projects_see_their_own_shared_and_external_networks(net_demo, net_other, net_admin,
                                                            network_client):
    mine = net_demo.make("network", name="private-to-demo")
    shared = net_admin.make("network", name="everyone", shared=True)
    external = net_admin.make("network", name="outside", **{"router:external": True})
    listed = {n["id"] for n in net_other.get("/networks").json()["networks"]}
    assert shared["id"] in listed and external["id"] in listed and mine["id"] not in listed
    neutron_error(net_other.get("/networks/" + mine["id"]), 404, "NetworkNotFound")
    neutron_error(net_other.delete("/networks/" + mine["id"]), 404, "NetworkNotFound")
    # Seen, but not theirs to change.
    neutron_error(net_other.put("/networks/" + shared["id"], json={"network": {"name": "x"}}),
                  403, "PolicyNotAuthorized", "update_network")
    # Sharing and external networks are the administrator's.
    neutron_error(net_demo.post("/networks", json={"network": {"shared": True}}), 403,
                  "PolicyNotAuthorized", "create_network:shared")
    neutron_error(net_demo.put("/networks/" + mine["id"], json={"network": {
        "router:external": True}}), 403, "PolicyNotAuthorized")
    # A reader sees, but does not make.
    reader = network_client("demo", "demo", persona="reader")
    assert mine["id"] in {n["id"] for n in reader.get("/networks").json()["networks"]}
    neutron_error(reader.post("/networks", json={"network": {}}), 403, "PolicyNotAuthorized")
    # The administrator sees every network, with the provider attributes.
    shown = net_admin.get("/networks/" + mine["id"]).json()["network"]
    assert shown["provider:network_type"] == "local"
    for network in (mine, shared, external):
        client = net_demo if network is mine else net_admin
        assert client.delete("/networks/" + network["id"]).status_code == 204


def test_lists_filter_select_sort_and_page(network_client):
    paged = network_client("pager", "paging")
    made = [paged.make("network", name="page-%d" % i, admin_state_up=i % 2 == 0)
            for i in range(5)]
    names = lambda resp: [n["name"] for n in resp.json()["networks"]]  # noqa: E731
    assert names(paged.get("/networks", params={"name": "page-3"})) == ["page-3"]
    assert names(paged.get("/networks", params=[("name", "page-1"), ("name", "page-4"),
                                                ("sort_key", "name")])) == ["page-1", "page-4"]
    down = paged.get("/networks", params={"admin_state_up": "false", "sort_key": "name"})
    assert names(down) == ["page-1", "page-3"]
    only = paged.get("/networks", params={"fields": "name", "name": "page-0"}).json()
    assert only == {"networks": [{"name": "page-0"}]}
    # The project's own (the cloud's external `public` is in every project's list).
    first = paged.get("/networks", params={"limit": 2, "sort_key": "name",
                                           "sort_dir": "desc", "project_id": "paging"})
    assert names(first) == ["page-4", "page-3"]
    (following,) = [link for link in first.json()["networks_links"] if link["rel"] == "next"]
    second = paged.http.get(following["href"])
    assert names(second) == ["page-2", "page-1"]
    (previous,) = [link for link in second.json()["networks_links"]
                   if link["rel"] == "previous"]
    assert names(paged.http.get(previous["href"])) == ["page-4", "page-3"]
    assert "networks_links" not in paged.get("/networks").json()
    for network in made:
        paged.delete("/networks/" + network["id"])


def test_bulk_create_makes_all_or_none(net_demo):
    resp = net_demo.post("/networks", json={"networks": [{"name": "bulk-1"},
                                                         {"name": "bulk-2"}]})
    assert resp.status_code == 201, resp.text
    made = resp.json()["networks"]
    assert [n["name"] for n in made] == ["bulk-1", "bulk-2"]
    bad = net_demo.post("/networks", json={"networks": [{"name": "bulk-3"},
                                                        {"name": "bulk-4", "shared": True}]})
    neutron_error(bad, 403, "PolicyNotAuthorized")
    listed = {n["name"] for n in net_demo.get("/networks").json()["networks"]}
    assert "bulk-3" not in listed
    for network in made:
        net_demo.delete("/networks/" + network["id"])


def test_bad_requests_are_neutron_errors(net_demo):
    neutron_error(net_demo.post("/networks", json={"network": {"colour": "red"}}), 400,
                  "HTTPBadRequest", "Unrecognized attribute(s) 'colour'")
    neutron_error(net_demo.post("/networks", json={"network": {"admin_state_up": "abc"}}),
                  400, "InvalidInput", "'abc' is not a valid boolean value")
    neutron_error(net_demo.post("/networks", json={"network": {"id": str(uuid.uuid4())}}),
                  400, "HTTPBadRequest", "Attribute 'id' not allowed in POST")
    neutron_error(net_demo.post("/networks", json={"network": {"mtu": 10}}), 400,
                  "InvalidInput", "mtu")
    neutron_error(net_demo.post("/networks", json={"subnet": {}}), 400, "HTTPBadRequest")
    neutron_error(net_demo.http.post("/v2.0/networks", content=b"{nope"), 400,
                  "HTTPBadRequest", "Malformed JSON")
    neutron_error(net_demo.get("/networks", params={"colour": "red"}), 400,
                  "HTTPBadRequest", "[colour] is invalid attribute for filtering")
    neutron_error(net_demo.get("/networks", params={"sort_key": "colour"}), 400,
                  "HTTPBadRequest", "sort_keys")
    neutron_error(net_demo.get("/networks", params={"limit": "many"}), 400,
                  "HTTPBadRequest", "Limit must be an integer")
    neutron_error(net_demo.get("/networks", params={"shared": "maybe"}), 400,
                  "InvalidInput", "not a valid boolean value")
    neutron_error(net_demo.http.patch("/v2.0/networks"), 405, "HTTPMethodNotAllowed")
    neutron_error(net_demo.get("/nothing-here"), 404, "HTTPNotFound")


def test_tags(net_demo, net_other):
    network = net_demo.make("network", name="tagged", tags=["blue", "web"])
    assert network["tags"] == ["blue", "web"]
    path = "/networks/%s/tags" % network["id"]
    assert net_demo.put(path + "/prod").status_code == 201
    assert net_demo.get(path).json() == {"tags": ["blue", "prod", "web"]}
    assert net_demo.get(path + "/prod").status_code == 204
    neutron_error(net_demo.get(path + "/nope"), 404, "TagNotFound")
    other = net_demo.make("network", name="other-tagged", tags=["blue"])
    ids = lambda params: sorted(n["id"] for n in net_demo.get(  # noqa: E731
        "/networks", params=params).json()["networks"])
    assert ids({"tags": "blue,web"}) == [network["id"]]
    assert ids({"tags-any": "web,blue"}) == sorted([network["id"], other["id"]])
    assert other["id"] in ids({"not-tags": "blue,web"})
    assert network["id"] not in ids({"not-tags-any": "prod"})
    replaced = net_demo.put(path, json={"tags": ["x", "y"]})
    assert replaced.status_code == 200 and replaced.json() == {"tags": ["x", "y"]}
    assert net_demo.delete(path + "/x").status_code == 204
    neutron_error(net_demo.delete(path + "/x"), 404, "TagNotFound")
    neutron_error(net_demo.put(path + "/a,b"), 400, "InvalidInput")
    neutron_error(net_other.put(path + "/mine"), 404, "NetworkNotFound")
    assert net_demo.delete(path).status_code == 204
    assert net_demo.get("/networks/" + network["id"]).json()["network"]["tags"] == []
    for item in (network, other):
        net_demo.delete("/networks/" + item["id"])
