from novalite.scheduler.filters.disk import DiskFilter
from tests.unit.scheduler.fakes import host, spec


def test_root_and_ephemeral_disks_both_count():
    nearly_full = host(local_gb=100, local_gb_used=80)
    assert DiskFilter().host_passes(nearly_full, spec(disk=10, ephemeral=10))
    assert not DiskFilter().host_passes(nearly_full, spec(disk=10, ephemeral=11))


def test_allocation_ratio():
    assert DiskFilter().host_passes(host(local_gb=100, local_gb_used=100,
                                         disk_allocation_ratio=2.0), spec(disk=100))
