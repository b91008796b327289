"""new_conf(): each ConfigOpts is independent (there is no global CONF)."""

import pytest

from novalite import conf as nl_conf


@pytest.mark.parametrize("group, name, value", [
    ("fake", "fail_spawn_hosts", ["compute1"]),
    ("scheduler", "max_attempts", 7),
    ("api", "max_limit", 5),
    (None, "report_interval", 1),
])
def test_an_override_stays_in_its_own_conf(group, name, value):
    """oslo.config shares a registered OptGroup's option table between ConfigOpts unless
    each gets its own group: one test cloud's overrides leaked into the next cloud."""
    first = nl_conf.new_conf()
    default = getattr(first[group] if group else first, name)
    first.set_override(name, value, group=group)
    second = nl_conf.new_conf()
    assert getattr(second[group] if group else second, name) == default
    assert getattr(first[group] if group else first, name) == value
