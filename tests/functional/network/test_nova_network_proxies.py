"""Nova's deprecated network proxy APIs over the network service, up to 2.35 (404 from
2.36): os-security-groups, os-security-group-rules, os-floating-ips, os-floating-ip-pools,
os-networks and os-tenant-networks, in Nova's shapes and with Nova's codes and messages;
each project sees and changes only its own, and what they make is what the network API
shows. Then the same calls with the built-in network ([network] backend = builtin)."""

import uuid

import pytest

from tests.functional.helpers import assert_fault, client_pool, running_cloud

CLOUD_OPTIONS = {"computes": 1}
_NOT_FOUND = "The resource could not be found."
_NETWORK_KEYS = {"id", "cidr", "netmask", "gateway", "broadcast", "dns1", "dns2", "cidr_v6",
                 "gateway_v6", "label", "netmask_v6"}


@pytest.fixture(scope="module")
def project(make_client, network_client):
    """(name, compute client at 2.35, network client) of a fresh project."""
    name = "proxy-" + uuid.uuid4().hex[:8]
    return name, make_client("user", name, "2.35"), network_client("user", name)


@pytest.fixture(scope="module")
def stranger(make_client):
    return make_client("user", "proxy-stranger-" + uuid.uuid4().hex[:8], "2.35")


@pytest.fixture(scope="module")
def public(network_client):
    """The external network `novalite serve` makes (the admin project's)."""
    nets = network_client("admin", "admin").get(
        "/networks", params={"name": "public"}).json()["networks"]
    assert len(nets) == 1 and nets[0]["router:external"], nets
    return nets[0]


def _ok(resp, status=200):
    assert resp.status_code == status, (resp.status_code, resp.text)
    return resp.json() if resp.content else None


def _group(compute, name, description="a group"):
    return _ok(compute.post("/os-security-groups", json={
        "security_group": {"name": name, "description": description}}))["security_group"]


def _rule(compute, **rule):
    return compute.post("/os-security-group-rules", json={"security_group_rule": rule})


# -- os-security-groups -----------------------------------------------------------------------

def test_security_groups(project):
    name, compute, net = project
    listed = _ok(compute.get("/os-security-groups"))["security_groups"]
    assert [g["name"] for g in listed] == ["default"]  # the project's, made on a first look
    default = listed[0]
    assert set(default) == {"id", "name", "description", "tenant_id", "rules"}
    assert default["tenant_id"] == name
    # Nova's legacy rules: ingress only (Neutron's default group lets members in).
    assert default["rules"] and all(set(r) == {"id", "parent_group_id", "ip_protocol",
                                               "from_port", "to_port", "group", "ip_range"}
                                    for r in default["rules"])
    assert {r["group"]["name"] for r in default["rules"]} == {"default"}
    # The user's default group stays (the service's own token could delete it).
    assert_fault(compute.delete("/os-security-groups/" + default["id"]), 400, "badRequest",
                 "default security group")

    web = _group(compute, "web", "web servers")
    assert web == {"id": web["id"], "name": "web", "description": "web servers",
                   "tenant_id": name, "rules": []}
    # What the proxy made is the network service's group.
    shown = _ok(net.get("/security-groups/" + web["id"]))["security_group"]
    assert (shown["name"], shown["description"], shown["project_id"]) == (
        "web", "web servers", name)
    assert web["id"] in [g["id"] for g in _ok(net.get("/security-groups"))["security_groups"]]
    names = [g["name"] for g in _ok(compute.get("/os-security-groups"))["security_groups"]]
    assert names == ["default", "web"]  # sorted by project, then name
    # Nova pages the network service's list (then sorts the page).
    first = _ok(compute.get("/os-security-groups?limit=1"))["security_groups"]
    rest = _ok(compute.get("/os-security-groups?offset=1"))["security_groups"]
    assert sorted(g["name"] for g in first + rest) == ["default", "web"]
    assert_fault(compute.get("/os-security-groups?limit=x"), 400, "badRequest", "limit")

    assert _ok(compute.get("/os-security-groups/" + web["id"]))["security_group"] == web
    updated = _ok(compute.put("/os-security-groups/" + web["id"], json={
        "security_group": {"name": "www", "description": "the web"}}))["security_group"]
    assert (updated["name"], updated["description"]) == ("www", "the web")
    assert _ok(net.get("/security-groups/" + web["id"]))["security_group"]["name"] == "www"

    assert _ok(compute.delete("/os-security-groups/" + web["id"]), 202) is None
    assert net.get("/security-groups/" + web["id"]).status_code == 404
    assert_fault(compute.get("/os-security-groups/" + web["id"]), 404, "itemNotFound",
                 web["id"])
    assert_fault(compute.delete("/os-security-groups/" + web["id"]), 404, "itemNotFound")


