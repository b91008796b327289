"""Image pre-distribution across processes: the API process records the job, the conductor
process hands out the downloads over RabbitMQ, each compute process fetches the image from
the image API over HTTP into its own cache; and a conductor killed mid-job is resumed by
the next one to start.

One backend (MariaDB, whose DATETIME keeps whole seconds: the conductor's job lease must
hold there) and a cloud of its own, whose hosts download at [image_cache]
download_rate_limit so a job lasts long enough to kill its conductor.
"""

import contextlib
import os
import time

import httpx
import pytest

from tests.distributed import backends
from tests.distributed.cluster import Cluster, ClusterError
from tests.distributed.conftest import require

pytestmark = pytest.mark.distributed

RATE = 2 << 20  # bytes per second each host downloads at
HOSTS = ("compute1", "compute2")
JOB_TIMEOUT = 60


@pytest.fixture(scope="module")
def sql_server():
    server = backends.SQL_SERVERS["mariadb"]
    require(server)
    return server


@pytest.fixture(scope="module")
def cloud(rabbitmq, sql_server, tmp_path_factory):
    name = backends.unique_name()
    workdir = str(tmp_path_factory.mktemp("predist-" + sql_server.name))
    with contextlib.ExitStack() as cleanup:
        transport_url = rabbitmq.add_vhost(name)
        cleanup.callback(rabbitmq.delete_vhost, name)
        database_url = sql_server.create(name)
        cleanup.callback(sql_server.drop, name)
        cluster = Cluster(workdir, transport_url, database_url, extra_config=(
            "[image_cache]", "download_rate_limit = %d" % RATE))
        cleanup.callback(cluster.stop)
        try:
            cluster.db_upgrade()
            cluster.start()
        except Exception as e:
            raise ClusterError("%s\n%s" % (e, cluster.tails())) from None
        yield cluster


@pytest.fixture(scope="module")
def admin(cloud):
    return cloud.client("admin", "admin")


def upload(cloud, data: bytes, name: str) -> str:
    with httpx.Client(base_url=cloud.image_url, headers={"X-Auth-Token": "demo:demo"},
                      timeout=30) as glance:
        image_id = glance.post("/v2/images", json={
            "name": name, "disk_format": "raw", "container_format": "bare"}).json()["id"]
        resp = glance.put("/v2/images/%s/file" % image_id, content=data,
                          headers={"Content-Type": "application/octet-stream"})
        assert resp.status_code == 204, resp.text
    return image_id


def base_dir(cloud, host) -> str:
    return os.path.join(cloud.workdir, "state", "hosts", host, "_base")


def show(admin, job_id) -> dict:
    resp = admin.get("/os-image-predistribution/" + job_id)
    assert resp.status_code == 200, resp.text
    return resp.json()["job"]


def wait_finished(cloud, admin, job_id) -> dict:
    return cloud.wait_until(
        lambda: (j := show(admin, job_id))["status"] in ("done", "error", "cancelled") and j,
        JOB_TIMEOUT, "job %s to finish" % job_id, interval=0.2)


def assert_cached_everywhere(cloud, job, image_id, data) -> None:
    assert job["status"] == "done", job
    assert {h["host"]: h["state"] for h in job["hosts"]} == dict.fromkeys(HOSTS, "done")
    assert all(h["bytes_done"] == h["bytes_total"] == len(data) for h in job["hosts"])
    for host in HOSTS:
        assert image_id in os.listdir(base_dir(cloud, host))
        assert not [n for n in os.listdir(base_dir(cloud, host)) if n.startswith(".")]
        with open(os.path.join(base_dir(cloud, host), image_id), "rb") as f:
            assert f.read() == data


def test_one_job_across_processes(cloud, admin):
    data = os.urandom(1 << 20)
    image_id = upload(cloud, data, "wave")
    resp = admin.post("/os-image-predistribution",
                      json={"image_id": image_id, "hosts": list(HOSTS)})
    assert resp.status_code == 202, resp.text
    job = resp.json()["job"]
    assert [h["host"] for h in job["hosts"]] == list(HOSTS)
    done = wait_finished(cloud, admin, job["id"])
    assert_cached_everywhere(cloud, done, image_id, data)
    assert done["progress"] == 100.0 and done["finished_at"]
    listed = admin.get("/os-image-predistribution").json()["jobs"]
    assert [j["status"] for j in listed if j["id"] == job["id"]] == ["done"]


def test_a_killed_conductors_job_is_resumed_by_the_next(cloud, admin):
    data = os.urandom(3 * RATE)  # 3 s a host, one host after the other
    image_id = upload(cloud, data, "resumed")
    resp = admin.post("/os-image-predistribution",
                      json={"image_id": image_id, "hosts": list(HOSTS)})
    assert resp.status_code == 202, resp.text
    job_id = resp.json()["job"]["id"]

    def first_host_under_way():
        states = {h["host"]: h for h in show(admin, job_id)["hosts"]}
        return states["compute1"]["state"] == "downloading" \
            and states["compute1"]["bytes_done"] > 0 and states["compute2"]["state"] \
            == "pending"

    cloud.wait_until(first_host_under_way, JOB_TIMEOUT, "compute1 to be downloading")
    cloud.kill("conductor")
    # compute1 finishes its download on its own; nobody hands compute2 its turn.
    cloud.wait_until(lambda: show(admin, job_id)["hosts"][0]["state"] == "done",
                     JOB_TIMEOUT, "compute1 to finish without a conductor")
    time.sleep(1)  # a live conductor would hand compute2 its download within 0.1 s
    job = show(admin, job_id)
    assert job["status"] == "running"
    assert {h["host"]: h["state"] for h in job["hosts"]} == {
        "compute1": "done", "compute2": "pending"}

    conductor = cloud.processes["conductor"]
    conductor.killed = False
    conductor.start()  # a new process, as an operator or systemd would start
    cloud.wait_until(conductor.ready, 60, "the conductor to start again")
    done = wait_finished(cloud, admin, job_id)
    assert_cached_everywhere(cloud, done, image_id, data)
    assert "Resuming pre-distribution job %s (running)" % job_id in conductor.log_text()
    assert cloud.log_errors() == []
