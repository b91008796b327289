"""Subnets: Neutron's defaults (gateway the first address, pools the rest), pools and
gateways checked against the CIDR and each other, IPv6 modes, DNS servers and host routes,
and a subnet whose addresses are in use kept from deletion."""

import ipaddress

import pytest

from tests.functional.network.conftest import neutron_error


@pytest.fixture
def network(net_demo):
    network = net_demo.make("network", name="subnetted")
    yield network
    for port in net_demo.get("/ports", params={"network_id": network["id"]}).json()["ports"]:
        net_demo.delete("/ports/" + port["id"])
    net_demo.delete("/networks/" + network["id"])


def test_ipv4_defaults(net_demo, network):
    subnet = net_demo.make("subnet", network_id=network["id"], ip_version=4,
                           cidr="10.20.0.0/24", name="v4")
    assert subnet["gateway_ip"] == "10.20.0.1"
    assert subnet["allocation_pools"] == [{"start": "10.20.0.2", "end": "10.20.0.254"}]
    assert (subnet["enable_dhcp"], subnet["dns_nameservers"], subnet["host_routes"]) == (
        True, [], [])
    assert subnet["ipv6_ra_mode"] is None and subnet["project_id"] == "demo"
    assert net_demo.get("/networks/" + network["id"]).json()["network"]["subnets"] == [
        subnet["id"]]
    listed = net_demo.get("/subnets", params={"network_id": network["id"]}).json()["subnets"]
    assert [s["id"] for s in listed] == [subnet["id"]]
    resp = net_demo.put("/subnets/" + subnet["id"], json={"subnet": {
        "dns_nameservers": ["10.20.0.53"], "host_routes": [
            {"destination": "192.168.0.0/16", "nexthop": "10.20.0.9"}], "name": "v4b"}})
    assert resp.status_code == 200, resp.text
    updated = resp.json()["subnet"]
    assert updated["dns_nameservers"] == ["10.20.0.53"] and updated["revision_number"] == 2
    assert updated["host_routes"] == [{"destination": "192.168.0.0/16",
                                       "nexthop": "10.20.0.9"}]
    assert net_demo.delete("/subnets/" + subnet["id"]).status_code == 204
    neutron_error(net_demo.get("/subnets/" + subnet["id"]), 404, "SubnetNotFound")


def test_pools_and_gateways_are_checked(net_demo, network):
    def subnet(**attrs):
        return net_demo.post("/subnets", json={"subnet": {
            "network_id": network["id"], "ip_version": 4, "cidr": "10.30.0.0/24", **attrs}})

    made = subnet(gateway_ip=None, allocation_pools=[
        {"start": "10.30.0.10", "end": "10.30.0.19"}, {"start": "10.30.0.40",
                                                      "end": "10.30.0.49"}])
    assert made.status_code == 201, made.text
    assert made.json()["subnet"]["gateway_ip"] is None
    net_demo.delete("/subnets/" + made.json()["subnet"]["id"])
    neutron_error(subnet(allocation_pools=[{"start": "10.30.0.10", "end": "10.30.0.20"},
                                           {"start": "10.30.0.15", "end": "10.30.0.30"}]),
                  409, "OverlappingAllocationPools")
    neutron_error(subnet(allocation_pools=[{"start": "10.30.0.250", "end": "10.30.1.5"}]),
                  400, "BadRequest", "spans beyond the subnet cidr")
    neutron_error(subnet(gateway_ip="10.30.0.12",
                         allocation_pools=[{"start": "10.30.0.10", "end": "10.30.0.20"}]),
                  409, "GatewayConflictWithAllocationPools")
    neutron_error(subnet(cidr="10.30.0.5/24"), 400, "InvalidInput", "10.30.0.0/24")
    neutron_error(subnet(cidr="not-a-cidr"), 400, "InvalidInput")
    neutron_error(subnet(cidr="fd00::/64"), 400, "InvalidInput", "ip_version")
    neutron_error(subnet(ip_version=5), 400, "InvalidInput", "ip_version")
    neutron_error(subnet(gateway_ip="10.99.0.1"), 400, "InvalidInput", "Gateway")
    neutron_error(subnet(dns_nameservers=["8.8.8.8", "8.8.8.8"]), 400, "InvalidInput",
                  "Duplicate nameserver")
    neutron_error(net_demo.post("/subnets", json={"subnet": {"network_id": network["id"]}}),
                  400, "HTTPBadRequest", "'ip_version' not specified")
    first = subnet()
    assert first.status_code == 201
    neutron_error(subnet(cidr="10.30.0.128/25"), 400, "InvalidInput", "overlaps")


