"""Normalising, multiplying and summing weights; ranking hosts."""

import pytest

from novalite import conf as nl_conf
from novalite.scheduler import weighers
from tests.unit.scheduler.fakes import host, spec


class _Fixed:
    """A weigher that reads a weight table."""

    def __init__(self, multiplier, weights):
        self.multiplier = multiplier
        self.weights = weights

    def weigh(self, host_state, spec):
        return self.weights[host_state.host]


def _ranked(weigher_list, hosts):
    return [h.host for h in weighers.weigh(weigher_list, hosts, spec())]


def test_normalize():
    assert weighers.normalize([0, 5, 10]) == [0.0, 0.5, 1.0]
    assert weighers.normalize([-10, 10]) == [0.0, 1.0]
    assert weighers.normalize([7, 7, 7]) == [0.0, 0.0, 0.0]
    assert weighers.normalize([3]) == [0.0]


def test_more_free_ram_first_by_default():
    conf = nl_conf.new_conf()
    hosts = [host("small", memory_mb=1024), host("big", memory_mb=4096),
             host("medium", memory_mb=2048)]
    assert _ranked(weighers.load(conf, ["RAMWeigher"]), hosts) == ["big", "medium", "small"]


def test_a_negative_multiplier_stacks():
    conf = nl_conf.new_conf()
    conf.set_override("ram_weight_multiplier", -1.0, group="scheduler")
    hosts = [host("small", memory_mb=1024), host("big", memory_mb=4096)]
    assert _ranked(weighers.load(conf, ["RAMWeigher"]), hosts) == ["small", "big"]


def test_ties_keep_the_given_order():
    hosts = [host("a"), host("b"), host("c")]
    assert _ranked([_Fixed(1.0, {"a": 1, "b": 1, "c": 1})], hosts) == ["a", "b", "c"]


def test_weights_are_normalised_before_they_are_summed():
    """A weigher with huge raw numbers does not drown one with small ones."""
    hosts = [host("a"), host("b")]
    ram_like = _Fixed(1.0, {"a": 1_000_000, "b": 999_000})  # a is best, by a little
    other = _Fixed(2.0, {"a": 0, "b": 1})  # b is best, and this one counts double
    assert _ranked([ram_like, other], hosts) == ["b", "a"]
    assert _ranked([ram_like, _Fixed(0.5, {"a": 0, "b": 1})], hosts) == ["a", "b"]


def test_no_weighers_keep_the_order():
    assert _ranked([], [host("x"), host("y")]) == ["x", "y"]


def test_unknown_weigher_is_an_error():
    with pytest.raises(ValueError, match="NoSuchWeigher"):
        weighers.load(nl_conf.new_conf(), ["NoSuchWeigher"])
