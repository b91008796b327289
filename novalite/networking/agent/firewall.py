"""Security groups on a host's tap devices, in nftables, as Neutron's iptables/nftables
firewall drivers enforce them: traffic of established and related connections passes;
what a guest sends is checked against its port's own MAC and addresses (anti-spoofing)
and its groups' egress rules; what it receives is dropped unless DHCP or one of its groups'
ingress rules lets it in. A port without port security is not filtered at all.

Two tables, both named `novalite`:

- `inet novalite` holds the stateful filter: a `forward` base chain (bridged IP traffic
  comes through it with the kernel's br_netfilter, as Neutron's iptables firewall relies
  on), and per port an egress chain `e<tap>` and an ingress chain `i<tap>`, reached
  through the `egress` and `ingress` verdict maps keyed by (bridge, MAC): in that hook a
  bridged packet's interfaces are the bridge's, so the port is told by its MAC, which the
  bridge table makes trustworthy.
- `bridge novalite` holds the anti-spoofing chain `s<tap>` of each port, reached by the
  tap device's name through the `ports` map at the bridge's prerouting: a port may send
  only from its own MAC and addresses (Neutron's LB agent does this part with ebtables).
  The bridge family has no connection tracking here, and needs none for this.

render_port() is pure (unit-tested); Nftables applies its output with `nft -f -`, one
atomic transaction per port.
"""

from __future__ import annotations

import subprocess
import threading

import netaddr

TABLE = "novalite"
BRIDGE_PREFIX = "brq"

# Protocol names a rule may give (Neutron's), as numbers.
PROTOCOLS = {"ah": 51, "dccp": 33, "egp": 8, "esp": 50, "gre": 47, "hopopt": 0, "icmp": 1,
             "icmpv6": 58, "igmp": 2, "ipip": 4, "ipv6-encap": 41, "ipv6-frag": 44,
             "ipv6-icmp": 58, "ipv6-nonxt": 59, "ipv6-opts": 60, "ipv6-route": 43,
             "ospf": 89, "pgm": 113, "rsvp": 46, "sctp": 132, "tcp": 6, "udp": 17,
             "udplite": 136, "vrrp": 112}
_PORT_PROTOCOLS = {6, 17, 33, 132, 136}
_ICMP = {1, 58}
_ND = "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert, " \
      "mld-listener-query }"

BASE = """\
table inet %(t)s {
    map egress { type ifname . ether_addr : verdict; }
    map ingress { type ifname . ether_addr : verdict; }
    chain forward {
        type filter hook forward priority 0; policy accept;
        iifname != "%(p)s*" accept
        ct state established,related accept
        ct state invalid drop
        iifname . ether saddr vmap @egress
        oifname . ether daddr vmap @ingress
    }
}
table bridge %(t)s {
    map ports { type ifname : verdict; }
    chain prerouting {
        type filter hook prerouting priority -300; policy accept;
        iifname vmap @ports
    }
}
""" % {"t": TABLE, "p": BRIDGE_PREFIX}


def chain_names(tap: str) -> tuple[str, str, str]:
    """The port's (egress, ingress, anti-spoofing) chains."""
    return "e" + tap, "i" + tap, "s" + tap


def _set(values) -> str:
    return "{ %s }" % ", ".join(values)


def _protocol(value, ethertype: str) -> int | None:
    if value is None:
        return None
    number = int(value) if str(value).isdigit() else PROTOCOLS[str(value).lower()]
    if number == 1 and ethertype == "IPv6":
        return 58  # an IPv6 rule's "icmp" is ICMPv6, as Neutron reads it
    return number


def rule_match(rule: dict, member_ips: dict) -> str | None:
    """The nft match of one security group rule, or None when it matches nothing (a remote
    group with no members of its ethertype)."""
    family = "ip6" if rule.get("ethertype") == "IPv6" else "ip"
    parts = ["meta nfproto %s" % ("ipv6" if family == "ip6" else "ipv4")]
    remote = "saddr" if rule["direction"] == "ingress" else "daddr"
    if rule.get("remote_ip_prefix"):
        prefix = rule.get("normalized_cidr") or str(
            netaddr.IPNetwork(rule["remote_ip_prefix"]).cidr)
        parts.append("%s %s %s" % (family, remote, prefix))
    elif rule.get("remote_group_id"):
        addresses = (member_ips.get(rule["remote_group_id"]) or {}).get(
            rule.get("ethertype") or "IPv4") or []
        if not addresses:
            return None
        parts.append("%s %s %s" % (family, remote, _set(addresses)))
    protocol = _protocol(rule.get("protocol"), rule.get("ethertype") or "IPv4")
    if protocol is not None:
        parts.append("meta l4proto %d" % protocol)
        low, high = rule.get("port_range_min"), rule.get("port_range_max")
        if protocol in _PORT_PROTOCOLS and low is not None:
            high = low if high is None else high
            parts.append("th dport %s" % (low if low == high else "%d-%d" % (low, high)))
        elif protocol in _ICMP and low is not None:
            kind = "icmpv6" if protocol == 58 else "icmp"
            parts.append("%s type %d" % (kind, low))
            if high is not None:
                parts.append("%s code %d" % (kind, high))
    return " ".join(parts)


