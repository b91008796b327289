"""Auto-allocated topologies (Nova's "get me a network"): the default external network
(`is_default`, one at most, set by administrators), a project's topology made on its first
GET and the same one after (also when first asked for by many requests at once), the
dry-run check, who may ask for which project's, delete, and subnets that never overlap
another's."""

import concurrent.futures
import threading

import httpx
import netaddr
import pytest

from tests.functional.network.conftest import NetworkClient, neutron_error

CLOUD_OPTIONS = {"computes": 1}
PREFIX = netaddr.IPNetwork("10.128.0.0/9")  # [network_api] auto_allocate_prefix's default


def _topology(client, project, **params):
    return client.get("/auto-allocated-topology/" + project, params=params)


def _defaults(admin) -> list[dict]:
    return admin.get("/networks", params={"is_default": "true"}).json()["networks"]


@pytest.fixture(scope="module")
def default_external(net_admin):
    """The default external network (the cloud's own, or one made here)."""
    found = _defaults(net_admin)
    if found:
        return found[0]
    network = net_admin.make("network", name="public-default", is_default=True,
                             **{"router:external": True})
    net_admin.make("subnet", network_id=network["id"], ip_version=4, cidr="172.30.0.0/24")
    return network


def _owned(admin, collection, project) -> list[dict]:
    return admin.get("/" + collection, params={"project_id": project}).json()[collection]


def test_dry_run_and_get_fail_without_a_default_external_network(network_client,
                                                                 net_admin):
    before = _defaults(net_admin)
    for network in before:  # the cloud's DevStack-like `public`, if it made one
        resp = net_admin.put("/networks/" + network["id"], json={"network": {
            "is_default": False}})
        assert resp.status_code == 200 and resp.json()["network"]["is_default"] is False
    try:
        client = network_client("aa-user", "aa-nodefault")
        for params in ({"fields": "dry-run"}, {}):
            neutron_error(_topology(client, "aa-nodefault", **params), 409,
                          "AutoAllocationFailure",
                          "Deployment error: No default router:external network.")
        assert _owned(net_admin, "networks", "aa-nodefault") == []
        assert _owned(net_admin, "routers", "aa-nodefault") == []
    finally:
        for network in before:
            net_admin.put("/networks/" + network["id"], json={"network": {
                "is_default": True}})


def test_is_default_rules(net_admin, net_demo, default_external):
    assert default_external["is_default"] is True
    assert default_external["router:external"] is True
    assert [n["id"] for n in _defaults(net_admin)] == [default_external["id"]]
    # At most one default external network, on create and on update.
    neutron_error(net_admin.post("/networks", json={"network": {
        "name": "second-default", "is_default": True, "router:external": True}}), 409,
        "DefaultExternalNetworkExists", default_external["id"])
    second = net_admin.make("network", name="second-external", **{"router:external": True})
    assert second["is_default"] is False
    neutron_error(net_admin.put("/networks/" + second["id"], json={"network": {
        "is_default": True}}), 409, "DefaultExternalNetworkExists", default_external["id"])
    # Setting it again on the default itself is no conflict.
    resp = net_admin.put("/networks/" + default_external["id"], json={"network": {
        "is_default": True}})
    assert resp.status_code == 200 and resp.json()["network"]["is_default"] is True
    # Only meaningful on an external network.
    internal = net_admin.make("network", name="internal", is_default=True)
    assert internal["is_default"] is False
    # Administrators only.
    neutron_error(net_demo.post("/networks", json={"network": {
        "name": "mine", "is_default": True}}), 403, "PolicyNotAuthorized",
        "create_network:is_default")
    mine = net_demo.make("network", name="mine")
    neutron_error(net_demo.put("/networks/" + mine["id"], json={"network": {
        "is_default": True}}), 403, "PolicyNotAuthorized", "update_network:is_default")
    neutron_error(net_demo.put("/networks/" + mine["id"], json={"network": {
        "is_default": "maybe"}}), 400, "InvalidInput")
    for network in (second, internal):
        assert net_admin.delete("/networks/" + network["id"]).status_code == 204
    assert net_demo.delete("/networks/" + mine["id"]).status_code == 204


