"""Address arithmetic for subnets (netaddr does the arithmetic): CIDRs, gateways,
allocation pools, the next free address, and IPv6 SLAAC addresses from a MAC."""

import random

import netaddr

from novalite.networking import exceptions

# Neutron's default base_mac: the OpenStack OUI, the rest random.
MAC_PREFIX = "fa:16:3e"
SLAAC_MODES = ("slaac", "dhcpv6-stateless")


def _invalid(message: str):
    return exceptions.InvalidInput(error_message=message)


def parse_cidr(cidr: str, ip_version: int, allocatable: bool = True) -> netaddr.IPNetwork:
    """allocatable: a subnet's CIDR, which needs room for addresses (a host route's
    destination may be any prefix, /32 included)."""
    try:
        network = netaddr.IPNetwork(cidr)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise _invalid("'%s' is not a valid IP subnet" % cidr) from None
    if network.version != ip_version:
        raise _invalid("Cidr %s does not match ip_version %d" % (cidr, ip_version))
    if "/" not in str(cidr):
        raise _invalid("'%s' is not a valid IP subnet" % cidr)
    if network.ip != network.network:
        raise _invalid("'%s' isn't a recognized IP subnet cidr, '%s' is recommended"
                       % (cidr, network.cidr))
    if allocatable and ((network.version == 4 and network.prefixlen > 30) or
                        (network.version == 6 and network.prefixlen > 126)):
        # A subnet needs room for a gateway and one address besides.
        raise _invalid("The prefix length of %s leaves no address to allocate" % cidr)
    return network


def parse_address(value, network: netaddr.IPNetwork, what: str) -> netaddr.IPAddress:
    try:
        address = netaddr.IPAddress(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise _invalid("'%s' is not a valid IP address" % value) from None
    if address.version != network.version:
        raise _invalid("%s %s does not match the subnet's IP version" % (what, value))
    return address


def default_gateway(network: netaddr.IPNetwork) -> str:
    return str(network.network + 1)


def _usable(network: netaddr.IPNetwork) -> tuple[netaddr.IPAddress, netaddr.IPAddress]:
    """The first and last address a pool may hold: not the network address, and in IPv4
    not the broadcast."""
    last = network.broadcast - 1 if network.version == 4 else network.last
    return network.network + 1, netaddr.IPAddress(last, network.version)


def default_pools(network: netaddr.IPNetwork, gateway: str | None) -> list[dict]:
    """Every usable address but the gateway, as Neutron's default pools."""
    first, last = _usable(network)
    ranges = netaddr.IPSet(netaddr.IPRange(first, last))
    if gateway:
        ranges.remove(netaddr.IPAddress(gateway))
    return [{"start": str(r[0]), "end": str(r[-1])} for r in ranges.iter_ipranges()]


def validate_pools(pools: list[dict], network: netaddr.IPNetwork, gateway: str | None,
                   cidr: str) -> list[dict]:
    first, last = _usable(network)
    ranges = []
    for pool in pools:
        start = parse_address(pool.get("start"), network, "Allocation pool start")
        end = parse_address(pool.get("end"), network, "Allocation pool end")
        if start > end:
            raise _invalid("Invalid allocation pool %s-%s: start after end" % (start, end))
        if start < first or end > last:
            raise exceptions.BadRequest(resource="subnets", msg="The allocation pool "
                                        "%s-%s spans beyond the subnet cidr %s." % (
                                            start, end, cidr))
        ranges.append(netaddr.IPRange(start, end))
    for i, a in enumerate(ranges):
        for b in ranges[i + 1:]:
            if a.first <= b.last and b.first <= a.last:
                raise exceptions.OverlappingAllocationPools(pool_1=a, pool_2=b,
                                                            subnet_cidr=cidr)
        if gateway and netaddr.IPAddress(gateway) in a:
            raise GatewayConflictWithAllocationPools(ip_address=gateway, pool=a)
    return [{"start": str(r[0]), "end": str(r[-1])} for r in ranges]


class GatewayConflictWithAllocationPools(exceptions.InUse):
    msg_fmt = "Gateway ip %(ip_address)s conflicts with allocation pool %(pool)s."


def in_pools(address: str, pools: list[dict]) -> bool:
    ip = netaddr.IPAddress(address)
    return any(netaddr.IPAddress(p["start"]) <= ip <= netaddr.IPAddress(p["end"])
               for p in pools)


def candidates(pools: list[dict], taken: set[str]):
    """Free addresses of the pools, lowest first (the caller inserts and retries on a
    concurrent winner)."""
    for pool in pools:
        for ip in netaddr.iter_iprange(pool["start"], pool["end"]):
            text = str(ip)
            if text not in taken:
                yield text


def slaac_address(cidr: str, mac: str) -> str:
    """The EUI-64 address a SLAAC guest configures from its MAC."""
    return str(netaddr.EUI(mac).ipv6(netaddr.IPNetwork(cidr).network))


def random_mac() -> str:
    return MAC_PREFIX + "".join(":%02x" % random.randint(0, 255) for _ in range(3))


def valid_mac(value) -> bool:
    try:
        mac = netaddr.EUI(value)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return False
    return ":" in str(value) and not (mac.words[0] & 1)  # not multicast
