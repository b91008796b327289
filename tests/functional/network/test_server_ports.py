"""Servers get their addresses from the network service's ports, as Nova's do from
Neutron's: the compute API checks the networks a boot asks for, the host creates the
ports, binds them to itself and waits for network-vif-plugged, and a delete removes the
ports Nova made and gives back the ones the user brought."""

import uuid

import pytest

from tests.functional.helpers import assert_fault
from tests.functional.network.conftest import NetworkClient


@pytest.fixture(scope="module")
def admin_net(network_client):
    return network_client("admin", "admin")


def _project_network(net, cidr: str, name="net") -> tuple[dict, dict]:
    network = net.make("network", name=name)
    subnet = net.make("subnet", network_id=network["id"], cidr=cidr, ip_version=4)
    return network, subnet


@pytest.fixture
def project(make_client, network_client):
    """A fresh project with one network of its own: (compute client, network client,
    network, subnet)."""
    name = "p-" + uuid.uuid4().hex[:8]
    net = network_client("user", name)
    network, subnet = _project_network(net, "10.77.%d.0/24" % (hash(name) % 250))
    return make_client("user", name), net, network, subnet


def _ports(net: NetworkClient, server_id: str) -> list[dict]:
    resp = net.get("/ports", params={"device_id": server_id})
    assert resp.status_code == 200, resp.text
    return resp.json()["ports"]


def test_a_server_gets_its_address_from_a_port_bound_to_its_host(project, admin_net):
    compute, net, network, subnet = project
    server = compute.boot(networks=[{"uuid": network["id"]}])["server"]
    active = compute.wait_for(server["id"], "ACTIVE")
    [port] = admin_net.get("/ports", params={"device_id": server["id"]}).json()["ports"]
    assert port["device_owner"] == "compute:nova"
    assert port["status"] == "ACTIVE"  # the host's agent reported it plugged
    host = compute.get("/servers/" + server["id"], headers={
        "X-Auth-Token": "admin:admin"}).json()["server"]["OS-EXT-SRV-ATTR:host"]
    assert port["binding:host_id"] == host
    assert active["addresses"] == {network["name"]: [{
        "version": 4, "addr": port["fixed_ips"][0]["ip_address"],
        "OS-EXT-IPS:type": "fixed", "OS-EXT-IPS-MAC:mac_addr": port["mac_address"]}]}
    assert port["fixed_ips"][0]["subnet_id"] == subnet["id"]


def test_auto_with_one_network_uses_it_and_delete_removes_the_port(project):
    compute, net, network, _ = project
    server = compute.boot(networks="auto")["server"]
    active = compute.wait_for(server["id"], "ACTIVE")
    assert list(active["addresses"]) == [network["name"]]
    assert len(_ports(net, server["id"])) == 1
    compute.delete("/servers/" + server["id"])
    compute.wait_gone(server["id"])
    assert _ports(net, server["id"]) == []


def test_a_users_port_is_used_and_given_back_on_delete(project):
    compute, net, network, _ = project
    port = net.make("port", network_id=network["id"], name="mine")
    server = compute.boot(networks=[{"port": port["id"]}])["server"]
    active = compute.wait_for(server["id"], "ACTIVE")
    assert active["addresses"][network["name"]][0]["addr"] == \
        port["fixed_ips"][0]["ip_address"]
    bound = net.get("/ports/" + port["id"]).json()["port"]
    assert bound["device_id"] == server["id"]
    # Another server cannot take it meanwhile.
    assert_fault(compute.post("/servers", json={"server": {
        "name": "thief", "imageRef": compute.image_id(), "flavorRef": "1",
        "networks": [{"port": port["id"]}]}}), 409, "conflictingRequest", "still in use")
    compute.delete("/servers/" + server["id"])
    compute.wait_gone(server["id"])
    kept = net.get("/ports/" + port["id"]).json()["port"]
    assert (kept["device_id"], kept["device_owner"], kept["name"]) == ("", "", "mine")


def test_a_fixed_ip_is_given_and_cannot_be_given_twice(project):
    compute, net, network, subnet = project
    address = subnet["allocation_pools"][0]["start"].rsplit(".", 1)[0] + ".50"
    server = compute.boot(networks=[{"uuid": network["id"], "fixed_ip": address}])["server"]
    active = compute.wait_for(server["id"], "ACTIVE")
    assert active["addresses"][network["name"]][0]["addr"] == address
    assert_fault(compute.post("/servers", json={"server": {
        "name": "again", "imageRef": compute.image_id(), "flavorRef": "1",
        "networks": [{"uuid": network["id"], "fixed_ip": address}]}}), 400, "badRequest",
        "Fixed IP address %s is already in use" % address)


