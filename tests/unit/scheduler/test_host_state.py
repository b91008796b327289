"""Free capacity with allocation ratios, consumption, and service liveness."""

import datetime

from novalite.objects.host import Service
from novalite.scheduler.host_state import service_is_up
from tests.unit.scheduler.fakes import host, spec

NOW = datetime.datetime(2026, 1, 1, 12, 0, 0)


def test_free_capacity_uses_the_allocation_ratios():
    h = host(vcpus=4, vcpus_used=6, cpu_allocation_ratio=4.0, memory_mb=1000,
             memory_mb_used=500, ram_allocation_ratio=1.5, local_gb=10, local_gb_used=5,
             disk_allocation_ratio=2.0)
    assert (h.free_vcpus, h.free_ram_mb, h.free_disk_gb) == (10, 1000, 15)


def test_consume_counts_an_instance():
    h = host()
    h.consume(spec(vcpus=2, ram=512, disk=10, ephemeral=5).flavor)
    assert (h.vcpus_used, h.memory_mb_used, h.local_gb_used, h.num_instances) == \
        (2, 512, 15, 1)


def _service(**values):
    return Service(uuid="u", host="h", binary="novalite-compute", topic="compute", **values)


def test_service_is_up_within_the_down_time():
    recent = _service(last_seen_up=NOW - datetime.timedelta(seconds=60))
    assert service_is_up(recent, 60, now=NOW)
    assert not service_is_up(recent, 59, now=NOW)


def test_forced_down_or_never_seen_is_down():
    assert not service_is_up(_service(last_seen_up=NOW, forced_down=True), 60, now=NOW)
    assert not service_is_up(_service(last_seen_up=None), 60, now=NOW)