def test_topology_made_once_and_the_same_after(network_client, net_admin,
                                               default_external):
    client = network_client("aa-user", "aa-one")
    resp = _topology(client, "aa-one", fields="dry-run")
    assert resp.status_code == 200, resp.text
    assert resp.json()["auto_allocated_topology"]["dry-run"] == "pass"
    assert _owned(net_admin, "networks", "aa-one") == []  # a dry run makes nothing

    resp = _topology(client, "aa-one")
    assert resp.status_code == 200, resp.text
    topology = resp.json()["auto_allocated_topology"]
    assert topology == {"id": topology["id"], "project_id": "aa-one", "tenant_id": "aa-one"}
    (network,) = _owned(net_admin, "networks", "aa-one")
    assert (network["id"], network["name"]) == (topology["id"], "auto_allocated_network")
    assert network["admin_state_up"] is True and network["shared"] is False
    (subnet,) = _owned(net_admin, "subnets", "aa-one")
    assert subnet["network_id"] == network["id"] and subnet["ip_version"] == 4
    cidr = netaddr.IPNetwork(subnet["cidr"])
    assert cidr in PREFIX and cidr.prefixlen == 20
    assert subnet["gateway_ip"] == str(cidr.network + 1)
    (router,) = _owned(net_admin, "routers", "aa-one")
    assert router["name"] == "auto_allocated_router"
    assert router["external_gateway_info"]["network_id"] == default_external["id"]
    ports = client.get("/ports", params={"network_id": network["id"]}).json()["ports"]
    assert [(p["device_id"], p["device_owner"], p["fixed_ips"]) for p in ports] == [
        (router["id"], "network:router_interface",
         [{"subnet_id": subnet["id"], "ip_address": subnet["gateway_ip"]}])]
    # The project sees it as its own, and a server's port can go on it.
    assert client.get("/networks/" + network["id"]).status_code == 200
    client.make("port", network_id=network["id"])

    # Idempotent: the same network, nothing more made.
    for project in ("aa-one", "None"):  # "None": the caller's project, as Neutron reads it
        again = _topology(client, project)
        assert again.status_code == 200, again.text
        assert again.json()["auto_allocated_topology"] == topology
    assert len(_owned(net_admin, "networks", "aa-one")) == 1
    assert len(_owned(net_admin, "routers", "aa-one")) == 1
    resp = _topology(client, "aa-one", fields="dry-run")
    assert resp.json()["auto_allocated_topology"]["dry-run"] == "pass"
    neutron_error(_topology(client, "aa-one", fields="id"), 400, "BadRequest",
                  "Unrecognized field")


def test_a_project_asks_only_for_its_own(cloud, network_client, net_admin,
                                         default_external):
    owner = network_client("aa-user", "aa-two")
    intruder = network_client("mallory", "aa-intruder")
    for params in ({}, {"fields": "dry-run"}):
        neutron_error(_topology(intruder, "aa-two", **params), 403, "NotAuthorized")
    neutron_error(intruder.delete("/auto-allocated-topology/aa-two"), 403, "NotAuthorized")
    assert _owned(net_admin, "networks", "aa-two") == []  # nothing made for the asker
    assert _owned(net_admin, "networks", "aa-intruder") == []
    # A reader sees the project's topology, and may not delete it.
    reader = network_client("aa-reader", "aa-two", "reader")
    topology = _topology(owner, "aa-two").json()["auto_allocated_topology"]
    assert _topology(reader, "aa-two").json()["auto_allocated_topology"] == topology
    neutron_error(reader.delete("/auto-allocated-topology/aa-two"), 403,
                  "PolicyNotAuthorized", "delete_auto_allocated_topology")
    # An administrator may ask for any project's.
    resp = _topology(net_admin, "aa-two")
    assert resp.json()["auto_allocated_topology"] == topology
    # Unauthenticated: nothing.
    resp = httpx.get(cloud.network_url + "/v2.0/auto-allocated-topology/aa-two")
    assert resp.status_code == 401


