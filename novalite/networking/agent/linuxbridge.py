"""The agent driver of libvirt hosts, as Neutron's Linux bridge agent wires them: each
network is a bridge `brq<network id[:11]>` on the host, made when the network's first port
is bound here and removed with its last; each port is the guest's tap device
`tap<port id[:11]>` (libvirt makes it when the guest starts) put on that bridge, its
security groups applied in nftables (firewall.py); and a network with an enable_dhcp
subnet gets its DHCP server (dnsmasq.py) on the bridge while it has ports here.

Neutron runs the DHCP servers in a DHCP agent of its own; this agent runs them, one per
network and machine, which is the same on the wire. Bridges, namespaces and nftables are
the machine's: an all-in-one cloud whose compute hosts share one machine shares them too,
so the DHCP server is the machine's (its port's device_id names the machine) and a bridge
goes only when no guest's tap device is left on it. Nothing leaves the machine: a bridge
has no uplink, so a network spans the guests of one machine.

plug() answers False while the tap device is not there yet: the agent tries again. The
bridge and the DHCP server are made at the first try, so a guest finds its address
served as soon as it boots. Everything this driver made goes when its agent stops."""

from __future__ import annotations

import logging
import os
import socket
import threading

from novalite import context as nl_context
from novalite.networking.agent import dnsmasq, firewall, iproute

LOG = logging.getLogger(__name__)

BRIDGE_PREFIX = firewall.BRIDGE_PREFIX
_DEVNAME_LEN = 14  # IFNAMSIZ - 1, less one: as Nova names taps


def bridge_name(network_id: str) -> str:
    return BRIDGE_PREFIX + network_id[:11]


def tap_name(port_id: str) -> str:
    return ("tap" + port_id)[:_DEVNAME_LEN]


