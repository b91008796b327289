"""The cloud as separate processes on RabbitMQ and a SQL server, over the compute API.

The tests share one cloud per backend and run in file order: the last two kill compute2 for
good and stop the rest, so they stay last.
"""

import collections
import concurrent.futures

import httpx
import pytest

from tests.disks import guest_view
from tests.distributed.cluster import SERVICE_DOWN_TIME

pytestmark = pytest.mark.distributed

BUILD_TIMEOUT = 60


@pytest.fixture(scope="module")
def demo(cloud, admin):
    # Tests here boot 20 servers at once and a flavor bigger than the RAM quota: more than
    # the default quotas allow.
    resp = admin.put("/os-quota-sets/demo",
                     json={"quota_set": {"instances": -1, "cores": -1, "ram": -1}})
    assert resp.status_code == 200, resp.text
    return cloud.client("demo", "demo")


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.client("admin", "admin")


def boot(client, count: int, prefix: str) -> list[str]:
    """Boot servers with concurrent requests (as many clients would); -> their ids."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
        created = pool.map(lambda i: client.boot("%s-%d" % (prefix, i)), range(count))
        return [body["server"]["id"] for body in created]


def wait_active(cloud, admin, ids: list[str]) -> dict[str, dict]:
    """Wait until every server is ACTIVE (fail at once on ERROR); -> {id: server (admin)}."""

    def all_active():
        servers = {s["id"]: s for s in admin.get("/servers/detail", params={
            "all_tenants": 1, "limit": 1000}).json()["servers"] if s["id"] in ids}
        failed = {i: s.get("fault") for i, s in servers.items() if s["status"] == "ERROR"}
        assert not failed, "servers went to ERROR: %s" % failed
        if len(servers) == len(ids) and all(s["status"] == "ACTIVE" for s in servers.values()):
            return servers
        return None

    return cloud.wait_until(all_active, BUILD_TIMEOUT, "%d servers to be ACTIVE" % len(ids),
                            interval=0.2)


def delete_and_wait_gone(cloud, client, ids: list[str]) -> None:
    for server_id in ids:
        resp = client.delete("/servers/%s" % server_id)
        assert resp.status_code == 204, resp.text

    def gone():
        listed = {s["id"] for s in client.get("/servers").json()["servers"]}
        return not listed & set(ids)

    cloud.wait_until(gone, BUILD_TIMEOUT, "%d servers to be deleted" % len(ids), interval=0.2)
    for server_id in ids:
        assert client.get("/servers/%s" % server_id).status_code == 404


def service_states(admin) -> dict[tuple[str, str], str]:
    resp = admin.get("/os-services")
    assert resp.status_code == 200, resp.text
    return {(s["binary"], s["host"]): s["state"] for s in resp.json()["services"]}


def test_every_service_reports_up(cloud, admin):
    assert service_states(admin) == {
        ("nova-conductor", "controller"): "up", ("nova-scheduler", "controller"): "up",
        ("nova-compute", "compute1"): "up", ("nova-compute", "compute2"): "up"}


def test_servers_spread_over_both_hosts_and_delete(cloud, demo, admin):
    ids = boot(demo, 20, "spread")
    servers = wait_active(cloud, admin, ids)

    per_host = collections.Counter(s["OS-EXT-SRV-ATTR:host"] for s in servers.values())
    assert set(per_host) == {"compute1", "compute2"}, per_host
    # Two compute processes allocated fixed IPs from one network: never the same one twice.
    addresses = [a["addr"] for s in servers.values() for a in s["addresses"]["private"]]
    assert len(addresses) == len(set(addresses)) == 20, addresses
    # The owner sees them too (and not the admin-only host field).
    mine = demo.get("/servers/detail").json()["servers"]
    assert {s["id"] for s in mine} >= set(ids)
    assert all("OS-EXT-SRV-ATTR:host" not in s for s in mine)

    # multi-show: each element as the owner's show, from a query on the SQL server.
    info = demo.post("/servers/multi_show", json={"servers": ids[:10]}).json()["server_info"]
    assert info == [demo.get("/servers/" + i).json()["server"] for i in ids[:10]]

    delete_and_wait_gone(cloud, demo, ids)
    deleted = demo.get("/servers/detail", params={"changes-since": "2000-01-01T00:00:00Z"})
    statuses = {s["id"]: s["status"] for s in deleted.json()["servers"]}
    assert all(statuses[i] == "DELETED" for i in ids), statuses


def test_backup_instance_crosses_processes(cloud, demo, admin):
    """The API records the image; the compute process captures the disk and streams it to
    the image API over HTTP; the image becomes active with the disk's bytes."""
    server_id = boot(demo, 1, "backup")[0]
    wait_active(cloud, admin, [server_id])
    resp = demo.post("/servers/%s/backup_instance" % server_id, json={"name": "dist"})
    assert resp.status_code == 202, resp.text
    image_id = resp.json()["id"]
    with httpx.Client(base_url=cloud.image_url, headers={"X-Auth-Token": "demo:demo"},
                      timeout=30) as glance:
        def active():
            image = glance.get("/v2/images/" + image_id).json()
            return image if image["status"] == "active" else None

        image = cloud.wait_until(active, BUILD_TIMEOUT, "the backup to be active",
                                 interval=0.2)
        assert image["instance_uuid"] == server_id and image["image_type"] == "backup"
        base = glance.get("/v2/images/%s/file" % image["base_image_ref"]).content
        backup = glance.get("/v2/images/%s/file" % image_id).content
        assert guest_view(backup) == guest_view(base)  # the fake guest never writes
    delete_and_wait_gone(cloud, demo, [server_id])