def test_security_group_bad_input(project):
    _, compute, _ = project
    assert_fault(compute.post("/os-security-groups", json={"security_group": {
        "name": "x"}}), 400, "badRequest", "'description' is a required property")
    assert_fault(compute.post("/os-security-groups", json={"security_group": {
        "name": "x" * 256, "description": ""}}), 400, "badRequest", "security_group/name")
    assert_fault(compute.post("/os-security-groups", json={}), 400, "badRequest",
                 "'security_group' is a required property")
    for call in (compute.get, compute.delete):
        assert_fault(call("/os-security-groups/not-a-uuid"), 400, "badRequest",
                     "Security group id should be uuid")
    assert_fault(compute.put("/os-security-groups/not-a-uuid", json={"security_group": {
        "name": "a", "description": "b"}}), 400, "badRequest",
        "Security group id should be uuid")
    missing = str(uuid.uuid4())
    assert_fault(compute.get("/os-security-groups/" + missing), 404, "itemNotFound")
    # The project's default group is not to be renamed, nor another made by its name.
    default = _ok(compute.get("/os-security-groups"))["security_groups"][0]
    assert_fault(compute.put("/os-security-groups/" + default["id"], json={
        "security_group": {"name": "renamed", "description": "x"}}), 400, "badRequest")
    assert compute.post("/os-security-groups", json={"security_group": {
        "name": "default", "description": "x"}}).status_code == 403  # Nova: Neutron's 409


# -- os-security-group-rules --------------------------------------------------------------------

def test_security_group_rules(project):
    name, compute, net = project
    group = _group(compute, "rules")
    source = _group(compute, "source")

    ssh = _ok(_rule(compute, parent_group_id=group["id"], ip_protocol="tcp", from_port=22,
                    to_port=22, cidr="10.0.0.0/24"))["security_group_rule"]
    assert ssh == {"id": ssh["id"], "parent_group_id": group["id"], "ip_protocol": "tcp",
                   "from_port": 22, "to_port": 22, "group": {},
                   "ip_range": {"cidr": "10.0.0.0/24"}}
    in_net = _ok(net.get("/security-group-rules/" + ssh["id"]))["security_group_rule"]
    assert (in_net["direction"], in_net["protocol"], in_net["port_range_min"],
            in_net["port_range_max"], in_net["remote_ip_prefix"], in_net["ethertype"]) == (
        "ingress", "tcp", 22, 22, "10.0.0.0/24", "IPv4")

    ping = _ok(_rule(compute, parent_group_id=group["id"], ip_protocol="icmp",
                     from_port=-1, to_port=-1))["security_group_rule"]
    assert (ping["from_port"], ping["to_port"], ping["ip_range"]) == (
        -1, -1, {"cidr": "0.0.0.0/0"})
    in_net = _ok(net.get("/security-group-rules/" + ping["id"]))["security_group_rule"]
    assert (in_net["port_range_min"], in_net["port_range_max"]) == (None, None)

    # A source group with no ports opens every port of the protocol.
    members = _ok(_rule(compute, parent_group_id=group["id"], ip_protocol="udp",
                        group_id=source["id"]))["security_group_rule"]
    assert (members["from_port"], members["to_port"], members["ip_range"],
            members["group"]) == (1, 65535, {}, {"name": "source", "tenant_id": name})
    v6 = _ok(_rule(compute, parent_group_id=group["id"], ip_protocol="tcp", from_port=80,
                   to_port=81, cidr="2001:db8::/64"))["security_group_rule"]
    assert _ok(net.get("/security-group-rules/" + v6["id"]))["security_group_rule"][
        "ethertype"] == "IPv6"

    shown = _ok(compute.get("/os-security-groups/" + group["id"]))["security_group"]
    assert sorted(r["id"] for r in shown["rules"]) == sorted(
        r["id"] for r in (ssh, ping, members, v6))

    assert_fault(_rule(compute, parent_group_id=group["id"], ip_protocol="tcp", from_port=22,
                       to_port=22, cidr="10.0.0.0/24"), 400, "badRequest",
                 "This rule already exists in group %s" % group["id"])

    assert _ok(compute.delete("/os-security-group-rules/" + ssh["id"]), 202) is None
    assert net.get("/security-group-rules/" + ssh["id"]).status_code == 404
    assert_fault(compute.delete("/os-security-group-rules/" + ssh["id"]), 404,
                 "itemNotFound")
    assert_fault(compute.delete("/os-security-group-rules/nope"), 400, "badRequest",
                 "Security group id should be uuid")


