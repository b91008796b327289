"""A network's DHCP server on one host: dnsmasq in its own network namespace
`qdhcp-<network id>`, reached from the network's bridge through a veth pair (`dhcp<id>`
on the bridge, `ns-<port id>` inside, with the MAC and address of the network's DHCP
port), as Neutron's DHCP agent runs it. Addresses are fixed, never from a pool: the hosts
file maps each port's MAC to its fixed IP and a hostname, and only those MACs are
answered (a `static` range). When the network's ports change the file is written again
and dnsmasq re-reads it on SIGHUP.

Neutron runs this in a DHCP agent of its own; here the host's network agent does it (the
Linux bridge driver starts a network's server with that network's first port on the host
and stops it with the last), which is one process less and the same on the wire."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import netaddr

from novalite.networking.agent import iproute

NAMESPACE_PREFIX = "qdhcp-"
LEASE_SECONDS = 86400


def namespace(network_id: str) -> str:
    return NAMESPACE_PREFIX + network_id


def host_device(network_id: str) -> str:
    return "dhcp" + network_id[:11]


def hostname(address: str) -> str:
    """Neutron's name for a port without a DNS name: host-10-0-0-5."""
    return "host-" + address.replace(".", "-").replace(":", "-")


def hosts_file(info: dict) -> str:
    """dnsmasq's --dhcp-hostsfile: `mac,hostname,address` for each port's IPv4 address."""
    lines = []
    for port in info["ports"]:
        for ip in port["fixed_ips"]:
            if ":" not in ip["ip_address"]:
                lines.append("%s,%s,%s" % (port["mac_address"], hostname(ip["ip_address"]),
                                           ip["ip_address"]))
    return "".join(line + "\n" for line in sorted(lines))


def opts_file(info: dict) -> str:
    """dnsmasq's --dhcp-optsfile: each subnet's router and DNS servers (none: not sent)."""
    lines = []
    for index, subnet in enumerate(info["subnets"]):
        tag = "tag:subnet%d" % index
        lines.append("%s,option:router%s" % (
            tag, "," + subnet["gateway_ip"] if subnet.get("gateway_ip") else ""))
        if subnet.get("dns_nameservers"):
            lines.append("%s,option:dns-server,%s" % (tag, ",".join(
                subnet["dns_nameservers"])))
    return "".join(line + "\n" for line in lines)


def command(info: dict, directory: str, device: str) -> list[str]:
    """The dnsmasq command line (run inside the namespace)."""
    args = ["dnsmasq", "--no-hosts", "--no-resolv", "--port=0", "--conf-file=/dev/null",
            "--pid-file=%s" % os.path.join(directory, "pid"),
            "--dhcp-hostsfile=%s" % os.path.join(directory, "host"),
            "--dhcp-optsfile=%s" % os.path.join(directory, "opts"),
            "--leasefile-ro", "--dhcp-authoritative", "--bind-interfaces",
            "--interface=%s" % device, "--except-interface=lo",
            # Root keeps reading the hosts file on SIGHUP wherever the state lives.
            "--user=root", "--group=root"]
    for index, subnet in enumerate(info["subnets"]):
        cidr = netaddr.IPNetwork(subnet["cidr"])
        args.append("--dhcp-range=set:subnet%d,%s,static,%s,%ds" % (
            index, cidr.network, cidr.netmask, LEASE_SECONDS))
    return args


class DhcpServer:
    """One network's server on this host; its files under `directory`."""

    def __init__(self, network_id: str, bridge: str, directory: str):
        self.network_id = network_id
        self.bridge = bridge
        self.directory = directory
        self.namespace = namespace(network_id)
        self.host_device = host_device(network_id)

    def _pid(self) -> int | None:
        try:
            with open(os.path.join(self.directory, "pid")) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return None
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                cmdline = f.read()
        except OSError:
            return None
        # Ours, not a process that took the number since.
        return pid if b"dnsmasq" in cmdline and self.directory.encode() in cmdline \
            else None

    def _write(self, info: dict) -> None:
        os.makedirs(self.directory, exist_ok=True)
        for name, text in (("host", hosts_file(info)), ("opts", opts_file(info))):
            path = os.path.join(self.directory, name)
            with open(path + ".tmp", "w") as f:
                f.write(text)
            os.replace(path + ".tmp", path)

    def _wire(self, info: dict) -> str:
        """The namespace and the veth pair between it and the bridge, with the DHCP
        port's MAC and addresses inside."""
        port = info["dhcp_port"]
        inner = "ns-" + port["id"][:11]
        iproute.ensure_namespace(self.namespace)
        if iproute.exists(self.host_device) and not iproute.exists(inner, self.namespace):
            iproute.delete_link(self.host_device)  # a pair made for another DHCP port
        if not iproute.exists(self.host_device):
            iproute.ip("link", "add", self.host_device, "type", "veth", "peer", "name",
                       inner, "netns", self.namespace)
        iproute.ip("link", "set", inner, "address", port["mac_address"], netns=self.namespace)
        prefixes = {s["id"]: netaddr.IPNetwork(s["cidr"]).prefixlen for s in info["subnets"]}
        for ip in port["fixed_ips"]:
            iproute.ip("addr", "replace", "%s/%d" % (ip["ip_address"],
                                                     prefixes[ip["subnet_id"]]),
                       "dev", inner, netns=self.namespace)
        iproute.ip("link", "set", inner, "up", netns=self.namespace)
        iproute.set_master(self.host_device, self.bridge)
        return inner

    def ensure(self, info: dict) -> None:
        """Serving what info says: started if it is not, else its hosts file re-read."""
        self._write(info)
        inner = self._wire(info)
        pid = self._pid()
        if pid is not None:
            os.kill(pid, signal.SIGHUP)
            return
        subprocess.run(["ip", "netns", "exec", self.namespace,
                        *command(info, self.directory, inner)],
                       check=True, capture_output=True, text=True)

    def stop(self) -> None:
        """dnsmasq stopped, the veth pair and the namespace removed, the files gone."""
        pid = self._pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 5
            while self._pid() is not None and time.monotonic() < deadline:
                time.sleep(0.05)
        iproute.delete_link(self.host_device)
        iproute.delete_namespace(self.namespace)
        shutil.rmtree(self.directory, ignore_errors=True)