def test_no_valid_host_fault_crosses_rpc_cleanly(cloud, demo, admin):
    """The scheduler's NoValidHost reaches the conductor as a remote exception; the server's
    fault says what Nova says, not the remote traceback."""
    resp = admin.post("/flavors", json={"flavor": {
        "name": "too-big", "id": "too-big", "ram": 10 ** 7, "vcpus": 1, "disk": 1}})
    assert resp.status_code == 200, resp.text
    try:
        server_id = demo.boot("unplaceable", flavor="too-big")["server"]["id"]
        server = cloud.wait_until(
            lambda: (s := demo.server(server_id))["status"] == "ERROR" and s,
            BUILD_TIMEOUT, "the server to go to ERROR")
        assert server["fault"]["code"] == 500
        assert server["fault"]["message"] == (
            "No valid host was found. There are not enough hosts available.")
        delete_and_wait_gone(cloud, demo, [server_id])
    finally:
        admin.delete("/flavors/too-big")


# Patterns Python's re accepts (so the API passes them on) that the database's own regular
# expression dialect rejects: MariaDB's PCRE2 has no \N{name}, PostgreSQL's ARE no (?P<>).
DIALECT_INVALID_NAME_FILTER = {"mariadb": r"\N{DIGIT ONE}", "postgresql": "(?P<x>a)"}


def test_name_filter_the_database_rejects_is_a_client_error(cloud, demo, admin, sql_server):
    ids = boot(demo, 1, "filtered")
    wait_active(cloud, admin, ids)  # the database only runs the pattern against some row
    resp = demo.get("/servers", params={"name": DIALECT_INVALID_NAME_FILTER[sql_server.name]})
    assert resp.status_code == 400, resp.text
    assert resp.json()["badRequest"]["message"].startswith("Invalid name filter")
    assert [s["id"] for s in demo.get("/servers", params={"name": "^filtered-0$"}
                                      ).json()["servers"]] == ids
    delete_and_wait_gone(cloud, demo, ids)


def test_dead_compute_is_reported_down_and_skipped(cloud, demo, admin):
    before = wait_active(cloud, admin, boot(demo, 4, "before"))
    on_dead_host = [i for i, s in before.items() if s["OS-EXT-SRV-ATTR:host"] == "compute2"]
    assert on_dead_host, "no server landed on compute2: %s" % before

    cloud.kill("compute2")
    states = cloud.wait_until(
        lambda: (s := service_states(admin))[("nova-compute", "compute2")] == "down" and s,
        SERVICE_DOWN_TIME + 15, "compute2 to be reported down", interval=0.2)
    assert states[("nova-compute", "compute1")] == "up"
    assert states[("nova-conductor", "controller")] == "up"
    assert states[("nova-scheduler", "controller")] == "up"

    after = wait_active(cloud, admin, boot(demo, 6, "after"))
    assert {s["OS-EXT-SRV-ATTR:host"] for s in after.values()} == {"compute1"}

    # Servers of the dead host are deleted without it (its queue has no consumer).
    delete_and_wait_gone(cloud, demo, list(before) + list(after))


def test_services_stop_cleanly_without_errors(cloud):
    """Last: SIGTERM stops every service still running with status 0, and no process logged
    an error or a traceback (periodic tasks and RPC handlers log theirs and go on)."""
    exit_codes = cloud.stop()
    assert exit_codes == {"conductor": 0, "scheduler": 0, "compute1": 0, "api": 0}
    assert cloud.log_errors() == []