@pytest.mark.parametrize("rule,message", [
    ({"ip_protocol": "tcp", "from_port": 30, "to_port": 20},
     "Invalid port range 30:20. Former value cannot be greater than the later"),
    ({"ip_protocol": "udp", "from_port": 0, "to_port": 20},
     "Invalid port range 0:20. Valid UDP ports should be between 1-65535"),
    ({"ip_protocol": "tcp", "from_port": 1, "to_port": 65536},
     "Valid TCP ports should be between 1-65535"),
    ({"ip_protocol": "icmp", "from_port": 256, "to_port": 0},
     "Invalid port range 256:0. For ICMP, the type:code must be valid"),
    ({"ip_protocol": "icmp", "from_port": "x", "to_port": 0},
     "Invalid input received: Type and Code must be integers for ICMP protocol type"),
    ({"ip_protocol": "tcp", "from_port": "a", "to_port": "b"},
     "Invalid input received: To and From ports must be integers"),
    ({"ip_protocol": "gre", "from_port": 1, "to_port": 2}, "Invalid IP protocol gre."),
    ({"ip_protocol": "tcp", "from_port": 1, "to_port": 2, "cidr": "10.0.0.300/8"},
     "10.0.0.300/8 is not a valid IP network."),
    ({"ip_protocol": "tcp", "from_port": 1, "to_port": 2, "cidr": "10.1.0.0/0"},
     "Bad prefix for network in cidr 10.1.0.0/0"),
    ({"cidr": "10.0.0.0/8"}, "Not enough parameters to build a valid rule."),
    ({"ip_protocol": "tcp", "from_port": 1}, "Not enough parameters to build a valid rule."),
])
def test_security_group_rule_refused(project, rule, message):
    _, compute, _ = project
    group = _ok(compute.get("/os-security-groups"))["security_groups"][0]
    assert_fault(_rule(compute, parent_group_id=group["id"], **rule), 400, "badRequest",
                 message)


def test_security_group_rule_schema_and_missing_groups(project):
    _, compute, _ = project
    assert_fault(_rule(compute, ip_protocol="tcp"), 400, "badRequest",
                 "'parent_group_id' is a required property")
    assert_fault(_rule(compute, parent_group_id="nope"), 400, "badRequest",
                 "security_group_rule/parent_group_id")
    assert_fault(compute.post("/os-security-group-rules", json={}), 400, "badRequest")
    group = _ok(compute.get("/os-security-groups"))["security_groups"][0]
    assert_fault(_rule(compute, parent_group_id=str(uuid.uuid4()), ip_protocol="tcp",
                       from_port=1, to_port=2), 404, "itemNotFound")
    assert_fault(_rule(compute, parent_group_id=group["id"], group_id=str(uuid.uuid4()),
                       ip_protocol="tcp"), 404, "itemNotFound")


