"""The validation cache: entries live only under the epoch they were made in and until the
token expires."""

import time

from novalite.identity.token_cache import ValidationCache


class Epoch:
    def __init__(self):
        self.value = 0
        self.reads = 0

    def __call__(self):
        self.reads += 1
        return self.value


def future(seconds=3600):
    return time.time() + seconds


def test_an_entry_is_found_under_its_epoch():
    epoch = Epoch()
    cache = ValidationCache(epoch, size=10)
    cache.put("t", "info", future(), cache.epoch())
    assert cache.get("t", cache.epoch()) == "info"


def test_a_new_epoch_hides_every_entry():
    epoch = Epoch()
    cache = ValidationCache(epoch, size=10)
    cache.put("t", "info", future(), cache.epoch())
    epoch.value += 1  # another process revoked something
    assert cache.get("t", cache.epoch()) is None
    assert len(cache) == 0


def test_an_entry_made_under_an_older_epoch_is_never_used():
    """A change that lands while a validation runs: the entry carries the epoch read first."""
    epoch = Epoch()
    cache = ValidationCache(epoch, size=10)
    before = cache.epoch()
    epoch.value += 1
    cache.epoch()
    cache.put("t", "info", future(), before)
    assert cache.get("t", cache.epoch()) is None


def test_an_expired_entry_is_not_used():
    cache = ValidationCache(Epoch(), size=10)
    cache.put("t", "info", time.time() - 1, cache.epoch())
    assert cache.get("t", cache.epoch()) is None


def test_the_epoch_is_read_on_every_use_by_default():
    epoch = Epoch()
    cache = ValidationCache(epoch, size=10)
    for _ in range(5):
        cache.epoch()
    assert epoch.reads == 5


def test_a_recheck_interval_trusts_the_last_read_until_this_process_changes_something():
    epoch = Epoch()
    cache = ValidationCache(epoch, size=10, recheck_interval=3600)
    cache.epoch()
    cache.epoch()
    assert epoch.reads == 1
    cache.changed()
    cache.epoch()
    assert epoch.reads == 2


def test_size_is_bounded_and_the_oldest_go_first():
    cache = ValidationCache(Epoch(), size=3)
    e = cache.epoch()
    for name in "abcd":
        cache.put(name, name.upper(), future(), e)
    assert len(cache) == 3
    assert cache.get("a", e) is None
    assert cache.get("d", e) == "D"


def test_expired_entries_go_before_live_ones_when_full():
    cache = ValidationCache(Epoch(), size=2)
    e = cache.epoch()
    cache.put("live", 1, future(), e)
    cache.put("dead", 2, time.time() - 1, e)
    cache.put("new", 3, future(), e)
    assert cache.get("live", e) == 1 and cache.get("new", e) == 3


def test_size_zero_disables_caching():
    cache = ValidationCache(Epoch(), size=0)
    cache.put("t", "info", future(), cache.epoch())
    assert cache.get("t", cache.epoch()) is None


def test_forget():
    cache = ValidationCache(Epoch(), size=10)
    cache.put("t", "info", future(), cache.epoch())
    cache.forget("t")
    assert cache.get("t", cache.epoch()) is None
