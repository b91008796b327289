"""Security groups and rules: each project's default group (made on first use, with
Neutron's default rules), new groups with their egress rules, rule validation as Neutron
does it, duplicates refused, ports in a group keeping it from deletion, and isolation."""

import pytest

from tests.functional.network.conftest import neutron_error


def _rule_shapes(group):
    return sorted((r["direction"], r["ethertype"], r["remote_group_id"] == group["id"])
                  for r in group["security_group_rules"])


def test_the_default_group_comes_on_first_use(network_client):
    fresh = network_client("sg-user", "sg-project")
    (default,) = fresh.get("/security-groups").json()["security_groups"]
    assert default["name"] == "default" and default["project_id"] == "sg-project"
    assert _rule_shapes(default) == [("egress", "IPv4", False), ("egress", "IPv6", False),
                                     ("ingress", "IPv4", True), ("ingress", "IPv6", True)]
    assert all(r["belongs_to_default_sg"] for r in default["security_group_rules"])
    # Listing again makes no second one.
    assert [g["id"] for g in fresh.get("/security-groups").json()["security_groups"]] == [
        default["id"]]
    neutron_error(fresh.delete("/security-groups/" + default["id"]), 409,
                  "SecurityGroupCannotRemoveDefault")
    neutron_error(fresh.post("/security-groups", json={"security_group": {
        "name": "default"}}), 409, "SecurityGroupDefaultAlreadyExists")
    # Nor a second one by renaming; and a remote group that is not there is not found.
    other = fresh.make("security_group", name="web")
    neutron_error(fresh.put("/security-groups/" + other["id"], json={"security_group": {
        "name": "default"}}), 409, "SecurityGroupDefaultAlreadyExists")
    neutron_error(fresh.post("/security-group-rules", json={"security_group_rule": {
        "security_group_id": other["id"], "direction": "ingress",
        "remote_group_id": "bad_group_id"}}), 404, "SecurityGroupNotFound")


