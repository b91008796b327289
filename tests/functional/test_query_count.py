"""Showing and listing servers costs a fixed number of SQL statements, whatever the number
of servers (no N+1). Rows are inserted directly: booting 500 servers is not the point."""

import contextlib
import threading
import uuid

import pytest
from sqlalchemy import event

from novalite.db import instances as db_instances
from novalite.objects.flavor import Flavor
from novalite.objects.instance import Instance

PROJECT = "counted"


class StatementCounter:
    """Counts the SQL statements run while the compute API handles a request, and only
    those: heartbeats and periodic tasks use the same engines from other threads."""

    def __init__(self, cloud):
        self.cloud = cloud
        self.statements: list[str] = []
        self._local = threading.local()

    def _on_execute(self, conn, cursor, statement, *args):
        if getattr(self._local, "counting", False):
            self.statements.append(statement)

    @contextlib.contextmanager
    def installed(self, monkeypatch):
        real_handle = self.cloud.app.handle

        def handle(*args, **kwargs):
            self._local.counting = True
            try:
                return real_handle(*args, **kwargs)
            finally:
                self._local.counting = False

        monkeypatch.setattr(self.cloud.app, "handle", handle)
        engines = self.cloud.database.engines()
        for engine in engines:
            event.listen(engine, "before_cursor_execute", self._on_execute)
        try:
            yield self
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", self._on_execute)

    def count(self, client, path, **params) -> int:
        self.statements.clear()
        resp = client.get(path, params=params)
        assert resp.status_code == 200, resp.text
        return len(self.statements)

    def count_post(self, client, path, body) -> int:
        self.statements.clear()
        resp = client.post(path, json=body)
        assert resp.status_code == 200, resp.text
        return len(self.statements)


def _add_servers(cloud, count: int) -> list[str]:
    """Rows as varied as real ones: hosts, ERROR servers with faults, metadata, tags."""
    tiny = Flavor(flavorid="1", name="m1.tiny", vcpus=1, memory_mb=512, root_gb=1)
    instances = []
    for i in range(count):
        error = i % 5 == 0
        instances.append(Instance(
            uuid=str(uuid.uuid4()), project_id=PROJECT, user_id="counter",
            display_name="counted-%d" % i, flavor=tiny, image_ref=str(uuid.uuid4()),
            vm_state="error" if error else "active", task_state=None, power_state=1,
            host="compute%d" % (i % 2 + 1), node="compute%d" % (i % 2 + 1),
            availability_zone="nova", metadata={"i": str(i)}, tags=["t%d" % i],
            network_info=[{"network": "private", "network_id": "n", "mac": "fa:16:3e:00:00:01",
                           "ips": [{"address": "10.0.%d.%d" % (i // 250, i % 250 + 2),
                                    "version": 4, "type": "fixed"}]}]))
    db_instances.create_many(cloud.database, instances)
    for inst in instances:
        if inst.vm_state == "error":
            db_instances.fault_create(cloud.database, inst.uuid, 500, "boom %s" % inst.uuid)
    return [i.uuid for i in instances]


@pytest.fixture(scope="module")
def counted(make_client):
    return make_client("counter", PROJECT)


@pytest.fixture
def counter(cloud, monkeypatch):
    with StatementCounter(cloud).installed(monkeypatch) as c:
        yield c


def test_show_is_at_most_two_statements(cloud, counted, counter):
    active, failed = _add_servers(cloud, 2)[1], _add_servers(cloud, 1)[0]
    assert counter.count(counted, "/servers/" + active) <= 2
    # ERROR adds the fault, and still fits.
    assert counter.count(counted, "/servers/" + failed) <= 2
    assert counted.server(failed)["fault"]["message"] == "boom " + failed


def test_list_and_detail_cost_the_same_for_10_and_500_servers(cloud, counted, make_client,
                                                              counter):
    admin = make_client("admin", "admin")
    requests = [(counted, "/servers", {}), (counted, "/servers/detail", {}),
                (counted, "/servers/detail", {"status": "ERROR"}),
                (admin, "/servers/detail", {"all_tenants": "1"})]
    _add_servers(cloud, 10 - len(counted.get("/servers").json()["servers"]))
    assert len(counted.get("/servers").json()["servers"]) == 10
    small = [counter.count(client, path, **params) for client, path, params in requests]
    listed = counted.get("/servers/detail").json()["servers"]
    marker = listed[4]["id"]
    small_page = counter.count(counted, "/servers/detail", limit=3, marker=marker)

    _add_servers(cloud, 490)
    assert len(counted.get("/servers/detail").json()["servers"]) == 500
    large = [counter.count(client, path, **params) for client, path, params in requests]
    assert large == small
    assert counter.count(counted, "/servers/detail", limit=3, marker=marker) == small_page
    assert max(large) <= 4, counter.statements


def test_multi_show_costs_one_show_for_1_and_for_the_maximum(cloud, counted, counter):
    limit = cloud.conf.api.multi_show_max_servers
    uuids = _add_servers(cloud, limit)  # every fifth in ERROR, with a fault
    active = uuids[1]
    one = counter.count_post(counted, "/servers/multi_show", {"servers": [active]})
    most = counter.count_post(counted, "/servers/multi_show", {"servers": uuids})
    assert one == most == counter.count(counted, "/servers/" + active) == 1, \
        counter.statements
    # Faults come in the same statement: an ERROR server costs nothing more.
    assert counter.count_post(counted, "/servers/multi_show", {"servers": [uuids[0]]}) == 1
    info = counted.post("/servers/multi_show", json={"servers": uuids}).json()["server_info"]
    assert [s["id"] for s in info] == uuids
    assert info[0]["fault"]["message"] == "boom " + uuids[0]
