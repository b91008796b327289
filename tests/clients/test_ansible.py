"""Ansible's openstack.cloud collection (bundled with the `ansible` package) against
`novalite serve`: a playbook makes a network, a subnet, a router with `public` as its
gateway, a security group with rules and a server with `auto_ip`, and a second one tears
it all down. ansible-playbook runs as a user runs it: localhost, connection local, the
venv's python for the modules, the cloud's clouds.yaml and its demo cloud."""

import ipaddress
import json
import os
import re
import subprocess
import sys
import uuid

import pytest
import yaml

from tests.clients.conftest import IMAGE_NAME, sdk_connection

ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
CIDR = "10.77.0.0/24"

pytestmark = pytest.mark.skipif(not os.path.exists(ANSIBLE_PLAYBOOK),
                                reason="ansible is not installed (pip install -e '.[test]')")

# openstack.cloud (2.5.0 in ansible 12-14) reads openstack.version.__version__, a
# submodule openstacksdk 4.x no longer imports itself: every module would fail with
# "module 'openstack' has no attribute 'version'". A client packaging matter, not the
# cloud's: the modules' interpreter imports it first.
SITECUSTOMIZE = """\
try:
    import openstack.version  # noqa: F401
except ImportError:
    pass
"""

HEADER = """\
- hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: {python}
  module_defaults:
    group/openstack.cloud.openstack:
      cloud: novalite
      sdk_log_path: {sdk_log}
      sdk_log_level: DEBUG
  tasks:
"""

CREATE = """\
    - name: network
      openstack.cloud.network:
        name: "{name}-net"
      register: net

    - name: subnet
      openstack.cloud.subnet:
        name: "{name}-subnet"
        network_name: "{name}-net"
        cidr: "{cidr}"
      register: subnet

    - name: router, public as the gateway, the subnet as an interface
      openstack.cloud.router:
        name: "{name}-router"
        network: public
        interfaces:
          - "{name}-subnet"
      register: router

    - name: security group
      openstack.cloud.security_group:
        name: "{name}-sg"
        description: ansible
      register: sg

    - name: ssh in
      openstack.cloud.security_group_rule:
        security_group: "{name}-sg"
        protocol: tcp
        port_range_min: 22
        port_range_max: 22
        remote_ip_prefix: 0.0.0.0/0
      register: ssh

    - name: ping
      openstack.cloud.security_group_rule:
        security_group: "{name}-sg"
        protocol: icmp
        remote_ip_prefix: 0.0.0.0/0
      register: icmp

    - name: server with a floating IP
      openstack.cloud.server:
        name: "{name}-vm"
        image: "{image}"
        flavor: m1.tiny
        network: "{name}-net"
        security_groups:
          - "{name}-sg"
        auto_ip: true
        reuse_ips: false
        wait: true
        timeout: 300
      register: vm

    - name: the server as server_info sees it
      openstack.cloud.server_info:
        name: "{name}-vm"
      register: info

    - name: what the modules answered, for the test
      ansible.builtin.copy:
        dest: "{results}"
        content: "{{{{ dict(net=net, subnet=subnet, router=router, sg=sg, ssh=ssh,
                           icmp=icmp, vm=vm, info=info) | to_json }}}}"

    - name: ACTIVE, a fixed address on the network and a floating one
      vars:
        addresses: "{{{{ vm.server.addresses['{name}-net'] | default([]) }}}}"
      ansible.builtin.assert:
        that:
          - vm.server.status == 'ACTIVE'
          - addresses | selectattr('OS-EXT-IPS:type', 'equalto', 'fixed') | list | length == 1
          - addresses | selectattr('OS-EXT-IPS:type', 'equalto', 'floating') | list
            | length == 1
          - info.servers | length == 1
          - info.servers[0].status == 'ACTIVE'
        fail_msg: "{{{{ vm.server.status }}}} {{{{ vm.server.addresses }}}}"
"""

TEARDOWN = """\
    - name: server gone, its floating IP released
      openstack.cloud.server:
        name: "{name}-vm"
        state: absent
        delete_ips: true
        wait: true
        timeout: 300

    - name: router gone
      openstack.cloud.router:
        name: "{name}-router"
        state: absent

    - name: security group gone
      openstack.cloud.security_group:
        name: "{name}-sg"
        state: absent

    - name: subnet gone
      openstack.cloud.subnet:
        name: "{name}-subnet"
        state: absent

    - name: network gone
      openstack.cloud.network:
        name: "{name}-net"
        state: absent
"""


def _write(tmp_path, filename, tasks, **values):
    path = tmp_path / filename
    path.write_text(HEADER.format(python=sys.executable, sdk_log=tmp_path / "sdk.log")
                    + tasks.format(**values))
    yaml.safe_load(path.read_text())  # a typo here should not look like a cloud failure
    return path


