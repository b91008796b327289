from novalite.scheduler.filters.ram import RamFilter
from tests.unit.scheduler.fakes import host, spec


def test_fits_exactly():
    assert RamFilter().host_passes(host(memory_mb=2048, memory_mb_used=1536), spec(ram=512))


def test_does_not_fit():
    assert not RamFilter().host_passes(host(memory_mb=2048, memory_mb_used=1537),
                                       spec(ram=512))


def test_allocation_ratio_overcommits():
    full = host(memory_mb=2048, memory_mb_used=2048, ram_allocation_ratio=1.5)
    assert RamFilter().host_passes(full, spec(ram=1024))
    assert not RamFilter().host_passes(full, spec(ram=1025))
