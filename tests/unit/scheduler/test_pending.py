"""The scheduler counts its own placements until the chosen host has taken them, so a burst
of requests spreads instead of piling onto the host that looked emptiest."""

import uuid

import pytest

from novalite.cmd.serve import prepare_database
from novalite.context import get_admin_context
from novalite.db import compute_nodes, instances, services
from novalite.objects.flavor import Flavor
from novalite.objects.host import ComputeNode
from novalite.objects.instance import Instance
from novalite.objects.request_spec import RequestSpec
from novalite.scheduler.manager import SchedulerManager
from tests.cloud import make_conf

TINY = Flavor(flavorid="1", name="m1.tiny", vcpus=1, memory_mb=512, root_gb=1)


@pytest.fixture
def scheduler(tmp_path):
    conf = make_conf(tmp_path)
    database = prepare_database(conf)
    for host in ("h1", "h2"):
        services.get_or_create(database, host, "novalite-compute", "compute")
        compute_nodes.save(database, ComputeNode(uuid="", host=host, hypervisor_hostname=host,
                                                 vcpus=8, memory_mb=8192, local_gb=100))
    yield SchedulerManager(conf, database), database
    database.dispose()


def _new_instances(database, count):
    made = [Instance(uuid=str(uuid.uuid4()), project_id="p", user_id="u", display_name="i",
                     flavor=TINY) for _ in range(count)]
    instances.create_many(database, made)
    return [i.uuid for i in made]


def _select(manager, uuids):
    spec = RequestSpec(project_id="p", user_id="u", flavor=TINY, num_instances=len(uuids))
    return manager.select_destinations(get_admin_context(), spec.to_primitive(), uuids)


def test_unclaimed_placements_spread_a_burst(scheduler):
    manager, database = scheduler
    hosts = [_select(manager, _new_instances(database, 1))[0] for _ in range(6)]
    assert hosts.count("h1") == 3 and hosts.count("h2") == 3


def test_placements_are_forgotten_once_the_host_took_them(scheduler):
    manager, database = scheduler
    (first,) = _new_instances(database, 1)
    (host,) = _select(manager, [first])
    instances.update(database, first, {"host": host})  # the host claimed it
    _select(manager, _new_instances(database, 1))
    assert first not in manager._pending