def test_concurrent_first_calls_make_one_topology_each(cloud, net_admin,
                                                       default_external):
    projects = ["aa-race-%d" % i for i in range(4)]
    asks = [p for p in projects for _ in range(4)]
    start = threading.Barrier(len(asks))

    def ask(project):
        client = NetworkClient(cloud.network_url, "racer:" + project)
        try:
            start.wait()
            return project, _topology(client, project)
        finally:
            client.http.close()

    with concurrent.futures.ThreadPoolExecutor(len(asks)) as pool:
        results = list(pool.map(ask, asks))
    answers = {}
    for project, resp in results:
        assert resp.status_code == 200, resp.text
        answers.setdefault(project, set()).add(resp.json()["auto_allocated_topology"]["id"])
    cidrs = []
    for project in projects:
        (network_id,) = answers[project]  # every request of a project got the same one
        assert [n["id"] for n in _owned(net_admin, "networks", project)] == [network_id]
        assert len(_owned(net_admin, "routers", project)) == 1
        (subnet,) = _owned(net_admin, "subnets", project)
        cidrs.append(netaddr.IPNetwork(subnet["cidr"]))
    assert len(set(cidrs)) == len(projects)


def test_subnets_never_overlap_another(network_client, net_admin, default_external):
    # A project's own subnet where the next topology's would go is avoided.
    squatter = network_client("aa-user", "aa-squatter")
    taken = [netaddr.IPNetwork(s["cidr"]) for s in
             net_admin.get("/subnets").json()["subnets"]]
    free = netaddr.IPSet([PREFIX]) - netaddr.IPSet(taken)
    next_cidr = next(c for c in free.iter_cidrs() if c.prefixlen <= 20)
    own = squatter.make("network", name="own")
    squatter.make("subnet", network_id=own["id"], ip_version=4,
                  cidr="%s/24" % next_cidr.network)
    for project in ("aa-three", "aa-four"):
        client = network_client("aa-user", project)
        assert _topology(client, project).status_code == 200
    subnets = net_admin.get("/subnets").json()["subnets"]
    auto = [s for s in subnets if s["name"] == "auto_allocated_subnet_v4"]
    assert {s["project_id"] for s in auto} >= {"aa-three", "aa-four", "aa-one"}
    for subnet in auto:
        cidr = netaddr.IPNetwork(subnet["cidr"])
        for other in subnets:
            if other["id"] != subnet["id"] and other["ip_version"] == 4:
                assert not netaddr.IPSet([cidr]) & netaddr.IPSet([other["cidr"]]), (
                    subnet, other)


def test_delete(network_client, net_admin, default_external):
    client = network_client("aa-user", "aa-five")
    path = "/auto-allocated-topology/aa-five"
    assert client.delete(path).status_code == 204  # none yet: nothing to do
    first = _topology(client, "aa-five").json()["auto_allocated_topology"]
    (router,) = _owned(net_admin, "routers", "aa-five")
    # A server's port on it keeps it: nothing is removed.
    port = client.make("port", network_id=first["id"], device_id="vm-1",
                       device_owner="compute:nova")
    neutron_error(client.delete(path), 409, "NetworkInUse")
    assert _topology(client, "aa-five").json()["auto_allocated_topology"] == first
    assert net_admin.get("/routers/" + router["id"]).status_code == 200
    assert client.delete("/ports/" + port["id"]).status_code == 204

    resp = client.delete(path)
    assert resp.status_code == 204, resp.text
    assert _owned(net_admin, "networks", "aa-five") == []
    assert _owned(net_admin, "routers", "aa-five") == []
    assert _owned(net_admin, "subnets", "aa-five") == []
    # The next request makes a new one.
    second = _topology(client, "aa-five").json()["auto_allocated_topology"]
    assert second["id"] != first["id"]