def test_bad_network_requests_answer_as_nova(project, make_client, network_client):
    compute, net, network, _ = project

    def boot(networks, **extra):
        return compute.post("/servers", json={"server": {
            "name": "x", "imageRef": compute.image_id(), "flavorRef": "1",
            "networks": networks, **extra}})

    missing = str(uuid.uuid4())
    assert_fault(boot([{"uuid": missing}]), 400, "badRequest",
                 "Network %s could not be found." % missing)
    assert_fault(boot([{"port": missing}]), 400, "badRequest",
                 "Port id %s could not be found." % missing)
    # Another project's network is not this project's to use.
    other, _ = _project_network(network_client("user", "stranger-" + uuid.uuid4().hex[:6]),
                                "10.66.0.0/24")
    assert_fault(boot([{"uuid": other["id"]}]), 400, "badRequest", "could not be found")
    # The external network (the admin's public) is not a tenant network.
    public = net.get("/networks", params={"router:external": "true"}).json()["networks"]
    if public:
        assert_fault(boot([{"uuid": public[0]["id"]}]), 403, "forbidden",
                     "not allowed to create an interface on external network")
    # A fixed IP or a port for several servers at once.
    assert_fault(boot([{"uuid": network["id"], "fixed_ip": "10.1.1.1"}], max_count=2), 400,
                 "badRequest", "max_count")
    # Two networks to choose from: "auto" is ambiguous.
    _project_network(net, "10.78.0.0/24", name="second")
    assert_fault(boot("auto"), 409, "conflictingRequest", "Multiple possible networks")
    # An unknown security group.
    assert_fault(boot([{"uuid": network["id"]}], security_groups=[{"name": "nope"}]), 400,
                 "badRequest", "Security group nope not found")


def test_security_groups_asked_for_at_boot_are_on_the_port(project):
    compute, net, network, _ = project
    group = net.make("security_group", name="web")
    server = compute.boot(networks=[{"uuid": network["id"]}],
                          security_groups=[{"name": "web"}])["server"]
    compute.wait_for(server["id"], "ACTIVE")
    [port] = _ports(net, server["id"])
    assert port["security_groups"] == [group["id"]]


def test_a_migrated_server_takes_its_port_to_its_new_host(project, admin_net, make_client):
    compute, net, network, _ = project
    admin = make_client("admin", "admin")
    server_id = compute.boot(networks=[{"uuid": network["id"]}])["server"]["id"]
    compute.wait_for(server_id, "ACTIVE")
    before = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    assert admin.post("/servers/%s/action" % server_id, json={"migrate": None}
                      ).status_code == 202
    compute.wait_for(server_id, "VERIFY_RESIZE")
    assert compute.post("/servers/%s/action" % server_id,
                        json={"confirmResize": None}).status_code == 204
    moved = compute.wait_for(server_id, "ACTIVE")
    after = admin.server(server_id)["OS-EXT-SRV-ATTR:host"]
    assert after != before
    [port] = admin_net.get("/ports", params={"device_id": server_id}).json()["ports"]
    assert port["binding:host_id"] == after
    assert moved["addresses"][network["name"]][0]["addr"] == \
        port["fixed_ips"][0]["ip_address"]


def test_add_and_remove_fixed_ip_change_the_servers_port(project, make_client):
    compute, net, network, _ = project
    old = make_client("user", compute.http.headers["x-auth-token"].split(":")[1], "2.43")
    server_id = compute.boot(networks=[{"uuid": network["id"]}])["server"]["id"]
    compute.wait_for(server_id, "ACTIVE")
    assert old.post("/servers/%s/action" % server_id,
                    json={"addFixedIp": {"networkId": network["id"]}}).status_code == 202
    addresses = [a["addr"] for a in old.server(server_id)["addresses"][network["name"]]]
    assert len(addresses) == 2
    [port] = _ports(net, server_id)
    assert sorted(f["ip_address"] for f in port["fixed_ips"]) == sorted(addresses)
    assert old.post("/servers/%s/action" % server_id, json={
        "removeFixedIp": {"address": addresses[1]}}).status_code == 202
    assert [a["addr"] for a in old.server(server_id)["addresses"][network["name"]]] == \
        addresses[:1]
    other = str(uuid.uuid4())
    assert_fault(old.post("/servers/%s/action" % server_id,
                          json={"addFixedIp": {"networkId": other}}), 400, "badRequest",
                 "Network could not be found for instance")
