"""What the network service tells the hosts' agents about security groups and DHCP (the
Linux bridge agent's needs): a port's rules and its remote groups' member addresses;
casts to the hosts with affected ports when rules or members change; a network's DHCP
server port, made through IPAM, served its ports' addresses, gone with the server or the
network."""

import pytest

from novalite.networking import dhcp

CLOUD_OPTIONS = {"computes": 1}


class _Recorder:
    def __init__(self):
        self.casts = []

    def security_groups_rule_updated(self, ctxt, hosts, security_groups):
        self.casts.append(("rule_updated", sorted(hosts), security_groups))

    def security_groups_member_updated(self, ctxt, hosts, security_groups):
        self.casts.append(("member_updated", sorted(hosts), security_groups))


@pytest.fixture()
def casts(cloud, monkeypatch):
    recorder = _Recorder()
    monkeypatch.setattr(cloud.network_service.security_groups, "agents", recorder)
    return recorder.casts


def _network(client, cidr):
    network = client.make("network", name="rpc")
    subnet = client.make("subnet", network_id=network["id"], cidr=cidr, ip_version=4)
    return network, subnet


def test_a_ports_rules_and_its_remote_groups_members(cloud, net_admin, casts):
    network, _ = _network(net_admin, "10.71.0.0/24")
    group = net_admin.make("security_group", name="members")
    net_admin.make("security_group_rule", security_group_id=group["id"],
                   direction="ingress", remote_group_id=group["id"])
    assert casts == [("rule_updated", [], [group["id"]])]  # no port bound anywhere yet
    first = net_admin.make("port", network_id=network["id"], security_groups=[group["id"]],
                           **{"binding:host_id": "compute1"})
    # A new member: the hosts whose ports' rules name the group are told.
    assert casts[-1] == ("member_updated", ["compute1"], [group["id"]])
    second = net_admin.make("port", network_id=network["id"], security_groups=[group["id"]])
    info = cloud.network_service.security_groups.info_for_ports([first["id"]])
    device = info["devices"][first["id"]]
    assert device["mac_address"] == first["mac_address"]
    assert device["fixed_ips"] == [first["fixed_ips"][0]["ip_address"]]
    assert device["security_groups"] == [group["id"]] and device["port_security_enabled"]
    rules = info["security_groups"][group["id"]]
    assert {(r["direction"], r["remote_group_id"]) for r in rules} == {
        ("egress", None), ("ingress", group["id"])}
    assert info["sg_member_ips"][group["id"]]["IPv4"] == sorted(
        p["fixed_ips"][0]["ip_address"] for p in (first, second))

    # A rule added: the hosts with ports in the group re-apply it.
    rule = net_admin.make("security_group_rule", security_group_id=group["id"],
                          direction="ingress", protocol="icmp")
    assert casts[-1] == ("rule_updated", ["compute1"], [group["id"]])
    assert net_admin.delete("/security-group-rules/" + rule["id"]).status_code == 204
    assert casts[-1] == ("rule_updated", ["compute1"], [group["id"]])
    assert net_admin.delete("/ports/" + second["id"]).status_code == 204
    assert casts[-1] == ("member_updated", ["compute1"], [group["id"]])
    assert net_admin.delete("/ports/" + first["id"]).status_code == 204
    assert net_admin.delete("/networks/" + network["id"]).status_code == 204


def test_a_networks_dhcp_port_serves_its_ports_and_goes_with_it(cloud, net_admin):
    network, subnet = _network(net_admin, "10.72.0.0/24")
    port = net_admin.make("port", network_id=network["id"])
    service = cloud.network_service.dhcp
    info = service.info(network["id"], "machine1")
    [server] = [p for p in net_admin.get("/ports", params={
        "network_id": network["id"], "device_owner": dhcp.OWNER}).json()["ports"]]
    assert server["device_id"] == dhcp.device_id(network["id"], "machine1")
    assert info["dhcp_port"]["id"] == server["id"]
    assert info["dhcp_port"]["fixed_ips"] == [{
        "subnet_id": subnet["id"], "ip_address": server["fixed_ips"][0]["ip_address"]}]
    assert info["ports"] == [{"id": port["id"], "mac_address": port["mac_address"],
                              "fixed_ips": port["fixed_ips"]}]
    assert info["subnets"][0]["cidr"] == "10.72.0.0/24"
    assert service.info(network["id"], "machine1")["dhcp_port"]["id"] == server["id"]
    service.release(network["id"], "machine1")
    assert net_admin.get("/ports/" + server["id"]).status_code == 404

    # A DHCP port left goes with its network (and keeps no subnet in use).
    service.info(network["id"], "machine1")
    assert net_admin.delete("/ports/" + port["id"]).status_code == 204
    assert net_admin.delete("/subnets/" + subnet["id"]).status_code == 204
    assert service.info(network["id"], "machine1") is None  # no DHCP subnet left
    assert net_admin.delete("/networks/" + network["id"]).status_code == 204
    assert service.info(network["id"], "machine1") is None


def test_no_dhcp_server_without_an_enable_dhcp_subnet(cloud, net_admin):
    network = net_admin.make("network", name="nodhcp")
    net_admin.make("subnet", network_id=network["id"], cidr="10.73.0.0/24", ip_version=4,
                   enable_dhcp=False)
    assert cloud.network_service.dhcp.info(network["id"], "machine1") is None
    assert net_admin.delete("/networks/" + network["id"]).status_code == 204


def test_a_bound_ports_new_groups_go_to_its_hosts_agent(cloud, net_admin, monkeypatch):
    updates = []
    notifier = cloud.network_service.ports.agents
    real = notifier.port_update
    monkeypatch.setattr(notifier, "port_update", lambda ctxt, port: (
        updates.append((port["id"], port["binding:host_id"])), real(ctxt, port)))
    network, _ = _network(net_admin, "10.74.0.0/24")
    group = net_admin.make("security_group", name="later")
    port = net_admin.make("port", network_id=network["id"], **{"binding:host_id": "compute1"})
    assert updates == [(port["id"], "compute1")]
    resp = net_admin.put("/ports/" + port["id"], json={"port": {
        "security_groups": [group["id"]]}})
    assert resp.status_code == 200, resp.text
    assert updates[-1] == (port["id"], "compute1") and len(updates) == 2
    net_admin.put("/ports/" + port["id"], json={"port": {"name": "renamed"}})
    assert len(updates) == 2  # nothing its filters are made of
    assert net_admin.delete("/ports/" + port["id"]).status_code == 204
    assert net_admin.delete("/networks/" + network["id"]).status_code == 204