def _playbook(cloud, tmp_path, playbook):
    shim = tmp_path / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = {k: v for k, v in cloud.env.items()
           if not k.startswith(("ANSIBLE_", "OS_")) and k != "PYTHONPATH"}
    env.update(
        OS_CLIENT_CONFIG_FILE=cloud.clouds_yaml,
        PYTHONPATH=str(shim),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        # No ~/.ansible: ANSIBLE_COLLECTIONS_PATH stays unset, so only the collections
        # the `ansible` package bundles (in site-packages) are found.
        ANSIBLE_HOME=str(tmp_path / "ansible-home"),
        ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
        ANSIBLE_REMOTE_TEMP=str(tmp_path / "ansible-tmp"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_LOCALHOST_WARNING="0",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
        PYTHONWARNINGS="ignore",
    )
    done = subprocess.run([ANSIBLE_PLAYBOOK, "-i", "localhost,", "-v", str(playbook)],
                          env=env, capture_output=True, text=True, timeout=900)
    output = "%s\n%s" % (done.stdout, done.stderr)
    sdk_log = tmp_path / "sdk.log"
    requests = sdk_log.read_text() if sdk_log.exists() else ""
    for secret in cloud.secrets():
        assert secret not in output, "a password in ansible-playbook's output"
        assert secret not in requests, "a password in the SDK's request log"
    if done.returncode:
        # The modules' requests and the cloud's answers (the SDK's debug log), in short.
        calls = "".join(req or " -> %s\n" % status for req, status in re.findall(
            r"REQ: curl -g -i -X (\S+ \S+)|RESP: \[(\d+)\]", requests))
        output += "\nthe modules' requests (last 80):\n" + "\n".join(
            calls.splitlines()[-80:])
    return done.returncode, output


def _ours(items, name):
    return [item for item in items if (item.name or "").startswith(name)]


def test_playbook_network_router_security_group_server_auto_ip(cloud, tmp_path):
    name = "ans-" + uuid.uuid4().hex[:6]
    results = tmp_path / "results.json"
    create = _write(tmp_path, "create.yml", CREATE, name=name, cidr=CIDR, image=IMAGE_NAME,
                    results=results)
    teardown = _write(tmp_path, "teardown.yml", TEARDOWN, name=name)
    conn = sdk_connection(cloud)
    admin = sdk_connection(cloud, "novalite-admin")
    project_id = conn.current_project_id
    fips_before = {ip.id for ip in conn.network.ips(project_id=project_id)}
    try:
        rc, output = _playbook(cloud, tmp_path, create)
        assert rc == 0, "the create playbook failed (%d):\n%s" % (rc, output)
        found = json.loads(results.read_text())
        net, subnet, router = (found["net"]["network"], found["subnet"]["subnet"],
                               found["router"]["router"])
        assert subnet["network_id"] == net["id"] and subnet["cidr"] == CIDR
        public = admin.network.find_network("public")
        assert router["external_gateway_info"]["network_id"] == public.id, router
        interfaces = list(conn.network.ports(device_id=router["id"],
                                             network_id=net["id"]))
        assert [p.fixed_ips[0]["subnet_id"] for p in interfaces] == [subnet["id"]]
        group = found["sg"]["security_group"]
        rules = {(r["protocol"], r["port_range_min"], r["port_range_max"],
                  r["remote_ip_prefix"], r["direction"])
                 for r in conn.network.get_security_group(group["id"]).security_group_rules}
        assert {("tcp", 22, 22, "0.0.0.0/0", "ingress"),
                ("icmp", None, None, "0.0.0.0/0", "ingress")} <= rules, rules

        # The server as the cloud shows it afterwards, not only as the module said.
        server_id = found["vm"]["server"]["id"]
        server = conn.compute.get_server(server_id)
        assert server.status == "ACTIVE"
        addresses = server.addresses[name + "-net"]
        (fixed,) = [a for a in addresses if a["OS-EXT-IPS:type"] == "fixed"]
        (floating,) = [a for a in addresses if a["OS-EXT-IPS:type"] == "floating"]
        assert ipaddress.ip_address(fixed["addr"]) in ipaddress.ip_network(CIDR)
        public_cidrs = [ipaddress.ip_network(admin.network.get_subnet(s).cidr)
                        for s in public.subnet_ids]
        assert any(ipaddress.ip_address(floating["addr"]) in c for c in public_cidrs)
        (fip,) = conn.network.ips(floating_ip_address=floating["addr"])
        assert (fip.fixed_ip_address, fip.router_id) == (fixed["addr"], router["id"])
        assert fip.floating_network_id == public.id and fip.project_id == project_id
        assert [g["name"] for g in server.security_groups] == [name + "-sg"]
    finally:
        rc, output = _playbook(cloud, tmp_path, teardown)
    assert rc == 0, "the teardown playbook failed (%d):\n%s" % (rc, output)

    assert not _ours(conn.compute.servers(), name)
    assert not _ours(conn.network.networks(), name)
    assert not _ours(conn.network.subnets(), name)
    assert not _ours(conn.network.routers(), name)
    assert not _ours(conn.network.security_groups(), name)
    assert {ip.id for ip in conn.network.ips(project_id=project_id)} == fips_before, \
        "the server's floating IP was not released"
    conn.close()
    admin.close()
