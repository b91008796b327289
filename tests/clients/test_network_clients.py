"""The network API driven by the real clients: openstacksdk's network proxy and the
`openstack network|subnet|port` commands. The network service is not in the catalog yet
(see [network_api] in_catalog), so the clients are pointed at it with clouds.yaml's
`network_endpoint_override`, and find it through its version document as they find
Neutron."""

import json
import os
import subprocess
import sys
import uuid

import pytest
import yaml
from openstack import config, connection, exceptions


@pytest.fixture(scope="module")
def network_url(cloud):
    return "http://127.0.0.1:%d" % cloud.ports["network"]


@pytest.fixture(scope="module")
def clouds_yaml(cloud, network_url, tmp_path_factory):
    """The cloud's clouds.yaml, each cloud told where the network service is."""
    with open(cloud.clouds_yaml) as f:
        clouds = yaml.safe_load(f)
    for entry in clouds["clouds"].values():
        entry["network_endpoint_override"] = network_url
    path = tmp_path_factory.mktemp("network-clients") / "clouds.yaml"
    path.write_text(yaml.safe_dump(clouds))
    return str(path)


def _connect(clouds_yaml, name):
    region = config.OpenStackConfig(config_files=[clouds_yaml],
                                    load_envvars=False).get_one(cloud=name)
    return connection.Connection(config=region)


@pytest.fixture(scope="module")
def sdk(clouds_yaml):
    conn = _connect(clouds_yaml, "novalite")
    yield conn
    conn.close()


def openstack(clouds_yaml, *args, cloud="novalite"):
    cmd = [os.path.join(os.path.dirname(sys.executable), "openstack"), "--os-cloud", cloud,
           *args]
    env = dict(os.environ, OS_CLIENT_CONFIG_FILE=clouds_yaml, PYTHONWARNINGS="ignore")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, "openstack %s:\n%s\n%s" % (" ".join(args), done.stdout,
                                                            done.stderr)
    return json.loads(done.stdout) if "-f" in args and done.stdout.strip() else done.stdout


def test_sdk_network_proxy(sdk, clouds_yaml):
    name = "sdk-net-" + uuid.uuid4().hex[:6]
    network = sdk.network.create_network(name=name)
    assert network.status == "ACTIVE" and network.mtu == 1500 and not network.is_shared
    subnet = sdk.network.create_subnet(network_id=network.id, ip_version=4,
                                       cidr="10.90.0.0/24", name=name,
                                       dns_nameservers=["10.90.0.53"])
    assert subnet.gateway_ip == "10.90.0.1" and subnet.is_dhcp_enabled
    assert sdk.network.find_network(name).subnet_ids == [subnet.id]
    port = sdk.network.create_port(network_id=network.id, name=name,
                                   fixed_ips=[{"subnet_id": subnet.id,
                                               "ip_address": "10.90.0.10"}])
    assert port.fixed_ips == [{"subnet_id": subnet.id, "ip_address": "10.90.0.10"}]
    assert port.status == "DOWN" and port.mac_address.startswith("fa:16:3e:")
    assert [p.id for p in sdk.network.ports(network_id=network.id)] == [port.id]
    port = sdk.network.update_port(port, name=name + "-renamed")
    assert port.name == name + "-renamed" and port.revision_number == 2
    # Paging as the SDK does it: limit and the next link.
    names = sorted(n.name for n in sdk.network.networks(limit=1))
    assert name in names
    # The administrator sees it, as the project's.
    other = _connect(clouds_yaml, "novalite-admin")
    assert other.network.get_network(network.id).project_id == network.project_id
    with pytest.raises(exceptions.ConflictException):
        sdk.network.delete_network(network)
    sdk.network.delete_port(port)
    sdk.network.delete_subnet(subnet)
    sdk.network.delete_network(network)
    with pytest.raises(exceptions.NotFoundException):
        sdk.network.get_network(network.id)
    other.close()


