"""The Linux bridge agent's driver on this machine's kernel, with network namespaces for
guests (a veth named as libvirt's tap device, its other end in the guest's namespace) and
a stand-in for the service's RPC: plug() waits for the tap, makes the network's bridge and
DHCP server (dnsmasq in qdhcp-<network>, serving the ports' MACs), filters the port with
its security groups (members reach members, the DHCP namespace is dropped until a rule
lets ICMP in), and unplug() of the last port leaves nothing behind. Fast: no guest boots.

Needs root, iproute2, nftables, dnsmasq and ping (.ci/libvirt-host installs them)."""

import os
import shutil
import subprocess
import types
import uuid

import pytest

from novalite.networking.agent import dnsmasq, firewall, linuxbridge


def _require():
    missing = [t for t in ("ip", "nft", "dnsmasq", "ping") if shutil.which(t) is None]
    if os.geteuid() != 0 or missing:
        message = "the Linux bridge driver needs root and %s" % (
            ", ".join(missing) or "root")
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


def _rule(**values):
    return {"direction": "ingress", "ethertype": "IPv4", "protocol": None,
            "port_range_min": None, "port_range_max": None, "remote_ip_prefix": None,
            "remote_group_id": None, **values}


class _Plugin:
    """The service's answers for one network 10.77.<n>.0/24 and its ports."""

    def __init__(self, network_id, ports, third):
        self.network_id, self.ports, self.third = network_id, ports, third
        self.rules = [_rule(direction="egress"), _rule(remote_group_id="g")]
        self.released = []

    def address(self, index):
        return "10.77.%d.%d" % (self.third, index)

    def get_dhcp_info(self, ctxt, network_id, host):
        return {"network_id": network_id, "subnets": [{
                    "id": "s", "cidr": "10.77.%d.0/24" % self.third,
                    "gateway_ip": self.address(1), "dns_nameservers": [],
                    "host_routes": []}],
                "dhcp_port": {"id": "d" + network_id[:10],
                              "mac_address": "fa:16:3e:77:00:02",
                              "fixed_ips": [{"subnet_id": "s", "ip_address": self.address(2)}]},
                "ports": [{"id": p["id"], "mac_address": p["mac_address"],
                           "fixed_ips": [{"subnet_id": "s", "ip_address": p["ip"]}]}
                          for p in self.ports]}

    def security_group_info_for_ports(self, ctxt, ports):
        known = {p["id"]: p for p in self.ports}
        return {"devices": {i: {"id": i, "network_id": self.network_id,
                                "mac_address": known[i]["mac_address"],
                                "fixed_ips": [known[i]["ip"]], "allowed_address_pairs": [],
                                "port_security_enabled": True, "security_groups": ["g"]}
                            for i in ports if i in known},
                "security_groups": {"g": list(self.rules)},
                "sg_member_ips": {"g": {"IPv4": sorted(p["ip"] for p in self.ports),
                                        "IPv6": []}}}

    def release_dhcp_port(self, ctxt, network_id, host):
        self.released.append(network_id)


def _run(*args, check=True):
    return subprocess.run(args, capture_output=True, text=True, check=check)


def _ping(namespace, address) -> bool:
    return _run("ip", "netns", "exec", namespace, "ping", "-c", "1", "-W", "2", address,
                check=False).returncode == 0


def test_ports_on_a_bridge_with_dhcp_and_security_groups(tmp_path):
    _require()
    network_id = str(uuid.uuid4())
    third = int(network_id[:2], 16)
    ports = [{"id": str(uuid.uuid4()), "mac_address": "fa:16:3e:77:00:%02x" % (10 + i),
              "network_id": network_id, "binding:host_id": "h1",
              "device_owner": "compute:nova"} for i in range(2)]
    plugin = _Plugin(network_id, ports, third)
    for i, port in enumerate(ports):
        port["ip"] = plugin.address(10 + i)
    driver = linuxbridge.LinuxBridgeDriver(types.SimpleNamespace(state_path=str(tmp_path)),
                                           "h1")
    driver.start(plugin)
    guests = ["g" + p["id"][:8] for p in ports]
    bridge = linuxbridge.bridge_name(network_id)
    qdhcp = dnsmasq.namespace(network_id)
    try:
        for port, guest in zip(ports, guests, strict=True):
            wire = {k: v for k, v in port.items() if k != "ip"}
            assert driver.plug(wire) is False  # no tap yet: the agent tries again
            # ...but the bridge and the DHCP server are there for the guest's first boot.
            assert _run("ip", "link", "show", bridge).returncode == 0
            tap = linuxbridge.tap_name(port["id"])
            _run("ip", "netns", "add", guest)
            _run("ip", "link", "add", tap, "type", "veth", "peer", "name", "eth0", "netns",
                 guest)
            _run("ip", "-n", guest, "link", "set", "eth0", "address", port["mac_address"])
            _run("ip", "-n", guest, "addr", "add", port["ip"] + "/24", "dev", "eth0")
            _run("ip", "-n", guest, "link", "set", "eth0", "up")
            assert driver.plug(wire) is True
        hosts = (tmp_path / "dhcp" / network_id / "host").read_text()
        assert all("%s,%s" % (p["mac_address"], dnsmasq.hostname(p["ip"])) in hosts
                   for p in ports)
        assert qdhcp in _run("ip", "netns", "list").stdout

        assert _ping(guests[0], ports[1]["ip"])  # members reach members
        assert not _ping(qdhcp, ports[1]["ip"])  # the DHCP server is no member
        plugin.rules.append(_rule(protocol="icmp"))
        driver.security_groups_changed(["g"])
        assert _ping(qdhcp, ports[1]["ip"])
        # A guest sending from another address is dropped at its tap.
        _run("ip", "-n", guests[0], "addr", "add", plugin.address(99) + "/24", "dev", "eth0")
        assert not _run("ip", "netns", "exec", guests[0], "ping", "-c", "1", "-W", "2", "-I",
                        plugin.address(99), ports[1]["ip"], check=False).returncode == 0

        plugin.ports = ports[1:]  # the first deleted, as the service tells the agent
        driver.unplug(ports[0]["id"])
        assert _run("ip", "link", "show", bridge).returncode == 0  # one port left
        assert ports[0]["mac_address"] not in (tmp_path / "dhcp" / network_id / "host"
                                               ).read_text()
        for guest in guests:
            _run("ip", "netns", "delete", guest)
        driver.unplug(ports[1]["id"])
        assert plugin.released == [network_id]
        assert _run("ip", "link", "show", bridge, check=False).returncode != 0
        assert qdhcp not in _run("ip", "netns", "list").stdout
        assert not (tmp_path / "dhcp" / network_id).exists()
        assert not any(linuxbridge.tap_name(p["id"]) in c
                       for p in ports for c in firewall.Nftables().port_chains())
    finally:
        driver.stop()
        for guest in guests:
            _run("ip", "netns", "delete", guest, check=False)

