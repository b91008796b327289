"""Server moves between separate compute processes: a resize across hosts with confirm,
a cold migration to a chosen host with revert, shelve (offloaded at once) and unshelve to
a chosen host, and evacuation from a compute killed with SIGKILL and forced down, whose
process, started again, removes what the evacuated servers left there.

A cloud of its own: API, conductor, scheduler and three compute processes on RabbitMQ and
MariaDB (the resize and the revert once more on PostgreSQL), with [DEFAULT]
allow_resize_to_same_host = False, so that a resize has to cross hosts, and no periodic
resource recount within a test's time, so that each step's own recount has to keep the
hosts' usage right. After each scenario no server is in a transitional state, and the
books balance: each host's usage in os-hypervisors and the project's in os-quota-sets and
/limits are what the servers' flavors say, plus what they were beyond those flavors
before the scenario (whatever a host reserves).
"""
import collections
import contextlib
import os

import pytest

from tests.distributed import backends
from tests.distributed.cluster import Cluster, ClusterError
from tests.distributed.conftest import BACKENDS, require

pytestmark = pytest.mark.distributed

HOSTS = ("compute1", "compute2", "compute3")
MOVE_TIMEOUT = 60
SETTLE_TIMEOUT = 10  # for the hosts' usage rows to catch up with a finished move
# Usage (memory_mb_used, running_vms...) leaves os-hypervisors at 2.88; 2.53 has uuid ids.
HYPERVISORS_VERSION = "2.87"


def api(version: str) -> dict:
    return {"OpenStack-API-Version": "compute " + version}


@pytest.fixture(scope="module")
def cloud(request, rabbitmq, tmp_path_factory):
    """The cloud on request.param's SQL server ('mariadb' or 'postgresql'), torn down, with
    its vhost and database, whatever happens."""
    sql_server = backends.SQL_SERVERS[request.param]
    require(sql_server)
    name = backends.unique_name()
    workdir = str(tmp_path_factory.mktemp("lifecycle-" + sql_server.name))
    with contextlib.ExitStack() as cleanup:
        transport_url = rabbitmq.add_vhost(name)
        cleanup.callback(rabbitmq.delete_vhost, name)
        database_url = sql_server.create(name)
        cleanup.callback(sql_server.drop, name)
        cluster = Cluster(workdir, transport_url, database_url, computes=HOSTS, extra_config=(
            "[DEFAULT]", "allow_resize_to_same_host = False",
            # No periodic recount in a test's time: each step's own must balance the books.
            "[compute]", "update_resources_interval = 3600"))
        cleanup.callback(cluster.stop)
        try:
            cluster.db_upgrade()
            cluster.start()
        except Exception as e:
            raise ClusterError("%s\n%s" % (e, cluster.tails())) from None
        yield cluster


@pytest.fixture
def admin(cloud):
    return cloud.client("admin", "admin")


# -- servers --------------------------------------------------------------------------------

def all_servers(admin) -> dict[str, dict]:
    resp = admin.get("/servers/detail", params={"all_tenants": 1, "limit": 1000})
    assert resp.status_code == 200, resp.text
    return {s["id"]: s for s in resp.json()["servers"]}


def host_of(server: dict) -> str | None:
    return server["OS-EXT-SRV-ATTR:host"]


def wait_server(cloud, admin, server_id: str, status: str) -> dict:
    """Wait until the server is `status` with no task under way (fail at once on ERROR)."""

    def settled():
        resp = admin.get("/servers/%s" % server_id)
        assert resp.status_code == 200, resp.text
        server = resp.json()["server"]
        assert server["status"] != "ERROR" or status == "ERROR", \
            "server %s went to ERROR: %s" % (server_id, server.get("fault"))
        if server["status"] == status and server["OS-EXT-STS:task_state"] is None:
            return server
        return None

    return cloud.wait_until(settled, MOVE_TIMEOUT, "server %s to be %s" % (server_id, status),
                            interval=0.2)


def boot(cloud, client, admin, names: list[str], flavor: str = "1") -> dict[str, dict]:
    """-> {id: server (admin's view)}, every one ACTIVE."""
    ids = [client.boot(name, flavor=flavor)["server"]["id"] for name in names]
    return {i: wait_server(cloud, admin, i, "ACTIVE") for i in ids}


def act(client, server_id: str, body: dict, version: str | None = None,
        expect: int = 202):
    resp = client.post("/servers/%s/action" % server_id, json=body,
                       headers=api(version) if version else None)
    assert resp.status_code == expect, "%s: %s" % (body, resp.text)
    return resp