def test_sdk_security_groups(sdk):
    """(openstack security group ... decides from the catalog alone whether a network
    service exists, so until it is listed it goes to the compute API's groups.)"""
    name = "sdk-sg-" + uuid.uuid4().hex[:6]
    group = sdk.network.create_security_group(name=name, description="sdk")
    assert sorted(r["direction"] for r in group.security_group_rules) == ["egress", "egress"]
    rule = sdk.network.create_security_group_rule(
        security_group_id=group.id, direction="ingress", protocol="tcp",
        port_range_min=22, port_range_max=22, remote_ip_prefix="192.0.2.0/24")
    assert (rule.protocol, rule.port_range_min, rule.remote_ip_prefix) == (
        "tcp", 22, "192.0.2.0/24")
    with pytest.raises(exceptions.ConflictException):
        sdk.network.create_security_group_rule(
            security_group_id=group.id, direction="ingress", protocol="tcp",
            port_range_min=22, port_range_max=22, remote_ip_prefix="192.0.2.0/24")
    with pytest.raises(exceptions.BadRequestException):
        sdk.network.create_security_group_rule(security_group_id=group.id,
                                               direction="ingress", protocol="tcp",
                                               port_range_min=30, port_range_max=20)
    names = {g.name for g in sdk.network.security_groups()}
    assert {"default", name} <= names
    sdk.network.delete_security_group_rule(rule)
    sdk.network.delete_security_group(group)
    assert sdk.network.find_security_group(name) is None


def test_sdk_router_and_floating_ip(sdk, clouds_yaml):
    admin = _connect(clouds_yaml, "novalite-admin")
    suffix = uuid.uuid4().hex[:6]
    public = admin.network.create_network(name="public-" + suffix, is_router_external=True)
    admin.network.create_subnet(network_id=public.id, ip_version=4, cidr="203.0.113.0/24")
    private = sdk.network.create_network(name="private-" + suffix)
    subnet = sdk.network.create_subnet(network_id=private.id, ip_version=4,
                                       cidr="10.92.0.0/24")
    router = sdk.network.create_router(name="r-" + suffix,
                                       external_gateway_info={"network_id": public.id})
    sdk.network.add_interface_to_router(router, subnet=subnet.id)
    port = sdk.network.create_port(network_id=private.id)
    fip = sdk.network.create_ip(floating_network_id=public.id)
    fip = sdk.network.update_ip(fip, port_id=port.id)
    assert fip.fixed_ip_address == port.fixed_ips[0]["ip_address"]
    assert fip.router_id == router.id and fip.status == "ACTIVE"
    assert sdk.network.find_available_ip() is None  # the one there is is taken
    sdk.network.delete_ip(fip)
    sdk.network.delete_port(port)
    sdk.network.remove_interface_from_router(router, subnet=subnet.id)
    sdk.network.delete_router(router)
    sdk.network.delete_subnet(subnet)
    sdk.network.delete_network(private)
    admin.network.delete_network(public)
    admin.close()


def test_openstack_network_commands(clouds_yaml):
    name = "osc-net-" + uuid.uuid4().hex[:6]
    network = openstack(clouds_yaml, "network", "create", name, "-f", "json")
    assert network["status"] == "ACTIVE" and network["name"] == name
    subnet = openstack(clouds_yaml, "subnet", "create", name, "--network", name,
                       "--subnet-range", "10.91.0.0/24", "--allocation-pool",
                       "start=10.91.0.100,end=10.91.0.200", "-f", "json")
    assert subnet["allocation_pools"] == [{"start": "10.91.0.100", "end": "10.91.0.200"}], \
        subnet["allocation_pools"]
    port = openstack(clouds_yaml, "port", "create", name, "--network", name, "-f", "json")
    (address,) = port["fixed_ips"]
    assert address["ip_address"] == "10.91.0.100"
    listed = openstack(clouds_yaml, "port", "list", "--network", name, "-f", "json")
    assert [p["ID"] for p in listed] == [port["id"]]
    openstack(clouds_yaml, "network", "set", "--name", name + "-2", name)
    shown = openstack(clouds_yaml, "network", "show", name + "-2", "-f", "json")
    assert shown["revision_number"] == 2 and shown["subnets"] == [subnet["id"]]
    listed = openstack(clouds_yaml, "network", "list", "-f", "json")
    assert name + "-2" in [n["Name"] for n in listed]
    openstack(clouds_yaml, "port", "delete", port["id"])
    openstack(clouds_yaml, "subnet", "delete", subnet["id"])
    openstack(clouds_yaml, "network", "delete", name + "-2")
    assert name + "-2" not in [n["Name"] for n in openstack(clouds_yaml, "network", "list",
                                                            "-f", "json")]
