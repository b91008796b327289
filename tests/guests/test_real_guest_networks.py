"""Real guests on the Linux bridge agent's networks: each network a bridge on this machine,
each guest's port a tap device on it filtered by its security groups in nftables, DHCP
from a dnsmasq per network in its qdhcp- namespace.

Two networks with the same CIDR; two guests on network A and one on B, all in one
security group whose rules let in only its members. Each guest gets its port's fixed IP
by DHCP. A guest on A pings the other (its user data prints the result on the console),
and cannot reach the B guest's address (another bridge). From A's DHCP namespace the A
guest does not answer until a rule letting in ICMP is added to the group, then it does.
Once everything is deleted, no bridge, tap, namespace, nftables chain or dnsmasq of the
test is left."""

import base64
import os
import subprocess
import time
import uuid

import pytest

from tests.guests import tiny_guest
from tests.guests.test_real_guests import (  # noqa: F401 (flavor, images: fixtures)
    BOOT_DEADLINE,
    _console_when,
    flavor,
    images,
)

_PING = "NOVALITE-PING-"
PING_OK, PING_FAIL = _PING + "OK", _PING + "FAIL"
B_ADDRESS_SUFFIX = 200  # the B guest's fixed address, free on network A


def _ping_script(reach: str, unreachable: str) -> str:
    """User data: ping `reach` until it answers (it may still be booting), then
    `unreachable` a few times; print each result."""
    # The results are spelled from variables: the console also shows the script itself.
    return """#!/bin/sh
result() { echo "%(prefix)s$1 $2"; }
n=0
until ping -c 1 -W 2 %(reach)s >/dev/null 2>&1; do
    n=$((n+1)); [ $n -ge 60 ] && break; sleep 2
done
[ $n -lt 60 ] && result OK %(reach)s || result FAIL %(reach)s
ping -c 3 -W 2 %(unreachable)s >/dev/null 2>&1 && result OK %(unreachable)s \\
    || result FAIL %(unreachable)s
""" % {"reach": reach, "unreachable": unreachable, "prefix": _PING}


def _ns_ping(namespace: str, address: str) -> bool:
    return subprocess.run(["ip", "netns", "exec", namespace, "ping", "-c", "1", "-W", "2",
                           address], capture_output=True).returncode == 0


def _until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, what
        time.sleep(1)


def _leftovers(network_ids, port_ids) -> list[str]:
    """What of these networks and ports is still on the machine."""
    links = subprocess.run(["ip", "-o", "link", "show"], capture_output=True,
                           text=True).stdout
    namespaces = subprocess.run(["ip", "netns", "list"], capture_output=True,
                                text=True).stdout
    chains = subprocess.run(["nft", "list", "ruleset"], capture_output=True,
                            text=True).stdout
    found = []
    for network_id in network_ids:
        if "brq" + network_id[:11] in links:
            found.append("bridge of " + network_id)
        if "qdhcp-" + network_id in namespaces:
            found.append("namespace qdhcp-" + network_id)
        for pid in os.listdir("/proc"):
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    cmdline = f.read()
            except OSError:
                continue
            if b"dnsmasq" in cmdline and network_id.encode() in cmdline:
                found.append("dnsmasq %s of %s" % (pid, network_id))
    for port_id in port_ids:
        tap = ("tap" + port_id)[:14]
        if tap in links:
            found.append("tap " + tap)
        if tap in chains:
            found.append("nftables chains of " + tap)
    return found


def _deleted(conn, network) -> bool:
    try:
        conn.network.delete_network(network, ignore_missing=True)
    except Exception:  # a port of it still going
        return False
    return True


