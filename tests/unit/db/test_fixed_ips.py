"""Fixed IPs: never the same address to two instances, released on delete."""

import concurrent.futures

import pytest

from novalite.db import database, fixed_ips, migration


@pytest.fixture
def db(tmp_path):
    d = database.Database(database.default_url(str(tmp_path)))
    migration.upgrade(d)
    yield d
    d.dispose()


def test_concurrent_allocations_are_unique(db):
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(
            lambda i: fixed_ips.allocate(db, "private", "10.0.0.0/24", "inst-%d" % i),
            range(40)))
    addresses = [address for address, _mac in results]
    assert len(set(addresses)) == 40
    assert "10.0.0.0" not in addresses and "10.0.0.1" not in addresses  # network, gateway


def test_released_addresses_are_reused_and_exhaustion_is_an_error(db):
    first, _ = fixed_ips.allocate(db, "tiny", "192.168.5.0/30", "a")
    assert first == "192.168.5.2"
    from novalite import exception

    with pytest.raises(exception.FixedIpsExhausted):
        fixed_ips.allocate(db, "tiny", "192.168.5.0/30", "b")
    fixed_ips.release(db, "a")
    assert fixed_ips.allocate(db, "tiny", "192.168.5.0/30", "b")[0] == first
