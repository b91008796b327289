"""Loading the enabled filters by name."""

import pytest

from novalite.scheduler import filters


def _names(loaded):
    return [type(f).__name__ for f in loaded]


def test_the_default_set():
    loaded = filters.load(["ComputeFilter", "AvailabilityZoneFilter", "ComputeCapacityFilter"])
    assert _names(loaded) == ["ComputeFilter", "AvailabilityZoneFilter", "RamFilter",
                              "DiskFilter", "CoreFilter", "IgnoreHostsFilter"]


def test_ignore_hosts_is_always_on_and_never_twice():
    assert _names(filters.load([])) == ["IgnoreHostsFilter"]
    assert _names(filters.load(["IgnoreHostsFilter", "RamFilter"])) == [
        "IgnoreHostsFilter", "RamFilter"]
    assert _names(filters.load(["RamFilter", "ComputeCapacityFilter"])) == [
        "RamFilter", "DiskFilter", "CoreFilter", "IgnoreHostsFilter"]


def test_unknown_filter_is_an_error():
    with pytest.raises(ValueError, match="NoSuchFilter"):
        filters.load(["NoSuchFilter"])