def delete(cloud, client, admin, ids) -> None:
    for server_id in ids:
        resp = client.delete("/servers/%s" % server_id)
        assert resp.status_code == 204, resp.text
    cloud.wait_until(lambda: not set(ids) & set(all_servers(admin)), MOVE_TIMEOUT,
                     "%d servers to be deleted" % len(ids), interval=0.2)


def migrations(admin, **filters) -> list[dict]:
    resp = admin.get("/os-migrations", params=filters, headers=api("2.80"))
    assert resp.status_code == 200, resp.text
    return resp.json()["migrations"]


def assert_nothing_in_transition(admin) -> None:
    busy = {i: (s["status"], s["OS-EXT-STS:task_state"])
            for i, s in all_servers(admin).items()
            if s["OS-EXT-STS:task_state"] is not None
            or s["status"] not in ("ACTIVE", "SHUTOFF", "SHELVED_OFFLOADED")}
    assert busy == {}


# -- the books ------------------------------------------------------------------------------

def host_usage(admin) -> dict[str, tuple[int, int, int]]:
    """{host: (memory_mb_used, vcpus_used, running_vms)} from os-hypervisors/detail."""
    resp = admin.get("/os-hypervisors/detail", headers=api(HYPERVISORS_VERSION))
    assert resp.status_code == 200, resp.text
    return {h["service"]["host"]: (h["memory_mb_used"], h["vcpus_used"], h["running_vms"])
            for h in resp.json()["hypervisors"]}


def flavor_usage(servers) -> dict[str, tuple[int, int, int]]:
    """What the servers' flavors put on each host: {host: (ram, vcpus, servers)}."""
    out = collections.defaultdict(lambda: (0, 0, 0))
    for server in servers.values():
        if host_of(server) is not None:  # a shelved-offloaded server is on no host
            ram, vcpus, count = out[host_of(server)]
            out[host_of(server)] = (ram + server["flavor"]["ram"],
                                    vcpus + server["flavor"]["vcpus"], count + 1)
    return out


def quota_usage(admin, client, project: str) -> dict[str, tuple[int, ...]]:
    """The project's in-use instances, cores and RAM as os-quota-sets and /limits say."""
    resp = admin.get("/os-quota-sets/%s/detail" % project)
    assert resp.status_code == 200, resp.text
    detail = resp.json()["quota_set"]
    resp = client.get("/limits")
    assert resp.status_code == 200, resp.text
    limits = resp.json()["limits"]["absolute"]
    return {"os-quota-sets": tuple(detail[k]["in_use"] for k in ("instances", "cores", "ram")),
            "limits": (limits["totalInstancesUsed"], limits["totalCoresUsed"],
                       limits["totalRAMUsed"])}


def project_flavor_usage(servers, project: str) -> tuple[int, int, int]:
    mine = [s for s in servers.values() if s["tenant_id"] == project]
    return (len(mine), sum(s["flavor"]["vcpus"] for s in mine),
            sum(s["flavor"]["ram"] for s in mine))


def _minus(a: tuple, b: tuple) -> tuple:
    return tuple(x - y for x, y in zip(a, b, strict=True))


class Unbalanced(AssertionError):
    """The books do not balance."""


class Books:
    """What each host and the project count beyond the servers' flavors, taken before a
    scenario; check() waits (bounded) until it is the same again, and says what differs."""

    def __init__(self, cloud, admin, client, project: str):
        self.cloud, self.admin, self.client, self.project = cloud, admin, client, project
        self.before = self._beyond_flavors()

    def _beyond_flavors(self, hosts=HOSTS) -> dict:
        servers = all_servers(self.admin)
        usage, flavors = host_usage(self.admin), flavor_usage(servers)
        out = {host: _minus(usage[host], flavors[host]) for host in hosts}
        expected = project_flavor_usage(servers, self.project)
        for source, used in quota_usage(self.admin, self.client, self.project).items():
            out[source] = _minus(used, expected)
        return out

    def check(self, hosts=HOSTS) -> None:
        """hosts: those whose os-hypervisors row is to balance (a dead one's is stale)."""
        wanted = {k: v for k, v in self.before.items() if k not in HOSTS or k in hosts}
        last = {}

        def balanced():
            last.update(self._beyond_flavors(hosts))
            return last == wanted

        try:
            self.cloud.wait_until(balanced, SETTLE_TIMEOUT, "the books to balance",
                                  interval=0.5)
        except ClusterError:
            servers = {i: (host_of(s), s["status"], s["flavor"]["original_name"])
                       for i, s in all_servers(self.admin).items()}
            raise Unbalanced(
                "beyond the flavors, before: %s\nnow: %s\nhost usage: %s\nquota usage: %s"
                "\nservers: %s" % (wanted, last, host_usage(self.admin),
                                   quota_usage(self.admin, self.client, self.project),
                                   servers)) from None