def test_security_groups_are_the_projects(project, stranger):
    name, compute, _ = project
    mine = _group(compute, "private-group")
    theirs = [g["name"] for g in _ok(stranger.get("/os-security-groups"))["security_groups"]]
    assert theirs == ["default"]
    path = "/os-security-groups/" + mine["id"]
    assert_fault(stranger.get(path), 404, "itemNotFound")
    assert_fault(stranger.put(path, json={"security_group": {"name": "mine",
                                                             "description": ""}}),
                 404, "itemNotFound")
    assert_fault(stranger.delete(path), 404, "itemNotFound")
    assert_fault(_rule(stranger, parent_group_id=mine["id"], ip_protocol="tcp",
                       from_port=1, to_port=2), 404, "itemNotFound")
    own = _ok(stranger.get("/os-security-groups"))["security_groups"][0]
    assert_fault(_rule(stranger, parent_group_id=own["id"], group_id=mine["id"],
                       ip_protocol="tcp"), 404, "itemNotFound")
    rule = _ok(_rule(compute, parent_group_id=mine["id"], ip_protocol="tcp", from_port=5,
                     to_port=6))["security_group_rule"]
    assert_fault(stranger.delete("/os-security-group-rules/" + rule["id"]), 404,
                 "itemNotFound")
    assert _ok(compute.get(path))["security_group"]["name"] == "private-group"


def test_an_administrator_lists_every_projects_groups(project, make_client):
    name, compute, _ = project
    admin = make_client("admin", "admin", "2.35")
    own = {g["tenant_id"] for g in _ok(admin.get("/os-security-groups"))["security_groups"]}
    assert own == {"admin"}
    every = {g["tenant_id"] for g in _ok(admin.get("/os-security-groups?all_tenants=1"))[
        "security_groups"]}
    assert name in every
    # all_tenants means nothing to a member.
    assert {g["tenant_id"] for g in _ok(compute.get("/os-security-groups?all_tenants=1"))[
        "security_groups"]} == {name}


# -- os-floating-ips, os-floating-ip-pools ------------------------------------------------------

def test_floating_ip_pools(project, public, make_client):
    _, compute, _ = project
    pools = _ok(compute.get("/os-floating-ip-pools"))["floating_ip_pools"]
    assert {"name": "public"} in pools
    # No microversion header (as the SDK's cloud layer and Ansible call it): 2.1.
    bare = make_client("user", "proxy-bare", None)
    assert {"name": "public"} in _ok(bare.get("/os-floating-ip-pools"))["floating_ip_pools"]


def test_floating_ips(project, public, stranger):
    name, compute, net = project
    assert _ok(compute.get("/os-floating-ips")) == {"floating_ips": []}
    fip = _ok(compute.post("/os-floating-ips", json={"pool": "public"}))["floating_ip"]
    assert fip == {"id": fip["id"], "ip": fip["ip"], "fixed_ip": None, "instance_id": None,
                   "pool": "public"}
    in_net = _ok(net.get("/floatingips/" + fip["id"]))["floatingip"]
    assert (in_net["floating_ip_address"], in_net["project_id"],
            in_net["floating_network_id"]) == (fip["ip"], name, public["id"])
    # No body, or no pool: the default external network; a pool by id too.
    second = _ok(compute.post("/os-floating-ips"))["floating_ip"]
    third = _ok(compute.post("/os-floating-ips", json={"pool": public["id"]}))["floating_ip"]
    assert second["pool"] == third["pool"] == "public"
    listed = _ok(compute.get("/os-floating-ips"))["floating_ips"]
    assert sorted(f["id"] for f in listed) == sorted(f["id"] for f in (fip, second, third))
    assert _ok(compute.get("/os-floating-ips/" + fip["id"]))["floating_ip"] == fip

    # Another project's are not found.
    assert _ok(stranger.get("/os-floating-ips")) == {"floating_ips": []}
    for call in (stranger.get, stranger.delete):
        assert_fault(call("/os-floating-ips/" + fip["id"]), 404, "itemNotFound",
                     "Floating IP not found for ID %s" % fip["id"])

    for made in (fip, second, third):
        assert _ok(compute.delete("/os-floating-ips/" + made["id"]), 202) is None
    assert net.get("/floatingips/" + fip["id"]).status_code == 404
    assert_fault(compute.get("/os-floating-ips/" + fip["id"]), 404, "itemNotFound",
                 "Floating IP not found for ID %s" % fip["id"])
    assert_fault(compute.delete("/os-floating-ips/" + fip["id"]), 404, "itemNotFound")


