"""Routers and floating IPs, as a DevStack user meets them: a router with its gateway on
the external network and an interface on a private subnet, a floating IP from the
external network associated with a port behind that router (and refused where no router
leads), released from a deleted port, and the ports a router holds kept from the ports
API."""

import pytest

from tests.functional.network.conftest import neutron_error


@pytest.fixture(scope="module")
def public(net_admin):
    network = net_admin.make("network", name="public", **{"router:external": True})
    subnet = net_admin.make("subnet", network_id=network["id"], ip_version=4,
                            cidr="172.24.4.0/24")
    return network, subnet


@pytest.fixture
def private(net_demo):
    network = net_demo.make("network", name="private")
    subnet = net_demo.make("subnet", network_id=network["id"], ip_version=4,
                           cidr="10.0.5.0/24")
    return network, subnet


def test_router_gateway_interfaces_and_floating_ips(net_demo, net_other, public, private):
    (public_net, public_subnet), (private_net, private_subnet) = public, private
    router = net_demo.make("router", name="r1",
                           external_gateway_info={"network_id": public_net["id"]})
    gateway = router["external_gateway_info"]
    assert gateway["network_id"] == public_net["id"] and gateway["enable_snat"] is True
    (gateway_ip,) = gateway["external_fixed_ips"]
    assert gateway_ip["subnet_id"] == public_subnet["id"]
    assert router["status"] == "ACTIVE" and router["project_id"] == "demo"

    path = "/routers/%s/" % router["id"]
    added = net_demo.put(path + "add_router_interface",
                         json={"subnet_id": private_subnet["id"]})
    assert added.status_code == 200, added.text
    interface = added.json()
    assert (interface["id"], interface["subnet_id"], interface["network_id"]) == (
        router["id"], private_subnet["id"], private_net["id"])
    port = net_demo.get("/ports/" + interface["port_id"]).json()["port"]
    assert port["device_owner"] == "network:router_interface"
    # No L3 agent plugs the service's own routers: their ports are up at once (Tempest
    # waits for ACTIVE before it removes an interface).
    assert port["status"] == "ACTIVE"
    assert port["fixed_ips"] == [{"subnet_id": private_subnet["id"],
                                  "ip_address": "10.0.5.1"}]  # the subnet's gateway
    neutron_error(net_demo.put(path + "add_router_interface",
                               json={"subnet_id": private_subnet["id"]}), 400, "BadRequest",
                  "already has a port on subnet")
    neutron_error(net_demo.delete("/ports/" + port["id"]), 409, "ServicePortInUse")
    neutron_error(net_demo.delete("/routers/" + router["id"]), 409, "RouterInUse")

    # A floating IP from the external network, on a server's port behind the router.
    server_port = net_demo.make("port", network_id=private_net["id"], device_id="vm-1",
                                device_owner="compute:nova")
    fip = net_demo.make("floatingip", floating_network_id=public_net["id"])
    assert fip["status"] == "DOWN" and fip["port_id"] is None
    assert fip["floating_ip_address"].startswith("172.24.4.")
    assert fip["floating_ip_address"] != gateway_ip["ip_address"]
    resp = net_demo.put("/floatingips/" + fip["id"], json={"floatingip": {
        "port_id": server_port["id"]}})
    assert resp.status_code == 200, resp.text
    associated = resp.json()["floatingip"]
    assert associated["fixed_ip_address"] == server_port["fixed_ips"][0]["ip_address"]
    assert (associated["router_id"], associated["status"]) == (router["id"], "ACTIVE")
    assert associated["port_details"]["device_id"] == "vm-1"
    found = net_demo.get("/floatingips", params={"port_id": server_port["id"]}).json()
    assert [f["id"] for f in found["floatingips"]] == [fip["id"]]
    second = net_demo.make("floatingip", floating_network_id=public_net["id"])
    neutron_error(net_demo.put("/floatingips/" + second["id"], json={"floatingip": {
        "port_id": server_port["id"]}}), 409, "FloatingIPPortAlreadyAssociated")
    neutron_error(net_demo.put(path + "remove_router_interface",
                               json={"subnet_id": private_subnet["id"]}), 409,
                  "RouterInterfaceInUseByFloatingIP")
    neutron_error(net_demo.put("/routers/" + router["id"], json={"router": {
        "external_gateway_info": None}}), 409, "RouterExternalGatewayInUseByFloatingIp")
    # Another project sees none of it.
    neutron_error(net_other.get("/floatingips/" + fip["id"]), 404, "FloatingIPNotFound")
    neutron_error(net_other.get("/routers/" + router["id"]), 404, "RouterNotFound")

    # A deleted port leaves its floating IP allocated, not associated.
    assert net_demo.delete("/ports/" + server_port["id"]).status_code == 204
    released = net_demo.get("/floatingips/" + fip["id"]).json()["floatingip"]
    assert (released["port_id"], released["status"], released["router_id"]) == (
        None, "DOWN", None)
    for item in (fip, second):
        assert net_demo.delete("/floatingips/" + item["id"]).status_code == 204
    removed = net_demo.put(path + "remove_router_interface",
                           json={"subnet_id": private_subnet["id"]})
    assert removed.status_code == 200 and removed.json()["port_id"] == port["id"]
    neutron_error(net_demo.get("/ports/" + port["id"]), 404, "PortNotFound")
    neutron_error(net_demo.put(path + "remove_router_interface",
                               json={"subnet_id": private_subnet["id"]}), 404,
                  "RouterInterfaceNotFoundForSubnet")
    assert net_demo.delete("/routers/" + router["id"]).status_code == 204
    # The gateway's port went with the router.
    assert not [p for p in net_demo.http.get("/v2.0/ports", headers={
        "X-Auth-Token": "admin:admin"}, params={"device_id": router["id"]}).json()["ports"]]
    net_demo.delete("/subnets/" + private_subnet["id"])
    net_demo.delete("/networks/" + private_net["id"])


