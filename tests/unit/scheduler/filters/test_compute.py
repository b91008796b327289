from novalite.scheduler.filters.compute import ComputeFilter
from tests.unit.scheduler.fakes import host, spec


def test_up_and_enabled_passes():
    assert ComputeFilter().host_passes(host(), spec())


def test_down_or_disabled_fails():
    assert not ComputeFilter().host_passes(host(up=False), spec())
    assert not ComputeFilter().host_passes(host(disabled=True), spec())
