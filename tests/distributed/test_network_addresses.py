"""The network service on MariaDB and PostgreSQL, where nothing serializes writers but the
database: many ports created at once on one subnet get distinct addresses and MACs (the
loser of a race on an address takes the next one), a full subnet says so, a project's
first requests racing make one default security group, and the schema migrates on each
backend."""

import concurrent.futures

import pytest

from novalite.context import RequestContext
from novalite.db.database import Database
from novalite.networking import exceptions
from novalite.networking.db import migration as network_migration
from novalite.networking.service import NetworkService
from tests.distributed import backends

DEMO = RequestContext(user_id="demo", project_id="demo", roles=["member", "reader"])


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


def test_racing_ports_get_distinct_addresses(service):
    network = service.networks.create(DEMO, {"name": "race"})
    subnet = service.subnets.create(DEMO, {"network_id": network["id"], "ip_version": 4,
                                           "cidr": "10.80.0.0/26"})  # .2-.62: 61 addresses

    def create(_):
        return service.ports.create(DEMO, {"network_id": network["id"]})

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        ports = list(pool.map(create, range(61)))
    addresses = [p["fixed_ips"][0]["ip_address"] for p in ports]
    assert len(set(addresses)) == 61
    assert {p["fixed_ips"][0]["subnet_id"] for p in ports} == {subnet["id"]}
    assert len({p["mac_address"] for p in ports}) == 61
    with pytest.raises(exceptions.IpAddressGenerationFailure):
        create(None)
    listed = service.ports.list(DEMO, {"network_id": [network["id"]]}, [], None, None)
    assert len(listed) == 61
    # Released addresses come back.
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        list(pool.map(lambda p: service.ports.delete(DEMO, p["id"]), ports[:10]))
    again = create(None)
    assert again["fixed_ips"][0]["ip_address"] in set(addresses[:10])


def test_one_default_security_group_whatever_the_race(service):
    """Many first requests of a new project at once leave it one default group (the
    database's key decides which request made it)."""
    ctxt = RequestContext(user_id="racer", project_id="race-project",
                          roles=["member", "reader"])

    def first_look(_):
        return [g["id"] for g in service.security_groups.list(ctxt, {}, [], None, None)]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        seen = list(pool.map(first_look, range(16)))
    assert {tuple(s) for s in seen} == {tuple(seen[0])} and len(seen[0]) == 1


def test_racing_creates_do_not_pass_a_quota(service):
    ctxt = RequestContext(user_id="q", project_id="quota-race", roles=["member", "reader"])
    admin = RequestContext(user_id="admin", project_id="admin",
                           roles=["admin", "member", "reader"], is_admin=True)
    service.quotas.update(admin, "quota-race", {"port": 5})
    network = service.networks.create(ctxt, {"name": "quota-race"})
    service.subnets.create(ctxt, {"network_id": network["id"], "ip_version": 4,
                                  "cidr": "10.81.0.0/24"})

    def create(_):
        try:
            return service.ports.create(ctxt, {"network_id": network["id"]})
        except exceptions.OverQuota:
            return None

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        made = [p for p in pool.map(create, range(12)) if p]
    assert len(made) == 5
    assert service.quotas.details(ctxt, "quota-race")["port"]["used"] == 5
