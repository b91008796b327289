"""SchedulerManager.select: filter, weigh, pick, and count each pick before the next."""

import pytest

from novalite import conf as nl_conf
from novalite import exception
from novalite.scheduler.manager import SchedulerManager
from tests.unit.scheduler.fakes import host, spec


@pytest.fixture
def scheduler():
    return SchedulerManager(nl_conf.new_conf(), database=None)


def test_instances_of_one_request_spread_over_hosts(scheduler):
    hosts = [host("compute1"), host("compute2")]
    assert scheduler.select(spec(ram=512), hosts, 4) == [
        "compute1", "compute2", "compute1", "compute2"]
    assert [h.memory_mb_used for h in hosts] == [1024, 1024]


def test_the_host_with_more_room_comes_first(scheduler):
    hosts = [host("busy", memory_mb_used=1024), host("idle")]
    assert scheduler.select(spec(ram=512), hosts, 1) == ["idle"]


def test_filters_apply(scheduler):
    hosts = [host("down", up=False), host("full", memory_mb_used=2048), host("ok"),
             host("failed-before")]
    assert scheduler.select(spec(ram=512, ignore_hosts=["failed-before"]), hosts, 1) == \
        ["ok"]


def test_all_or_nothing_when_capacity_runs_out(scheduler):
    hosts = [host("only", memory_mb=2048)]
    with pytest.raises(exception.NoValidHost):
        scheduler.select(spec(ram=1024), hosts, 3)  # two fit, the third does not


def test_no_hosts_at_all(scheduler):
    with pytest.raises(exception.NoValidHost):
        scheduler.select(spec(), [], 1)
