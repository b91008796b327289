"""Ports: a MAC unique on its network, fixed IPs from the subnets (the next free one, or
the one asked for), never handed out twice even when many requests race, given back on
delete; Neutron's 409s; the binding attributes for administrators; list filters."""

import concurrent.futures

import pytest

from tests.functional.network.conftest import neutron_error


@pytest.fixture
def subnet(net_demo):
    network = net_demo.make("network", name="ported")
    subnet = net_demo.make("subnet", network_id=network["id"], ip_version=4,
                           cidr="10.60.0.0/24")
    yield subnet
    for port in net_demo.get("/ports", params={"network_id": network["id"]}).json()["ports"]:
        net_demo.delete("/ports/" + port["id"])
    net_demo.delete("/subnets/" + subnet["id"])
    net_demo.delete("/networks/" + network["id"])


def test_port_defaults_and_addresses(net_demo, subnet):
    network_id = subnet["network_id"]
    port = net_demo.make("port", network_id=network_id, name="first", device_id="vm-1")
    assert port["fixed_ips"] == [{"subnet_id": subnet["id"], "ip_address": "10.60.0.2"}]
    assert port["mac_address"].startswith("fa:16:3e:") and port["status"] == "DOWN"
    assert (port["device_owner"], port["admin_state_up"], port["port_security_enabled"]) == (
        "", True, True)
    assert port["binding:vnic_type"] == "normal" and "binding:host_id" not in port
    second = net_demo.make("port", network_id=network_id)
    assert second["fixed_ips"][0]["ip_address"] == "10.60.0.3"
    # The address and the MAC asked for, or Neutron's 409s.
    chosen = net_demo.make("port", network_id=network_id,
                           fixed_ips=[{"ip_address": "10.60.0.100"}],
                           mac_address="fa:16:3e:00:00:01")
    assert chosen["fixed_ips"] == [{"subnet_id": subnet["id"], "ip_address": "10.60.0.100"}]
    neutron_error(net_demo.post("/ports", json={"port": {
        "network_id": network_id, "fixed_ips": [{"ip_address": "10.60.0.100"}]}}), 409,
        "IpAddressAlreadyAllocated", "10.60.0.100 already allocated in subnet %s"
        % subnet["id"])
    neutron_error(net_demo.post("/ports", json={"port": {
        "network_id": network_id, "mac_address": "FA:16:3E:00:00:01"}}), 409,
        "MacAddressInUse", "The mac address fa:16:3e:00:00:01 is in use")
    neutron_error(net_demo.post("/ports", json={"port": {
        "network_id": network_id, "fixed_ips": [{"ip_address": "10.61.0.5"}]}}), 400,
        "InvalidInput", "not a valid IP for any of the subnets")
    neutron_error(net_demo.post("/ports", json={"port": {
        "network_id": network_id, "mac_address": "not-a-mac"}}), 400, "InvalidInput")
    # Filters: by device, by address.
    found = net_demo.get("/ports", params={"device_id": "vm-1"}).json()["ports"]
    assert [p["id"] for p in found] == [port["id"]]
    found = net_demo.get("/ports", params={"fixed_ips": "ip_address=10.60.0.3"}).json()
    assert [p["id"] for p in found["ports"]] == [second["id"]]
    # A deleted port's address is free again.
    assert net_demo.delete("/ports/" + port["id"]).status_code == 204
    neutron_error(net_demo.get("/ports/" + port["id"]), 404, "PortNotFound")
    again = net_demo.make("port", network_id=network_id)
    assert again["fixed_ips"][0]["ip_address"] == "10.60.0.2"


def test_fixed_ips_change(net_demo, subnet):
    port = net_demo.make("port", network_id=subnet["network_id"])
    resp = net_demo.put("/ports/" + port["id"], json={"port": {
        "fixed_ips": [{"subnet_id": subnet["id"], "ip_address": "10.60.0.77"}]}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["port"]["fixed_ips"] == [{"subnet_id": subnet["id"],
                                                 "ip_address": "10.60.0.77"}]
    assert resp.json()["port"]["revision_number"] == 2
    other = net_demo.make("port", network_id=subnet["network_id"],
                          fixed_ips=[{"ip_address": port["fixed_ips"][0]["ip_address"]}])
    assert other["fixed_ips"][0]["ip_address"] == port["fixed_ips"][0]["ip_address"]


def test_racing_creates_never_share_an_address(net_demo, subnet):
    def create(_):
        return net_demo.post("/ports", json={"port": {"network_id": subnet["network_id"]}})

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(create, range(40)))
    assert {r.status_code for r in answers} == {201}, [r.text for r in answers][:3]
    addresses = [r.json()["port"]["fixed_ips"][0]["ip_address"] for r in answers]
    macs = [r.json()["port"]["mac_address"] for r in answers]
    assert len(set(addresses)) == 40 and len(set(macs)) == 40


def test_a_full_subnet_says_so(net_demo):
    network = net_demo.make("network", name="tiny")
    subnet = net_demo.make("subnet", network_id=network["id"], ip_version=4,
                           cidr="10.70.0.0/29")  # .2-.6 after the gateway
    ports = [net_demo.make("port", network_id=network["id"]) for _ in range(5)]
    neutron_error(net_demo.post("/ports", json={"port": {"network_id": network["id"]}}), 409,
                  "IpAddressGenerationFailure", "No more IP addresses available on network "
                  + network["id"])
    assert len(net_demo.get("/ports", params={"network_id": network["id"]}).json()[
        "ports"]) == 5  # the refused one left nothing behind
    for port in ports:
        net_demo.delete("/ports/" + port["id"])
    net_demo.delete("/subnets/" + subnet["id"])
    net_demo.delete("/networks/" + network["id"])


def test_bindings_are_for_administrators(net_demo, net_admin, net_other, subnet):
    neutron_error(net_demo.post("/ports", json={"port": {
        "network_id": subnet["network_id"], "binding:host_id": "compute1"}}), 403,
        "PolicyNotAuthorized", "create_port:binding")
    port = net_admin.make("port", network_id=subnet["network_id"], project_id="demo",
                          **{"binding:host_id": "compute1"})
    assert port["binding:host_id"] == "compute1" and port["binding:vif_type"] == "ovs"
    shown = net_demo.get("/ports/" + port["id"]).json()["port"]
    assert shown["project_id"] == "demo" and "binding:host_id" not in shown
    neutron_error(net_demo.put("/ports/" + port["id"], json={"port": {
        "binding:host_id": "compute2"}}), 403, "PolicyNotAuthorized")
    # Network devices' ports are the network owner's (or an administrator's) to make.
    neutron_error(net_other.post("/ports", json={"port": {
        "network_id": subnet["network_id"], "device_owner": "network:dhcp"}}), 404,
        "NetworkNotFound")
    neutron_error(net_other.get("/ports/" + port["id"]), 404, "PortNotFound")
    assert port["id"] not in {p["id"] for p in net_other.get("/ports").json()["ports"]}