def render_port(tap: str, bridge: str, device: dict, rules: list[dict],
                member_ips: dict) -> str:
    """The nft script that (re)writes one port's chains and map entries. device: the
    port as security_group_info_for_ports gives it; rules: its groups' rules."""
    egress, ingress, spoof = chain_names(tap)
    mac = device["mac_address"].lower()
    pairs = device.get("allowed_address_pairs") or []
    macs = sorted({mac, *(p["mac_address"].lower() for p in pairs if p.get("mac_address"))})
    addresses = sorted({*device["fixed_ips"], *(p["ip_address"] for p in pairs)})
    v4 = [a for a in addresses if ":" not in a]
    v6 = [a for a in addresses if ":" in a]
    lines = []
    for family, chain in (("inet", egress), ("inet", ingress), ("bridge", spoof)):
        lines += ["add chain %s %s %s" % (family, TABLE, chain),
                  "flush chain %s %s %s" % (family, TABLE, chain)]

    def add(family, chain, rule):
        lines.append("add rule %s %s %s %s" % (family, TABLE, chain, rule))

    # Anti-spoofing: its own MACs, its own addresses (DHCP's 0.0.0.0 and IPv6's
    # link-local and unspecified sources aside).
    add("bridge", spoof, "ether saddr != %s drop" % _set(macs))
    add("bridge", spoof, "arp saddr ip != %s drop" % _set(["0.0.0.0", *v4]))
    add("bridge", spoof, "ip saddr 0.0.0.0 udp sport 68 udp dport 67 return")
    add("bridge", spoof, ("ip saddr != %s drop" % _set(v4)) if v4 else "ether type ip drop")
    add("bridge", spoof, "ip6 saddr != %s drop" % _set(["::", "fe80::/10", *v6]))
    # Egress: DHCP, then the groups' egress rules; what no rule allows is dropped.
    add("inet", egress, "udp sport 68 udp dport 67 return")
    add("inet", egress, "meta l4proto 58 icmpv6 type { nd-neighbor-solicit, "
                        "nd-neighbor-advert, nd-router-solicit, mld-listener-report, "
                        "mld2-listener-report } return")
    # Ingress: DHCP offers, IPv6 neighbour discovery, then the groups' ingress rules.
    add("inet", ingress, "udp sport 67 udp dport 68 accept")
    add("inet", ingress, "meta l4proto 58 " + _ND + " accept")
    for rule in rules:
        match = rule_match(rule, member_ips)
        if match is None:
            continue
        if rule["direction"] == "ingress":
            add("inet", ingress, match + " accept")
        else:
            add("inet", egress, match + " return")
    add("inet", egress, "drop")
    add("inet", ingress, "drop")
    for one in macs:
        lines.append('add element inet %s egress { "%s" . %s : jump %s }' % (
            TABLE, bridge, one, egress))
    lines.append('add element inet %s ingress { "%s" . %s : jump %s }' % (
        TABLE, bridge, mac, ingress))
    lines.append('add element bridge %s ports { "%s" : jump %s }' % (TABLE, tap, spoof))
    return "\n".join(lines) + "\n"


class NftError(RuntimeError):
    pass


def nft(script: str | None = None, *args: str, check: bool = True) -> str:
    command = ["nft", *(["-f", "-"] if script is not None else args)]
    done = subprocess.run(command, input=script, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise NftError("nft %s: %s\n%s" % (" ".join(command[1:]), done.stderr.strip(),
                                            script or ""))
    return done.stdout


class Nftables:
    """The host's novalite tables: made with the first filtered port, removed with the
    last (one machine may hold several agents' ports: the tables are shared, and so is
    this lock among the agents of one process)."""

    _lock = threading.Lock()

    def _ensure_base(self) -> None:
        if nft(None, "list", "table", "inet", TABLE, check=False) and \
                nft(None, "list", "table", "bridge", TABLE, check=False):
            return
        self._delete_tables()
        nft(BASE)

    def apply(self, tap: str, bridge: str, device: dict, rules: list[dict],
              member_ips: dict) -> None:
        with self._lock:
            self._ensure_base()
            nft(render_port(tap, bridge, device, rules, member_ips))

    def remove(self, tap: str, bridge: str, macs: list[str]) -> None:
        """The port's chains and map entries (each removal on its own: some may be gone)."""
        with self._lock:
            self._remove(tap, bridge, macs)

    def _remove(self, tap: str, bridge: str, macs: list[str]) -> None:
        egress, ingress, spoof = chain_names(tap)
        for mac in macs:
            for map_ in ("egress", "ingress"):
                nft(None, "delete", "element", "inet", TABLE, map_,
                    '{ "%s" . %s }' % (bridge, mac.lower()), check=False)
        nft(None, "delete", "element", "bridge", TABLE, "ports", '{ "%s" }' % tap,
            check=False)
        for family, chain in (("inet", egress), ("inet", ingress), ("bridge", spoof)):
            nft(None, "delete", "chain", family, TABLE, chain, check=False)
        if not self.port_chains():
            self._delete_tables()

    def port_chains(self) -> list[str]:
        """The per-port chains in the novalite tables."""
        names = []
        for family in ("inet", "bridge"):
            out = nft(None, "list", "chains", family, check=False)
            table = None
            for line in out.splitlines():
                words = line.split()
                if words[:1] == ["table"]:
                    table = words[2] if len(words) > 2 else None
                elif words[:1] == ["chain"] and table == TABLE and \
                        words[1] not in ("forward", "prerouting"):
                    names.append(words[1])
        return names

    @staticmethod
    def _delete_tables() -> None:
        for family in ("inet", "bridge"):
            nft(None, "delete", "table", family, TABLE, check=False)