# -- the scenarios --------------------------------------------------------------------------

@pytest.mark.parametrize("cloud", BACKENDS, indirect=True)
def test_resize_across_hosts_and_confirm(cloud, admin):
    project = "lifecycle-resize"
    demo = cloud.client("demo", project)
    books = Books(cloud, admin, demo, project)
    [(server_id, server)] = boot(cloud, demo, admin, ["resized"]).items()
    source = host_of(server)

    # m1.tiny -> m1.small: the scheduler picks another host (not the same one, here).
    act(demo, server_id, {"resize": {"flavorRef": "2"}})
    server = wait_server(cloud, admin, server_id, "VERIFY_RESIZE")
    dest = host_of(server)
    assert dest in HOSTS and dest != source, server
    [migration] = migrations(admin, instance_uuid=server_id)
    assert (migration["migration_type"], migration["status"], migration["source_compute"],
            migration["dest_compute"]) == ("resize", "finished", source, dest)
    act(demo, server_id, {"confirmResize": None}, expect=204)
    server = wait_server(cloud, admin, server_id, "ACTIVE")
    assert (host_of(server), server["flavor"]["original_name"]) == (dest, "m1.small")
    assert migrations(admin, instance_uuid=server_id)[0]["status"] == "confirmed"

    assert_nothing_in_transition(admin)
    books.check()
    delete(cloud, demo, admin, [server_id])
    books.check()
    assert cloud.log_errors() == []


@pytest.mark.parametrize("cloud", ["mariadb"], indirect=True)
def test_shelve_offload_and_unshelve_to_a_chosen_host(cloud, admin):
    project = "lifecycle-shelve"
    demo = cloud.client("demo", project)
    books = Books(cloud, admin, demo, project)
    [(server_id, booted)] = boot(cloud, demo, admin, ["shelved"]).items()
    booted_on = host_of(booted)

    act(demo, server_id, {"shelve": None})
    server = wait_server(cloud, admin, server_id, "SHELVED_OFFLOADED")  # offload time 0
    assert host_of(server) is None, server
    assert server_id not in os.listdir(host_dir(cloud, booted_on))
    # Off every host, still the project's: the hosts no longer count it, the quota does.
    assert_nothing_in_transition(admin)
    books.check()

    target = next(h for h in HOSTS if h != booted_on)
    act(admin, server_id, {"unshelve": {"host": target}}, version="2.91")
    server = wait_server(cloud, admin, server_id, "ACTIVE")
    assert (host_of(server), server["flavor"]["original_name"]) == (target, "m1.tiny")
    assert server["addresses"] == booted["addresses"]
    assert server_id in os.listdir(host_dir(cloud, target))

    assert_nothing_in_transition(admin)
    books.check()
    delete(cloud, demo, admin, [server_id])
    books.check()
    assert cloud.log_errors() == []


def service_of(admin, host: str) -> dict:
    resp = admin.get("/os-services", params={"binary": "nova-compute", "host": host},
                     headers=api("2.53"))
    assert resp.status_code == 200, resp.text
    [service] = resp.json()["services"]
    return service


def host_dir(cloud, host: str) -> str:
    """Where the host keeps its servers' directories (one per server, by uuid)."""
    return os.path.join(cloud.workdir, "state", "hosts", host)


def restart(cloud, name: str) -> str:
    """Start a process the test killed again, as an operator or systemd would; its first
    run's logs are kept beside (-> the path of the first run's stderr)."""
    process = cloud.processes[name]
    for path in (process.out_path, process.err_path):
        os.replace(path, path + ".1")
    process.killed = False
    process.start()
    cloud.wait_until(process.ready, 60, "%s to start again" % name)
    return process.err_path + ".1"


def force_down(admin, host: str, down: bool) -> None:
    resp = admin.put("/os-services/%s" % service_of(admin, host)["id"],
                     json={"forced_down": down}, headers=api("2.53"))
    assert resp.status_code == 200, resp.text
    assert resp.json()["service"]["forced_down"] is down