def test_floating_ip_refusals(project):
    _, compute, _ = project
    assert_fault(compute.post("/os-floating-ips", json={"pool": "nope"}), 404,
                 "itemNotFound", "Floating IP pool not found.")
    assert_fault(compute.post("/os-floating-ips", json={"pool": str(uuid.uuid4())}), 404,
                 "itemNotFound", "Floating IP pool not found.")
    assert_fault(compute.post("/os-floating-ips", json={"pool": 5}), 400, "badRequest",
                 "pool")
    assert_fault(compute.post("/os-floating-ips", json=[]), 400, "badRequest")
    assert_fault(compute.get("/os-floating-ips/nope"), 404, "itemNotFound",
                 "Floating IP not found for ID nope")


def test_a_floating_ip_on_a_server(make_client, network_client, public):
    """instance_id and fixed_ip are the server's when the floating IP is on its port."""
    name = "proxy-vm-" + uuid.uuid4().hex[:8]
    compute, net = make_client("user", name, "2.35"), network_client("user", name)
    network = net.make("network", name="net")
    subnet = net.make("subnet", network_id=network["id"], cidr="10.77.0.0/24", ip_version=4)
    router = net.make("router", name="r", external_gateway_info={"network_id": public["id"]})
    _ok(net.put("/routers/%s/add_router_interface" % router["id"],
                json={"subnet_id": subnet["id"]}))
    server = compute.boot("proxy-vm", networks=[{"uuid": network["id"]}])["server"]
    compute.wait_for(server["id"], "ACTIVE")
    [port] = _ok(net.get("/ports", params={"device_id": server["id"]}))["ports"]
    fip = _ok(compute.post("/os-floating-ips", json={"pool": "public"}))["floating_ip"]
    _ok(net.put("/floatingips/" + fip["id"], json={"floatingip": {"port_id": port["id"]}}))
    shown = _ok(compute.get("/os-floating-ips/" + fip["id"]))["floating_ip"]
    assert (shown["instance_id"], shown["fixed_ip"]) == (
        server["id"], port["fixed_ips"][0]["ip_address"])
    assert _ok(compute.get("/os-floating-ips"))["floating_ips"] == [shown]
    assert _ok(compute.delete("/os-floating-ips/" + fip["id"]), 202) is None  # released
    assert net.get("/floatingips/" + fip["id"]).status_code == 404
    compute.delete("/servers/" + server["id"])
    compute.wait_gone(server["id"])


# -- os-networks, os-tenant-networks -----------------------------------------------------------

def test_networks(project, public, stranger, make_client):
    name, compute, net = project
    mine = net.make("network", name="mine")
    networks = _ok(compute.get("/os-networks"))["networks"]
    by_id = {n["id"]: n for n in networks}
    assert by_id[mine["id"]] == {**dict.fromkeys(_NETWORK_KEYS), "id": mine["id"],
                                 "label": "mine"}
    assert by_id[public["id"]]["label"] == "public"  # external networks are everyone's
    assert _ok(compute.get("/os-networks/" + mine["id"]))["network"] == by_id[mine["id"]]
    # Another project's network is not found, nor listed.
    assert mine["id"] not in [n["id"] for n in _ok(stranger.get("/os-networks"))["networks"]]
    assert_fault(stranger.get("/os-networks/" + mine["id"]), 404, "itemNotFound",
                 "Network not found")
    assert_fault(compute.get("/os-networks/" + str(uuid.uuid4())), 404, "itemNotFound",
                 "Network not found")
    # An administrator sees every network, with Nova's admin fields (null too).
    admin = make_client("admin", "admin", "2.35")
    shown = _ok(admin.get("/os-networks/" + mine["id"]))["network"]
    assert {"project_id", "bridge", "vlan", "mtu"} <= set(shown) and shown["mtu"] is None
    # nova-network's calls are gone.
    assert_fault(compute.post("/os-networks", json={"network": {"label": "x"}}), 410,
                 "computeFault")
    assert_fault(compute.delete("/os-networks/" + mine["id"]), 410, "computeFault")

    tenant = _ok(compute.get("/os-tenant-networks"))["networks"]
    assert {"id": mine["id"], "cidr": "None", "label": "mine"} in tenant
    assert _ok(compute.get("/os-tenant-networks/" + mine["id"]))["network"] == {
        "id": mine["id"], "cidr": "None", "label": "mine"}
    assert_fault(stranger.get("/os-tenant-networks/" + mine["id"]), 404, "itemNotFound",
                 "Network not found")


