"""Subnet arithmetic as Neutron does it: default gateways and pools for IPv4 and IPv6,
the next free address, and SLAAC addresses."""

import pytest

from novalite.networking import exceptions, ipam


def test_default_pools_leave_out_network_broadcast_and_gateway():
    v4 = ipam.parse_cidr("192.168.1.0/29", 4)
    assert ipam.default_gateway(v4) == "192.168.1.1"
    assert ipam.default_pools(v4, "192.168.1.1") == [{"start": "192.168.1.2",
                                                      "end": "192.168.1.6"}]
    # A gateway in the middle splits the pool; none leaves the whole range.
    assert ipam.default_pools(v4, "192.168.1.4") == [
        {"start": "192.168.1.1", "end": "192.168.1.3"},
        {"start": "192.168.1.5", "end": "192.168.1.6"}]
    assert ipam.default_pools(v4, None) == [{"start": "192.168.1.1", "end": "192.168.1.6"}]
    v6 = ipam.parse_cidr("2001:db8::/126", 6)
    assert ipam.default_pools(v6, "2001:db8::1") == [{"start": "2001:db8::2",
                                                      "end": "2001:db8::3"}]


def test_candidates_skip_what_is_taken():
    pools = [{"start": "10.0.0.2", "end": "10.0.0.4"}, {"start": "10.0.0.8",
                                                       "end": "10.0.0.9"}]
    assert list(ipam.candidates(pools, {"10.0.0.2", "10.0.0.4"})) == [
        "10.0.0.3", "10.0.0.8", "10.0.0.9"]


def test_bad_cidrs():
    for cidr, version in (("10.0.0.1/24", 4), ("10.0.0.0", 4), ("fd00::/64", 4),
                          ("10.0.0.0/31", 4), ("bogus", 6)):
        with pytest.raises(exceptions.InvalidInput):
            ipam.parse_cidr(cidr, version)


def test_slaac_address_and_macs():
    assert ipam.slaac_address("2001:db8::/64", "fa:16:3e:12:34:56") == \
        "2001:db8::f816:3eff:fe12:3456"
    mac = ipam.random_mac()
    assert mac.startswith("fa:16:3e:") and ipam.valid_mac(mac)
    assert not ipam.valid_mac("01:00:5e:00:00:01")  # multicast
    assert not ipam.valid_mac("nope")
