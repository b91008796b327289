"""The network service's server actions with servers on ports, as Nova answers them with
Neutron: add/removeSecurityGroup change the security groups of the server's ports, GET
/servers/{id}/os-security-groups and the server view show them, and add/removeFloatingIp
(until 2.43) associate a floating IP with the server's port, shown in its addresses at
once."""

import uuid

import pytest

from tests.functional.helpers import assert_fault
from tests.functional.network.conftest import network_client  # noqa: F401 (a fixture)

CLOUD_OPTIONS = {"computes": 1}


def _action(client, server_id, body):
    return client.post("/servers/%s/action" % server_id, json=body)


@pytest.fixture(scope="module")
def project(make_client, network_client):  # noqa: F811
    """A project with a network and subnet of its own: (name, compute client, the same at
    2.43, network client, network, subnet)."""
    name = "sna-" + uuid.uuid4().hex[:8]
    net = network_client("user", name)
    network = net.make("network", name="private")
    subnet = net.make("subnet", network_id=network["id"], cidr="10.91.0.0/24", ip_version=4)
    return (name, make_client("user", name), make_client("user", name, "2.43"), net,
            network, subnet)


@pytest.fixture(scope="module")
def server(project):
    _, compute, _, _, network, _ = project
    server = compute.boot("sna-vm", networks=[{"uuid": network["id"]}])["server"]
    return compute.wait_for(server["id"], "ACTIVE")


def _ports(net, server_id):
    resp = net.get("/ports", params={"device_id": server_id})
    assert resp.status_code == 200, resp.text
    return resp.json()["ports"]


def _group_names(compute, server_id):
    return sorted(g["name"] for g in compute.server(server_id).get("security_groups", []))


def test_add_and_remove_security_groups(project, server, make_client):
    name, compute, _, net, _, _ = project
    sid = server["id"]
    assert server["security_groups"] == [{"name": "default"}]
    web = net.make("security_group", name="web", description="web servers")

    resp = _action(compute, sid, {"addSecurityGroup": {"name": "web"}})
    assert resp.status_code == 202, resp.text
    [port] = _ports(net, sid)
    assert web["id"] in port["security_groups"] and len(port["security_groups"]) == 2
    assert _group_names(compute, sid) == ["default", "web"]  # at once
    listed = compute.get("/servers/detail").json()["servers"]
    assert sorted(g["name"] for g in next(s for s in listed if s["id"] == sid)[
        "security_groups"]) == ["default", "web"]
    # The update response shows them from 2.75 only, as Nova's.
    assert "security_groups" in compute.put("/servers/" + sid, json={"server": {}}).json()[
        "server"]
    old = make_client("user", name, "2.74")
    assert "security_groups" not in old.put("/servers/" + sid, json={"server": {}}).json()[
        "server"]

    for group in ("web", web["id"]):
        assert_fault(_action(compute, sid, {"addSecurityGroup": {"name": group}}), 400,
                     "badRequest", "Security group %s is already associated with the "
                     "instance %s" % (group, sid))
    assert_fault(_action(compute, sid, {"addSecurityGroup": {"name": "nope"}}), 404,
                 "itemNotFound", "Security group nope not found for project %s." % name)
    assert_fault(_action(compute, sid, {"removeSecurityGroup": {"name": "nope"}}), 404,
                 "itemNotFound", "Security group nope not found for project %s." % name)
    assert_fault(_action(compute, sid, {"addSecurityGroup": {"name": ""}}), 400,
                 "badRequest")
    # Another project's server is not found; nor is its group.
    stranger = make_client("user", "sna-stranger")
    assert_fault(_action(stranger, sid, {"addSecurityGroup": {"name": "web"}}), 404,
                 "itemNotFound", sid)

    resp = _action(compute, sid, {"removeSecurityGroup": {"name": "web"}})
    assert resp.status_code == 202, resp.text
    assert web["id"] not in _ports(net, sid)[0]["security_groups"]
    assert _group_names(compute, sid) == ["default"]
    assert_fault(_action(compute, sid, {"removeSecurityGroup": {"name": "web"}}), 404,
                 "itemNotFound", "Security group web not associated with the instance %s"
                 % sid)

    # With no group left the view has no security_groups, as Nova's.
    assert _action(compute, sid, {"removeSecurityGroup": {"name": "default"}}
                   ).status_code == 202
    assert _ports(net, sid)[0]["security_groups"] == []
    assert "security_groups" not in compute.server(sid)
    assert _action(compute, sid, {"addSecurityGroup": {"name": "default"}}
                   ).status_code == 202
    assert _group_names(compute, sid) == ["default"]