def test_ipv6_slaac_subnet(net_demo, network):
    subnet = net_demo.make("subnet", network_id=network["id"], ip_version=6,
                           cidr="fd00:1::/64", ipv6_ra_mode="slaac",
                           ipv6_address_mode="slaac")
    assert subnet["gateway_ip"] == "fd00:1::1"
    assert subnet["allocation_pools"] == [{"start": "fd00:1::2",
                                           "end": "fd00:1::ffff:ffff:ffff:ffff"}]
    port = net_demo.make("port", network_id=network["id"])
    (address,) = port["fixed_ips"]
    # EUI-64 from the MAC, as the guest configures it itself: the U/L bit flipped, ff:fe
    # in the middle.
    mac = bytes(int(b, 16) for b in port["mac_address"].split(":"))
    eui = bytes([mac[0] ^ 0x02]) + mac[1:3] + b"\xff\xfe" + mac[3:]
    expected = ipaddress.IPv6Address(int(ipaddress.IPv6Address("fd00:1::"))
                                     | int.from_bytes(eui, "big"))
    assert address == {"subnet_id": subnet["id"], "ip_address": str(expected)}
    neutron_error(net_demo.post("/subnets", json={"subnet": {
        "network_id": network["id"], "ip_version": 4, "cidr": "10.40.0.0/24",
        "ipv6_ra_mode": "slaac"}}), 400, "InvalidInput")
    # The derived addresses do not keep a SLAAC subnet: they go with it, the port stays.
    assert net_demo.delete("/subnets/" + subnet["id"]).status_code == 204
    assert net_demo.get("/ports/" + port["id"]).json()["port"]["fixed_ips"] == []


def test_a_subnet_in_use_stays(net_demo, network, net_other):
    subnet = net_demo.make("subnet", network_id=network["id"], ip_version=4,
                           cidr="10.50.0.0/24")
    port = net_demo.make("port", network_id=network["id"])
    neutron_error(net_demo.delete("/subnets/" + subnet["id"]), 409, "SubnetInUse")
    neutron_error(net_demo.delete("/networks/" + network["id"]), 409, "NetworkInUse")
    # Another project neither sees the subnet nor can put one on the network.
    neutron_error(net_other.get("/subnets/" + subnet["id"]), 404, "SubnetNotFound")
    neutron_error(net_other.post("/subnets", json={"subnet": {
        "network_id": network["id"], "ip_version": 4, "cidr": "10.51.0.0/24"}}), 404,
        "NetworkNotFound")
    assert net_demo.delete("/ports/" + port["id"]).status_code == 204
    assert net_demo.delete("/subnets/" + subnet["id"]).status_code == 204


def test_host_routes_to_single_hosts(net_demo, network):
    """A host route's destination may be a /32, which a subnet's CIDR may not."""
    subnet = net_demo.make("subnet", network_id=network["id"], ip_version=4,
                           cidr="10.52.0.0/24", host_routes=[
                               {"destination": "10.20.0.0/32", "nexthop": "10.52.0.9"}])
    assert subnet["host_routes"] == [{"destination": "10.20.0.0/32", "nexthop": "10.52.0.9"}]
    assert subnet["router:external"] is False
    neutron_error(net_demo.post("/subnets", json={"subnet": {
        "network_id": network["id"], "ip_version": 4, "cidr": "10.53.0.0/32"}}), 400,
        "InvalidInput", "leaves no address")
