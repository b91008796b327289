from novalite.scheduler.filters.core import CoreFilter
from tests.unit.scheduler.fakes import host, spec


def test_free_vcpus():
    assert CoreFilter().host_passes(host(vcpus=4, vcpus_used=2), spec(vcpus=2))
    assert not CoreFilter().host_passes(host(vcpus=4, vcpus_used=3), spec(vcpus=2))


def test_cpu_allocation_ratio_overcommits():
    assert CoreFilter().host_passes(host(vcpus=4, vcpus_used=15, cpu_allocation_ratio=4.0),
                                    spec(vcpus=1))
    assert not CoreFilter().host_passes(host(vcpus=4, vcpus_used=16, cpu_allocation_ratio=4.0),
                                        spec(vcpus=1))
