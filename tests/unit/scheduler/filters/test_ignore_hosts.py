from novalite.scheduler.filters.ignore_hosts import IgnoreHostsFilter
from tests.unit.scheduler.fakes import host, spec


def test_hosts_a_build_failed_on_are_not_tried_again():
    retry = spec(ignore_hosts=["compute1"])
    assert not IgnoreHostsFilter().host_passes(host("compute1"), retry)
    assert IgnoreHostsFilter().host_passes(host("compute2"), retry)
    assert IgnoreHostsFilter().host_passes(host("compute1"), spec())
