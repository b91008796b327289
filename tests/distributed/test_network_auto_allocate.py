"""Auto-allocated topologies on MariaDB and PostgreSQL, where nothing serializes writers
but the database: a project's first requests racing leave it one topology (the project key
decides, the losers' work is undone), projects racing get CIDRs that differ (the CIDR key
decides, a loser takes the next one), and admins racing to make a default external
network make one."""

import concurrent.futures
import threading

import netaddr
import pytest

from novalite.context import RequestContext
from novalite.db.database import Database
from novalite.networking import exceptions
from novalite.networking.db import migration as network_migration
from novalite.networking.service import NetworkService
from tests.distributed import backends

ADMIN = RequestContext(user_id="admin", project_id="admin",
                       roles=["admin", "member", "reader"], is_admin=True)


@pytest.fixture(scope="module")
def service(sql_server):
    name = backends.unique_name()
    database = Database(sql_server.create(name), pool_size=20, max_overflow=10)
    try:
        network_migration.upgrade(database)
        yield NetworkService(database)
    finally:
        database.dispose()
        sql_server.drop(name)


def _race(count, func):
    start = threading.Barrier(count)

    def run(i):
        start.wait()
        try:
            return func(i)
        except exceptions.NeutronException as e:
            return e

    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_one_default_external_network_whatever_the_race(service):
    made = _race(8, lambda i: service.networks.create(ADMIN, {
        "name": "public-%d" % i, "router:external": True, "is_default": True}))
    winners = [m for m in made if isinstance(m, dict)]
    assert len(winners) == 1
    assert all(isinstance(m, exceptions.DefaultExternalNetworkExists)
               for m in made if m not in winners)
    service.subnets.create(ADMIN, {"network_id": winners[0]["id"], "ip_version": 4,
                                   "cidr": "172.24.4.0/24"})


def test_racing_first_requests_make_one_topology_per_project(service):
    projects = ["race-%d" % i for i in range(6)]
    contexts = [RequestContext(user_id="u", project_id=p, roles=["member", "reader"])
                for p in projects]
    answers = _race(24, lambda i: service.auto_allocate.get(contexts[i % 6],
                                                            projects[i % 6])["id"])
    assert all(isinstance(a, str) for a in answers), answers
    cidrs = []
    for i, project in enumerate(projects):
        (network_id,) = set(answers[i::6])
        networks = service.networks.list(ADMIN, {"project_id": [project]}, [], None, None)
        assert [n["id"] for n in networks] == [network_id]
        routers = service.routers.list(ADMIN, {"project_id": [project]}, [], None, None)
        assert len(routers) == 1
        (subnet,) = service.subnets.list(ADMIN, {"project_id": [project]}, [], None, None)
        cidrs.append(netaddr.IPNetwork(subnet["cidr"]))
    assert len(set(cidrs)) == 6 and all(c.prefixlen == 20 for c in cidrs)