@pytest.mark.parametrize("cloud", ["mariadb"], indirect=True)
def test_evacuate_from_a_killed_compute_which_cleans_up_when_back(cloud, admin):
    """The killed compute is started again and no longer forced down: the cloud is whole
    again for the tests after this one."""
    project = "lifecycle-evacuate"
    demo = cloud.client("demo", project)
    books = Books(cloud, admin, demo, project)
    booted = boot(cloud, demo, admin, ["evacuated-%d" % i for i in range(len(HOSTS) + 1)])
    per_host = collections.Counter(host_of(s) for s in booted.values())
    victim = per_host.most_common(1)[0][0]  # four servers on three hosts: 2+ on one
    on_victim = sorted(i for i, s in booted.items() if host_of(s) == victim)
    assert len(on_victim) >= 2, per_host
    assert set(on_victim) <= set(os.listdir(host_dir(cloud, victim)))

    cloud.kill(victim)
    force_down(admin, victim, True)
    assert service_of(admin, victim)["state"] == "down"

    # The first at 2.94 (ends as it was: ACTIVE), the others at 2.95+ (end stopped).
    expected = {}
    for n, server_id in enumerate(on_victim):
        version, expected[server_id] = ("2.94", "ACTIVE") if n == 0 else ("2.95", "SHUTOFF")
        act(admin, server_id, {"evacuate": {}}, version=version, expect=200)
    for server_id, status in expected.items():
        server = wait_server(cloud, admin, server_id, status)
        assert host_of(server) in HOSTS and host_of(server) != victim, server
        # Rebuilt there from its image, with its flavor and addresses.
        assert server_id in os.listdir(host_dir(cloud, host_of(server)))
        assert server["flavor"]["original_name"] == "m1.tiny"
        assert server["addresses"] == booted[server_id]["addresses"]
    evacuations = migrations(admin, migration_type="evacuation", source_compute=victim)
    assert sorted((m["instance_uuid"], m["status"], m["dest_compute"]) for m in evacuations) \
        == [(i, "done", host_of(all_servers(admin)[i])) for i in on_victim]
    assert_nothing_in_transition(admin)
    books.check(hosts=[h for h in HOSTS if h != victim])  # the victim's row is stale
    assert set(on_victim) <= set(os.listdir(host_dir(cloud, victim)))  # not cleaned yet

    # Back: the compute process removes the evacuated servers' leftovers.
    first_run_log = restart(cloud, victim)
    cloud.wait_until(lambda: all(m["status"] == "completed" for m in migrations(
        admin, migration_type="evacuation", source_compute=victim)), MOVE_TIMEOUT,
        "the evacuations from %s to be completed" % victim)
    assert not set(on_victim) & set(os.listdir(host_dir(cloud, victim)))
    log = cloud.processes[victim].log_text()
    assert all("Removing the leftovers of instance %s" % i in log for i in on_victim)
    resp = admin.get("/os-hypervisors/detail", params={"with_servers": "true"},
                     headers=api(HYPERVISORS_VERSION))
    [hypervisor] = [h for h in resp.json()["hypervisors"] if h["service"]["host"] == victim]
    assert (hypervisor["running_vms"], hypervisor.get("servers", [])) == (0, [])
    # Left where the evacuation put them, as it left them.
    for server_id, status in expected.items():
        server = wait_server(cloud, admin, server_id, status)
        assert host_of(server) != victim, server

    force_down(admin, victim, False)
    cloud.wait_until(lambda: service_of(admin, victim)["state"] == "up", MOVE_TIMEOUT,
                     "%s to be up" % victim)
    assert_nothing_in_transition(admin)
    books.check()
    delete(cloud, demo, admin, list(booted))
    books.check()
    assert cloud.log_errors() == []
    with open(first_run_log, errors="replace") as f:
        assert [line for line in f if " ERROR " in line or line.startswith("Traceback")] == []


@pytest.mark.parametrize("cloud", BACKENDS, indirect=True)
def test_cold_migrate_to_a_chosen_host_and_revert(cloud, admin):
    """The destination's claim goes with the revert, not with a periodic recount (the
    cloud's is an hour away)."""
    project = "lifecycle-revert"
    demo = cloud.client("demo", project)
    books = Books(cloud, admin, demo, project)
    [(server_id, server)] = boot(cloud, demo, admin, ["migrated"]).items()
    source = host_of(server)

    target = next(h for h in HOSTS if h != source)
    act(admin, server_id, {"migrate": {"host": target}}, version="2.56")
    server = wait_server(cloud, admin, server_id, "VERIFY_RESIZE")
    assert host_of(server) == target, server
    act(demo, server_id, {"revertResize": None})
    server = wait_server(cloud, admin, server_id, "ACTIVE")
    assert (host_of(server), server["flavor"]["original_name"]) == (source, "m1.tiny")
    [migration] = migrations(admin, instance_uuid=server_id)
    assert (migration["migration_type"], migration["status"], migration["source_compute"],
            migration["dest_compute"]) == ("migration", "reverted", source, target)

    assert_nothing_in_transition(admin)
    books.check()
    delete(cloud, demo, admin, [server_id])
    books.check()
    assert cloud.log_errors() == []
