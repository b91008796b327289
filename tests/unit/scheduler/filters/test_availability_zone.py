from novalite.scheduler.filters.availability_zone import AvailabilityZoneFilter
from tests.unit.scheduler.fakes import host, spec


def test_no_zone_requested_passes_every_host():
    assert AvailabilityZoneFilter().host_passes(host(availability_zone="az9"), spec())


def test_only_hosts_of_the_requested_zone_pass():
    wanted = spec(availability_zone="nova")
    assert AvailabilityZoneFilter().host_passes(host(availability_zone="nova"), wanted)
    assert not AvailabilityZoneFilter().host_passes(host(availability_zone="az2"), wanted)