def _needs_tools():
    """Without the tools or root this skips, saying why; with CI=true it fails instead."""
    missing = [t for t in ("ip", "nft", "dnsmasq", "ping")
               if subprocess.run(["which", t], capture_output=True).returncode != 0]
    message = None
    if missing:
        message = "%s not installed (run .ci/libvirt-host as root)" % ", ".join(missing)
    elif os.geteuid() != 0:
        message = "the Linux bridge agent needs root"
    if message is None:
        return
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(message + " (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


def test_guests_on_bridged_networks_dhcp_isolation_and_security_groups(
        guest_cloud, images, flavor):  # noqa: F811
    _needs_tools()
    conn = guest_cloud.connect()
    suffix = uuid.uuid4().hex[:6]
    third = int(suffix[:2], 16)
    cidr = "10.201.%d.0/24" % third
    group = conn.network.create_security_group(name="lb-" + suffix)
    servers, ports, networks = [], [], []
    try:
        # Members may reach members: what the default group says, in a group of our own.
        conn.network.create_security_group_rule(
            security_group_id=group.id, direction="ingress", ethertype="IPv4",
            remote_group_id=group.id)
        for name in ("a", "b"):
            network = conn.network.create_network(name="lb-%s-%s" % (name, suffix))
            networks.append(network)
            conn.network.create_subnet(network_id=network.id, ip_version=4, cidr=cidr,
                                       enable_dhcp=True, name="lb-%s-%s" % (name, suffix))
        net_a, net_b = networks
        b_address = "10.201.%d.%d" % (third, B_ADDRESS_SUFFIX)
        ports = [conn.network.create_port(network_id=net_a.id, security_group_ids=[group.id]),
                 conn.network.create_port(network_id=net_a.id, security_group_ids=[group.id]),
                 conn.network.create_port(network_id=net_b.id, security_group_ids=[group.id],
                                          fixed_ips=[{"ip_address": b_address}])]
        addresses = [p.fixed_ips[0]["ip_address"] for p in ports]
        a1_ip, a2_ip, b1_ip = addresses
        assert b1_ip == b_address and b_address not in (a1_ip, a2_ip)
        script = _ping_script(a2_ip, b1_ip)
        for name, port, user_data in (("a1", ports[0], script), ("a2", ports[1], None),
                                      ("b1", ports[2], None)):
            extra = {"user_data": base64.b64encode(user_data.encode()).decode()} \
                if user_data else {}
            servers.append(conn.compute.create_server(
                name="lb-%s-%s" % (name, suffix), image_id=images.id, flavor_id=flavor.id,
                networks=[{"port": port.id}], config_drive=True, **extra))
        servers = [conn.compute.wait_for_server(s, status="ACTIVE", wait=BOOT_DEADLINE)
                   for s in servers]

        # Each guest got its port's own address by DHCP.
        for server, address in zip(servers, addresses, strict=True):
            output = _console_when(conn, server, tiny_guest.MARKER)
            assert "%s %s" % (tiny_guest.DHCP_ADDRESS, address) in output, output

        # a1 reaches a2 on network A, not b1's address (on network B's bridge).
        output = _console_when(conn, servers[0], "%s %s" % (PING_FAIL, b1_ip))
        assert "%s %s" % (PING_OK, a2_ip) in output, output

        # From network A's DHCP namespace (not a member of the group): dropped until the
        # group lets ICMP in.
        namespace = "qdhcp-" + net_a.id
        assert namespace in subprocess.run(["ip", "netns", "list"], capture_output=True,
                                           text=True).stdout
        assert not _ns_ping(namespace, a2_ip)
        conn.network.create_security_group_rule(
            security_group_id=group.id, direction="ingress", ethertype="IPv4",
            protocol="icmp")
        _until(lambda: _ns_ping(namespace, a2_ip), 60,
               "a2 does not answer the DHCP namespace's ping once ICMP is allowed")
        assert _ns_ping(namespace, a1_ip)
        # Network B's guest is not on network A's bridge.
        assert not _ns_ping(namespace, b1_ip)
    finally:
        for server in servers:
            conn.compute.delete_server(server, ignore_missing=True)
        for server in servers:
            conn.compute.wait_for_delete(server, wait=BOOT_DEADLINE)
        for port in ports:
            conn.network.delete_port(port, ignore_missing=True)
        for network in networks:
            _until(lambda n=network: _deleted(conn, n), 30,
                   "network %s not deleted" % network.id)
        conn.network.delete_security_group(group, ignore_missing=True)

    _until(lambda: not _leftovers([n.id for n in networks], [p.id for p in ports]), 60,
           "left behind: %s" % _leftovers([n.id for n in networks], [p.id for p in ports]))