def test_a_port_without_port_security_cannot_take_a_group(project, server):
    _, compute, _, net, network, _ = project
    port = net.make("port", network_id=network["id"], port_security_enabled=False)
    other = compute.boot("sna-nosec", networks=[{"port": port["id"]}])["server"]
    compute.wait_for(other["id"], "ACTIVE")
    assert "security_groups" not in compute.server(other["id"])
    assert_fault(_action(compute, other["id"], {"addSecurityGroup": {"name": "default"}}),
                 400, "badRequest", "Network requires port_security_enabled")
    compute.delete("/servers/" + other["id"])
    compute.wait_gone(other["id"])


def test_a_server_without_ports(project):
    _, compute, old, _, _, _ = project
    bare = compute.boot("sna-bare", networks="none")["server"]
    compute.wait_for(bare["id"], "ACTIVE")
    assert "security_groups" not in compute.server(bare["id"])
    for action in ("addSecurityGroup", "removeSecurityGroup"):
        assert_fault(_action(compute, bare["id"], {action: {"name": "default"}}), 404,
                     "itemNotFound", "instance_id %s could not be found as device id on "
                     "any ports" % bare["id"])
    assert compute.get("/servers/%s/os-security-groups" % bare["id"]).json() == {
        "security_groups": []}
    assert_fault(_action(old, bare["id"], {"addFloatingIp": {"address": "172.31.9.9"}}),
                 400, "badRequest", "Instance network is not ready yet")
    compute.delete("/servers/" + bare["id"])


def test_server_security_groups_in_novas_shape(project, server, make_client):
    name, compute, _, net, _, _ = project
    sid = server["id"]
    ssh = net.make("security_group", name="ssh", description="ssh in")
    tcp = net.make("security_group_rule", security_group_id=ssh["id"], direction="ingress",
                   protocol="tcp", port_range_min=22, port_range_max=22,
                   remote_ip_prefix="10.0.0.0/8")
    icmp = net.make("security_group_rule", security_group_id=ssh["id"],
                    direction="ingress", protocol="icmp")
    assert _action(compute, sid, {"addSecurityGroup": {"name": ssh["id"]}}
                   ).status_code == 202
    resp = compute.get("/servers/%s/os-security-groups" % sid)
    assert resp.status_code == 200, resp.text
    groups = resp.json()["security_groups"]
    assert [g["name"] for g in groups] == ["default", "ssh"]  # by project, then name
    default, got = groups
    assert set(got) == {"id", "name", "description", "tenant_id", "rules"}
    assert (got["id"], got["description"], got["tenant_id"]) == (ssh["id"], "ssh in", name)
    rules = {r["id"]: r for r in got["rules"]}  # ingress only: no egress rules
    assert rules == {
        tcp["id"]: {"id": tcp["id"], "parent_group_id": ssh["id"], "ip_protocol": "tcp",
                    "from_port": 22, "to_port": 22, "group": {},
                    "ip_range": {"cidr": "10.0.0.0/8"}},
        icmp["id"]: {"id": icmp["id"], "parent_group_id": ssh["id"], "ip_protocol": "icmp",
                     "from_port": -1, "to_port": -1, "group": {},
                     "ip_range": {"cidr": "0.0.0.0/0"}}}
    # The default group's ingress rules are from itself: a group, no range.
    assert default["rules"] and all(
        r["group"] == {"name": "default", "tenant_id": name} and r["ip_range"] == {}
        and r["ip_protocol"] is None for r in default["rules"])
    assert_fault(make_client("user", "sna-stranger").get(
        "/servers/%s/os-security-groups" % sid), 404, "itemNotFound")
    assert _action(compute, sid, {"removeSecurityGroup": {"name": "ssh"}}
                   ).status_code == 202
    assert [g["name"] for g in compute.get("/servers/%s/os-security-groups" % sid).json()[
        "security_groups"]] == ["default"]


@pytest.fixture(scope="module")
def public(network_client):  # noqa: F811
    """An external network (the admin's) with a subnet."""
    admin = network_client("admin", "admin")
    network = admin.make("network", name="sna-public", **{"router:external": True})
    subnet = admin.make("subnet", network_id=network["id"], ip_version=4,
                        cidr="172.31.0.0/24")
    return network, subnet


@pytest.fixture(scope="module")
def routed(project, public):
    """The project's subnet behind a router with its gateway on the external network."""
    _, _, _, net, _, subnet = project
    router = net.make("router", name="sna-router",
                      external_gateway_info={"network_id": public[0]["id"]})
    resp = net.put("/routers/%s/add_router_interface" % router["id"],
                   json={"subnet_id": subnet["id"]})
    assert resp.status_code == 200, resp.text
    return router