# -- microversions --------------------------------------------------------------------------

_CALLS = [("GET", "/os-security-groups"), ("POST", "/os-security-groups"),
          ("GET", "/os-security-groups/%(id)s"), ("PUT", "/os-security-groups/%(id)s"),
          ("DELETE", "/os-security-groups/%(id)s"), ("POST", "/os-security-group-rules"),
          ("DELETE", "/os-security-group-rules/%(id)s"), ("GET", "/os-floating-ips"),
          ("POST", "/os-floating-ips"), ("GET", "/os-floating-ips/%(id)s"),
          ("DELETE", "/os-floating-ips/%(id)s"), ("GET", "/os-floating-ip-pools"),
          ("GET", "/os-networks"), ("GET", "/os-networks/%(id)s"), ("POST", "/os-networks"),
          ("GET", "/os-tenant-networks"), ("GET", "/os-tenant-networks/%(id)s")]


def test_gone_from_2_36(project, make_client):
    name, compute, _ = project
    new = make_client("user", name, "2.36")
    group = _ok(compute.get("/os-security-groups"))["security_groups"][0]
    for method, path in _CALLS:
        resp = new.http.request(method, path % {"id": group["id"]}, json={})
        assert_fault(resp, 404, "itemNotFound", _NOT_FOUND)
    assert _ok(make_client("user", name, "2.1").get("/os-security-groups"))[
        "security_groups"]


# -- the built-in network ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def builtin(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("builtin"), computes=1,
                       **{"network.backend": "builtin"}) as aio:
        with client_pool(aio) as get:
            yield get("user", "proxy-builtin", "2.35")


def test_builtin_network(builtin):
    groups = _ok(builtin.get("/os-security-groups"))["security_groups"]
    assert [(g["name"], g["tenant_id"], g["rules"]) for g in groups] == [
        ("default", "proxy-builtin", [])]
    default = groups[0]
    assert _ok(builtin.get("/os-security-groups/" + default["id"]))[
        "security_group"] == default
    assert_fault(builtin.get("/os-security-groups/" + str(uuid.uuid4())), 404,
                 "itemNotFound")
    assert_fault(builtin.post("/os-security-groups", json={"security_group": {
        "name": "web", "description": ""}}), 400, "badRequest", "built-in network")
    assert_fault(builtin.delete("/os-security-groups/" + default["id"]), 400, "badRequest")
    assert_fault(_rule(builtin, parent_group_id=default["id"], ip_protocol="tcp",
                       from_port=1, to_port=2), 400, "badRequest", "built-in network")
    assert_fault(_rule(builtin, parent_group_id=default["id"], ip_protocol="tcp",
                       from_port=2, to_port=1), 400, "badRequest", "Invalid port range")
    assert_fault(builtin.delete("/os-security-group-rules/" + str(uuid.uuid4())), 404,
                 "itemNotFound")

    assert _ok(builtin.get("/os-floating-ips")) == {"floating_ips": []}
    assert _ok(builtin.get("/os-floating-ip-pools")) == {"floating_ip_pools": []}
    assert_fault(builtin.post("/os-floating-ips"), 404, "itemNotFound",
                 "Floating IP pool not found.")
    assert_fault(builtin.get("/os-floating-ips/" + str(uuid.uuid4())), 404, "itemNotFound")

    [network] = _ok(builtin.get("/os-networks"))["networks"]
    assert set(network) == _NETWORK_KEYS and network["label"] and network["cidr"]
    assert _ok(builtin.get("/os-networks/" + network["id"]))["network"] == network
    assert_fault(builtin.get("/os-networks/" + str(uuid.uuid4())), 404, "itemNotFound",
                 "Network not found")
    assert _ok(builtin.get("/os-tenant-networks"))["networks"] == [
        {"id": network["id"], "cidr": "None", "label": network["label"]}]