def test_groups_rules_and_ports(net_demo, net_other):
    group = net_demo.make("security_group", name="web", description="web servers")
    assert _rule_shapes(group) == [("egress", "IPv4", False), ("egress", "IPv6", False)]
    assert group["stateful"] is True and group["revision_number"] == 1

    def rule(expect=201, **attrs):
        resp = net_demo.post("/security-group-rules", json={"security_group_rule": {
            "security_group_id": group["id"], "direction": "ingress", **attrs}})
        assert resp.status_code == expect, resp.text
        return resp.json()

    http = rule(protocol="tcp", port_range_min=80, port_range_max=80,
                remote_ip_prefix="0.0.0.0/0")["security_group_rule"]
    assert (http["ethertype"], http["protocol"], http["port_range_min"]) == ("IPv4", "tcp", 80)
    assert http["belongs_to_default_sg"] is False
    normalized = rule(protocol="6", port_range_min=22, port_range_max=22,
                      remote_ip_prefix="10.1.2.3/8")["security_group_rule"]
    # Kept as given, matched as its network (security-groups-normalized-cidr); the same
    # network written another way is the same rule.
    assert (normalized["remote_ip_prefix"], normalized["normalized_cidr"]) == (
        "10.1.2.3/8", "10.0.0.0/8")
    neutron_error(net_demo.post("/security-group-rules", json={"security_group_rule": {
        "security_group_id": group["id"], "direction": "ingress", "protocol": "6",
        "port_range_min": 22, "port_range_max": 22, "remote_ip_prefix": "10.0.0.0/8"}}),
        409, "SecurityGroupRuleExists")
    rule(protocol="icmp", port_range_min=8, port_range_max=0)
    neutron_error(net_demo.post("/security-group-rules", json={"security_group_rule": {
        "security_group_id": group["id"], "direction": "ingress", "protocol": "tcp",
        "port_range_min": 80, "port_range_max": 80, "remote_ip_prefix": "0.0.0.0/0"}}),
        409, "SecurityGroupRuleExists", http["id"])
    for attrs, error in (
            ({"protocol": "carrier-pigeon"}, "SecurityGroupRuleInvalidProtocol"),
            ({"protocol": "tcp", "port_range_min": 90, "port_range_max": 80},
             "SecurityGroupInvalidPortRange"),
            ({"port_range_min": 80, "port_range_max": 80}, "SecurityGroupInvalidPortRange"),
            ({"protocol": "icmp", "port_range_min": 300}, "SecurityGroupInvalidPortRange"),
            ({"protocol": "tcp", "port_range_min": -16, "port_range_max": 80},
             "SecurityGroupInvalidPortValue"),
            ({"protocol": "tcp", "port_range_min": 80, "port_range_max": 65536},
             "SecurityGroupInvalidPortValue"),
            ({"protocol": "tcp", "port_range_min": 0, "port_range_max": 80},
             "SecurityGroupInvalidPortValue"),
            ({"remote_ip_prefix": "10.0.0.0/8", "remote_group_id": group["id"]},
             "SecurityGroupRemoteGroupAndRemoteIpPrefix"),
            ({"ethertype": "IPv6", "remote_ip_prefix": "10.0.0.0/8"},
             "SecurityGroupConflictingEthertype"),
            ({"direction": "sideways"}, "InvalidInput")):
        resp = net_demo.post("/security-group-rules", json={"security_group_rule": {
            "security_group_id": group["id"], "direction": "ingress", **attrs}})
        neutron_error(resp, 400, error)
    listed = net_demo.get("/security-group-rules", params={
        "security_group_id": group["id"], "direction": "ingress"}).json()
    assert len(listed["security_group_rules"]) == 3
    shown = net_demo.get("/security-groups/" + group["id"]).json()["security_group"]
    assert len(shown["security_group_rules"]) == 5

    # A port takes the project's default group unless told; a group in use stays.
    network = net_demo.make("network", name="sg-net")
    plain = net_demo.make("port", network_id=network["id"])
    (default,) = [g for g in net_demo.get("/security-groups", params={
        "name": "default"}).json()["security_groups"]]
    assert plain["security_groups"] == [default["id"]]
    web = net_demo.make("port", network_id=network["id"], security_groups=[group["id"]])
    assert web["security_groups"] == [group["id"]]
    neutron_error(net_demo.delete("/security-groups/" + group["id"]), 409,
                  "SecurityGroupInUse")
    moved = net_demo.put("/ports/" + web["id"], json={"port": {"security_groups": []}})
    assert moved.json()["port"]["security_groups"] == []
    neutron_error(net_demo.put("/ports/" + plain["id"], json={"port": {
        "port_security_enabled": False}}), 409, "PortSecurityPortHasSecurityGroup")
    open_port = net_demo.put("/ports/" + plain["id"], json={"port": {
        "port_security_enabled": False, "security_groups": []}}).json()["port"]
    assert open_port["security_groups"] == [] and open_port["port_security_enabled"] is False
    neutron_error(net_demo.post("/ports", json={"port": {
        "network_id": network["id"], "port_security_enabled": False,
        "security_groups": [group["id"]]}}), 400,
        "PortSecurityAndIPRequiredForSecurityGroups")

    # Another project sees none of it, and cannot use it.
    neutron_error(net_other.get("/security-groups/" + group["id"]), 404,
                  "SecurityGroupNotFound")
    neutron_error(net_other.get("/security-group-rules/" + http["id"]), 404,
                  "SecurityGroupRuleNotFound")
    assert group["id"] not in {g["id"] for g in net_other.get(
        "/security-groups").json()["security_groups"]}
    neutron_error(net_other.post("/security-group-rules", json={"security_group_rule": {
        "security_group_id": group["id"], "direction": "ingress"}}), 404,
        "SecurityGroupNotFound")

    renamed = net_demo.put("/security-groups/" + group["id"], json={"security_group": {
        "name": "web2"}}).json()["security_group"]
    assert renamed["name"] == "web2" and renamed["revision_number"] >= 2
    assert net_demo.delete("/security-group-rules/" + http["id"]).status_code == 204
    neutron_error(net_demo.put("/security-group-rules/" + normalized["id"], json={}), 405,
                  "HTTPMethodNotAllowed")
    for port in (plain, web):
        net_demo.delete("/ports/" + port["id"])
    net_demo.delete("/networks/" + network["id"])
    assert net_demo.delete("/security-groups/" + group["id"]).status_code == 204
    neutron_error(net_demo.get("/security-group-rules/" + normalized["id"]), 404,
                  "SecurityGroupRuleNotFound")


@pytest.mark.parametrize("attrs", [{"colour": "red"}, {"id": "x"}])
def test_bad_group_bodies(net_demo, attrs):
    neutron_error(net_demo.post("/security-groups", json={"security_group": attrs}), 400,
                  "HTTPBadRequest")