class LinuxBridgeDriver:
    agent_type = "Linux bridge agent"

    def __init__(self, conf, host: str):
        self.host = host
        self.machine = socket.gethostname()
        self.directory = os.path.join(os.path.abspath(conf.state_path), "dhcp")
        self.firewall = firewall.Nftables()
        self.plugin = None
        self._ports = {}  # port id -> what plug() did for it (see _record)
        self._dhcp = {}  # network id -> dnsmasq.DhcpServer
        self._lock = threading.RLock()

    def configurations(self) -> dict:
        return {"vif_type": "bridge", "bridge_prefix": BRIDGE_PREFIX,
                "interface_mappings": {}, "firewall_driver": "nftables",
                "dhcp_driver": "dnsmasq", "devices": len(self._ports)}

    def start(self, plugin) -> None:
        self.plugin = plugin

    # -- ports ------------------------------------------------------------------------------

    def plug(self, port: dict) -> bool:
        if (port.get("device_owner") or "").startswith("network:"):
            return True  # the service's own port: nothing of a guest's to wire
        with self._lock:
            record = self._ports.get(port["id"])
            if record is None or record["port"] != port:  # new, or changed: not a retry
                record = self._prepare(port)
            if not iproute.exists(record["tap"]):
                return False
            iproute.set_master(record["tap"], record["bridge"])
            self._apply_firewall([port["id"]])
            record["attached"] = True
        return True

    def _prepare(self, port: dict) -> dict:
        """The port's bridge and its network's DHCP server, before its tap is there."""
        bridge = bridge_name(port["network_id"])
        iproute.ensure_bridge(bridge)
        record = self._ports[port["id"]] = {
            "port": port, "network_id": port["network_id"], "bridge": bridge,
            "tap": tap_name(port["id"]), "macs": [port["mac_address"]], "groups": set(),
            "attached": False}
        self._ensure_dhcp(port["network_id"], bridge)
        return record

    def _ensure_dhcp(self, network_id: str, bridge: str) -> None:
        info = self.plugin.get_dhcp_info(nl_context.get_admin_context(), network_id,
                                         self.machine)
        server = self._dhcp.get(network_id)
        if info is None:  # no DHCP subnet (any longer)
            if server is not None:
                server.stop()
                del self._dhcp[network_id]
            return
        if server is None:
            server = self._dhcp[network_id] = dnsmasq.DhcpServer(
                network_id, bridge, os.path.join(self.directory, network_id))
        server.ensure(info)

    def _apply_firewall(self, port_ids: list[str]) -> None:
        info = self.plugin.security_group_info_for_ports(nl_context.get_admin_context(),
                                                         port_ids)
        for port_id in port_ids:
            record = self._ports.get(port_id)
            device = info["devices"].get(port_id)
            if record is None or device is None:
                continue
            pairs = device.get("allowed_address_pairs") or []
            macs = sorted({device["mac_address"], *(
                p["mac_address"] for p in pairs if p.get("mac_address"))})
            if set(macs) != set(record["macs"]):  # what it was filtered as goes first
                self.firewall.remove(record["tap"], record["bridge"], record["macs"])
            record["macs"] = macs
            if not device["port_security_enabled"]:
                self.firewall.remove(record["tap"], record["bridge"], record["macs"])
                record["groups"] = set()
                continue
            rules = [rule for group in device["security_groups"]
                     for rule in info["security_groups"].get(group, [])]
            self.firewall.apply(record["tap"], record["bridge"], device, rules,
                                info["sg_member_ips"])
            # What a change must touch to concern this port: its groups, and the groups
            # whose members its rules let in.
            record["groups"] = set(device["security_groups"]) | {
                r["remote_group_id"] for r in rules if r.get("remote_group_id")}

    def security_groups_changed(self, group_ids: list[str]) -> None:
        with self._lock:
            affected = [port_id for port_id, record in self._ports.items()
                        if record["attached"] and record["groups"] & set(group_ids)]
            if affected:
                self._apply_firewall(affected)

    def unplug(self, port_id: str) -> None:
        with self._lock:
            record = self._ports.pop(port_id, None)
            if record is None:
                return
            self.firewall.remove(record["tap"], record["bridge"], record["macs"])
            network_id = record["network_id"]
            if any(r["network_id"] == network_id for r in self._ports.values()):
                self._ensure_dhcp(network_id, record["bridge"])  # one MAC fewer to serve
                return
            if self._teardown(network_id, record["bridge"], leaving={record["tap"]}):
                self.plugin.release_dhcp_port(nl_context.get_admin_context(), network_id,
                                              self.machine)

    def _teardown(self, network_id: str, bridge: str, leaving: set[str]) -> bool:
        """The network's last port here went: its DHCP server and bridge go too, unless a
        guest's tap device (another host's on this machine) is still on the bridge."""
        others = [d for d in iproute.bridge_ports(bridge)
                  if d.startswith("tap") and d not in leaving]
        if others:
            LOG.info("Bridge %s keeps %s: not removed", bridge, ", ".join(others))
            return False
        server = self._dhcp.pop(network_id, None) or dnsmasq.DhcpServer(
            network_id, bridge, os.path.join(self.directory, network_id))
        server.stop()
        iproute.delete_link(bridge)
        return True

    def stop(self) -> None:
        """The agent stops: its ports' filters, DHCP servers and bridges go (the service's
        DHCP ports stay, for the next start to use again)."""
        with self._lock:
            for record in self._ports.values():
                self.firewall.remove(record["tap"], record["bridge"], record["macs"])
            networks = {r["network_id"]: r["bridge"] for r in self._ports.values()}
            networks.update({n: s.bridge for n, s in self._dhcp.items()})
            ours = {r["tap"] for r in self._ports.values()}
            self._ports.clear()
            for network_id, bridge in networks.items():
                try:
                    self._teardown(network_id, bridge, leaving=ours)
                except Exception:
                    LOG.exception("Could not remove network %s's bridge %s", network_id,
                                  bridge)