def _floating(server):
    return [(a["addr"], a["OS-EXT-IPS-MAC:mac_addr"]) for addrs in
            server["addresses"].values() for a in addrs if a["OS-EXT-IPS:type"] == "floating"]


def test_add_and_remove_a_floating_ip(project, server, public, routed):
    _, compute, old, net, network, _ = project
    sid = server["id"]
    [port] = _ports(net, sid)
    fixed = port["fixed_ips"][0]["ip_address"]
    fip = net.make("floatingip", floating_network_id=public[0]["id"])
    address = fip["floating_ip_address"]

    assert_fault(_action(old, sid, {"addFloatingIp": {"address": "172.31.0.250"}}), 404,
                 "itemNotFound", "floating IP not found")
    assert_fault(_action(old, sid, {"addFloatingIp": {"address": address,
                                                      "fixed_address": "10.91.0.250"}}),
                 400, "badRequest", "Specified fixed address not assigned to instance")
    assert_fault(_action(old, sid, {"removeFloatingIp": {"address": address}}), 409,
                 "conflictingRequest", "Floating IP %s is not associated with instance %s."
                 % (address, sid))

    resp = _action(old, sid, {"addFloatingIp": {"address": address,
                                                "fixed_address": fixed}})
    assert resp.status_code == 202, resp.text
    associated = net.get("/floatingips/" + fip["id"]).json()["floatingip"]
    assert (associated["port_id"], associated["fixed_ip_address"]) == (port["id"], fixed)
    shown = compute.server(sid)
    assert _floating(shown) == [(address, port["mac_address"])]  # at once
    assert shown["addresses"][network["name"]][0]["OS-EXT-IPS:type"] == "fixed"
    assert_fault(_action(old, sid, {"removeFloatingIp": {"address": "172.31.0.251"}}), 404,
                 "itemNotFound", "Floating IP not found for address 172.31.0.251.")

    resp = _action(old, sid, {"removeFloatingIp": {"address": address}})
    assert resp.status_code == 202, resp.text
    assert net.get("/floatingips/" + fip["id"]).json()["floatingip"]["port_id"] is None
    assert _floating(compute.server(sid)) == []

    # Without fixed_address the first IPv4 address is taken.
    assert _action(old, sid, {"addFloatingIp": {"address": address}}).status_code == 202
    assert _floating(compute.server(sid)) == [(address, port["mac_address"])]
    assert _action(old, sid, {"removeFloatingIp": {"address": address}}).status_code == 202
    assert _floating(compute.server(sid)) == []

    for body in ({"addFloatingIp": {"address": address}},
                 {"removeFloatingIp": {"address": address}}):
        assert_fault(_action(compute, sid, body), 404, "itemNotFound")  # 2.44 and after


def test_floating_ip_refusals(project, server, public, routed,
                              network_client):  # noqa: F811
    _, compute, old, net, _, _ = project
    fip = net.make("floatingip", floating_network_id=public[0]["id"])
    address = fip["floating_ip_address"]
    # A server on a network no router connects to the external network.
    lonely = net.make("network", name="lonely")
    net.make("subnet", network_id=lonely["id"], cidr="10.92.0.0/24", ip_version=4)
    other = compute.boot("sna-lonely", networks=[{"uuid": lonely["id"]}])["server"]
    compute.wait_for(other["id"], "ACTIVE")
    assert_fault(_action(old, other["id"], {"addFloatingIp": {"address": address}}), 400,
                 "badRequest", "Unable to associate floating IP %s" % address)
    # Associated with one server, it is not another's to remove.
    assert _action(old, server["id"], {"addFloatingIp": {"address": address}}
                   ).status_code == 202
    assert_fault(_action(old, other["id"], {"removeFloatingIp": {"address": address}}), 409,
                 "conflictingRequest", "is not associated with instance %s" % other["id"])
    assert _floating(compute.server(other["id"])) == []
    assert _action(old, server["id"], {"removeFloatingIp": {"address": address}}
                   ).status_code == 202
    # Another project's floating IP is not found.
    theirs = network_client("user", "sna-stranger").make(
        "floatingip", floating_network_id=public[0]["id"])
    assert_fault(_action(old, server["id"], {"addFloatingIp": {
        "address": theirs["floating_ip_address"]}}), 404, "itemNotFound",
        "floating IP not found")
    compute.delete("/servers/" + other["id"])