def test_no_router_no_floating_ip(net_demo, public, private):
    (public_net, _), (private_net, private_subnet) = public, private
    port = net_demo.make("port", network_id=private_net["id"])
    neutron_error(net_demo.post("/floatingips", json={"floatingip": {
        "floating_network_id": public_net["id"], "port_id": port["id"]}}), 404,
        "ExternalGatewayForFloatingIPNotFound",
        "External network %s is not reachable from subnet %s" % (public_net["id"],
                                                                 private_subnet["id"]))
    neutron_error(net_demo.post("/floatingips", json={"floatingip": {
        "floating_network_id": private_net["id"]}}), 400, "BadRequest",
        "is not a valid external network")
    neutron_error(net_demo.post("/routers", json={"router": {
        "external_gateway_info": {"network_id": private_net["id"]}}}), 400, "BadRequest",
        "not an external network")
    neutron_error(net_demo.post("/floatingips", json={"floatingip": {
        "floating_network_id": public_net["id"], "floating_ip_address": "172.24.4.99"}}), 403,
        "PolicyNotAuthorized")
    neutron_error(net_demo.put("/routers/%s/add_router_interface" % "nope", json={
        "subnet_id": private_subnet["id"]}), 404, "RouterNotFound")
    net_demo.delete("/ports/" + port["id"])
    net_demo.delete("/subnets/" + private_subnet["id"])
    net_demo.delete("/networks/" + private_net["id"])
    listed = net_demo.get("/floatingips").json()["floatingips"]
    assert listed == []  # the refused create left nothing allocated


def test_an_external_network_goes_with_its_floating_ips(net_admin, net_demo):
    network = net_admin.make("network", name="ext-doomed", **{"router:external": True})
    subnet = net_admin.make("subnet", network_id=network["id"], ip_version=4,
                            cidr="198.51.100.0/24", enable_dhcp=False)
    # Its subnets are visible to every project, and say they are external.
    seen = net_demo.get("/subnets", params={"network_id": network["id"]}).json()["subnets"]
    assert [(s["id"], s["router:external"]) for s in seen] == [(subnet["id"], True)]
    fip = net_admin.make("floatingip", floating_network_id=network["id"])
    assert net_admin.delete("/networks/" + network["id"]).status_code == 204
    neutron_error(net_admin.get("/floatingips/" + fip["id"]), 404, "FloatingIPNotFound")
    assert net_admin.get("/ports", params={"network_id": network["id"]}).json()["ports"] == []
