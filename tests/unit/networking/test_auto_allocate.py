"""Carving an auto-allocated topology's subnet from the prefix that stands in for
Neutron's default subnet pool."""

import netaddr

from novalite.networking.auto_allocate import next_free

PREFIX = netaddr.IPNetwork("10.128.0.0/9")


def _taken(*cidrs):
    return [netaddr.IPNetwork(c) for c in cidrs]


def test_the_lowest_free_block_of_the_prefix_length():
    assert next_free(PREFIX, 20, []) == "10.128.0.0/20"
    assert next_free(PREFIX, 20, _taken("10.128.0.0/20", "10.128.32.0/20")) == \
        "10.128.16.0/20"


def test_a_block_partly_taken_is_skipped_whole():
    # A /24 in the first /20 and a /16 covering the next ones.
    assert next_free(PREFIX, 20, _taken("10.128.4.0/24", "10.128.16.0/20",
                                        "10.129.0.0/16")) == "10.128.32.0/20"
    # A wider subnet covering the prefix's start.
    assert next_free(PREFIX, 20, _taken("10.0.0.0/8")) is None
    assert next_free(PREFIX, 24, _taken("10.128.0.0/10")) == "10.192.0.0/24"


def test_other_versions_and_outside_subnets_do_not_count():
    assert next_free(PREFIX, 20, _taken("fd00::/64", "172.24.4.0/24", "10.0.0.0/20")) == \
        "10.128.0.0/20"


def test_none_when_the_prefix_is_used_up():
    small = netaddr.IPNetwork("10.128.0.0/23")
    assert next_free(small, 24, _taken("10.128.0.0/24")) == "10.128.1.0/24"
    assert next_free(small, 24, _taken("10.128.0.0/24", "10.128.1.0/24")) is None
