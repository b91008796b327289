"""Image pre-distribution across restarts: a compute host stopped mid-download never leaves
a half image in its cache and finishes the download when it starts again; jobs a stopped
conductor left unfinished are resumed by the next conductor to start, one driver per job."""

import hashlib
import os
import time
import uuid

import httpx

from novalite import service
from novalite.cmd import services
from novalite.compute.manager import ComputeManager
from novalite.compute.rpcapi import TOPIC as COMPUTE_TOPIC
from novalite.db import predistribution as db_jobs
from novalite.objects.predistribution import HostProgress, Job
from tests.functional.helpers import client_pool, running_cloud

TOKEN = {"X-Auth-Token": "demo:demo"}
RATE = 1 << 20  # [image_cache] download_rate_limit: 1 MB/s, so downloads can be caught


def _upload(cloud, data: bytes, name: str) -> dict:
    with httpx.Client(base_url=cloud.image_url, headers=TOKEN, timeout=30) as glance:
        image_id = glance.post("/v2/images", json={
            "name": name, "disk_format": "raw", "container_format": "bare"}).json()["id"]
        resp = glance.put("/v2/images/%s/file" % image_id, content=data,
                          headers={"Content-Type": "application/octet-stream"})
        assert resp.status_code == 204, resp.text
        return glance.get("/v2/images/" + image_id).json()


def _job(admin, job_id) -> dict:
    resp = admin.get("/os-image-predistribution/" + job_id)
    assert resp.status_code == 200, resp.text
    return resp.json()["job"]


def _wait_job(admin, job_id, timeout=60) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = _job(admin, job_id)
        if job["status"] in ("done", "error", "cancelled"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def _states(job) -> dict:
    return {h["host"]: h["state"] for h in job["hosts"]}


def _compute(cloud, host) -> service.Service:
    return [s for s in cloud.services if s.binary == "novalite-compute" and s.host == host][0]


def _base_dir(cloud, host) -> str:
    return _compute(cloud, host).manager.image_cache.base_dir


def _listing(directory) -> list[str]:
    return sorted(os.listdir(directory)) if os.path.isdir(directory) else []


def _file_matches(path, image) -> bool:
    with open(path, "rb") as f:
        digest = hashlib.new(image["os_hash_algo"], f.read()).hexdigest()
    return digest == image["os_hash_value"]


def test_a_compute_host_stopped_mid_download_finishes_it_when_started(tmp_path):
    with running_cloud(tmp_path, computes=2, **{"image_cache.download_rate_limit": RATE}) \
            as cloud, client_pool(cloud) as get:
        admin = get("admin", "admin")
        data = os.urandom(5 * RATE)
        image = _upload(cloud, data, "interrupted")
        resp = admin.post("/os-image-predistribution",
                          json={"image_id": image["id"], "hosts": ["compute1"]})
        assert resp.status_code == 202, resp.text
        job_id = resp.json()["job"]["id"]
        deadline = time.monotonic() + 30
        while True:  # caught mid-download: some bytes in, not all
            host = _job(admin, job_id)["hosts"][0]
            if host["state"] == "downloading" and 0 < host["bytes_done"] < len(data):
                break
            assert host["state"] in ("pending", "downloading"), host
            assert time.monotonic() < deadline, host
            time.sleep(0.05)

        old = _compute(cloud, "compute1")
        old.stop()
        old.wait()
        base = _base_dir(cloud, "compute1")
        # The stopped host downloads nothing more and its cache holds no image under the
        # image's name: only a partial (dot-named temp) file, or none.
        assert image["id"] not in _listing(base)
        assert all(name.startswith(".") for name in _listing(base)), _listing(base)
        time.sleep(1.5)  # long enough for a download still running to show
        assert image["id"] not in _listing(base)
        job = _job(admin, job_id)
        assert job["status"] == "running"
        assert _states(job) == {"compute1": "downloading"}  # for the host to take up again
        # What a killed (not stopped) service leaves behind: its temp file.
        os.makedirs(base, exist_ok=True)
        with open(os.path.join(base, ".%s.killed" % image["id"]), "wb") as f:
            f.write(data[:RATE])

        manager = ComputeManager(cloud.conf, cloud.database, cloud.messaging, "compute1",
                                 instances_path=old.manager.image_cache.instances_path,
                                 image_api=old.manager.image_cache.client)
        new = service.Service(cloud.conf, cloud.database, cloud.messaging, "compute1",
                              "novalite-compute", COMPUTE_TOPIC, manager)
        cloud.services[cloud.services.index(old)] = new
        new.start()

        done = _wait_job(admin, job_id)
        assert done["status"] == "done", done
        assert _states(done) == {"compute1": "done"}
        assert done["hosts"][0]["bytes_done"] == done["hosts"][0]["bytes_total"] == len(data)
        assert _listing(base) == [image["id"]]  # no partial file left
        assert _file_matches(os.path.join(base, image["id"]), image)
        listed = admin.get("/os-image-predistribution").json()["jobs"]
        assert [j["status"] for j in listed if j["id"] == job_id] == ["done"]


def _orphan(database, image_id, status, hosts: dict) -> str:
    """A job row as a conductor that died while driving it leaves it."""
    job = Job(id=str(uuid.uuid4()),
              image_id=image_id, status=status,
              hosts=[HostProgress(host=h, state=s) for h, s in hosts.items()])
    db_jobs.create(database, job)
    if status == "running":
        db_jobs.lease(database, db_jobs.get(database, job.id))
    return job.id


def test_jobs_a_stopped_conductor_left_are_resumed_at_start(tmp_path):
    with running_cloud(tmp_path, computes=2) as cloud:
        first = _upload(cloud, os.urandom(1 << 20), "orphan-running")
        second = _upload(cloud, os.urandom(1 << 20), "orphan-pending")
        # Left while running: compute1 not yet handed its download, compute2 downloading
        # (its host stopped with the cloud, mid-download).
        running = _orphan(cloud.database, first["id"], "running",
                          {"compute1": "pending", "compute2": "downloading"})
        # Accepted by the API, but the conductor stopped before it took the job.
        pending = _orphan(cloud.database, second["id"], "pending",
                          {"compute1": "pending", "compute2": "pending"})

    with running_cloud(tmp_path, computes=2) as cloud, client_pool(cloud) as get:
        admin = get("admin", "admin")
        for job_id, image in ((running, first), (pending, second)):
            job = _wait_job(admin, job_id)
            assert job["status"] == "done", job
            assert _states(job) == {"compute1": "done", "compute2": "done"}
            assert job["finished_at"]
            for host in ("compute1", "compute2"):
                path = os.path.join(_base_dir(cloud, host), image["id"])
                assert _file_matches(path, image)
                assert not [n for n in _listing(_base_dir(cloud, host)) if n.startswith(".")]


def test_conductors_starting_together_drive_each_job_once(tmp_path):
    with running_cloud(tmp_path, computes=2) as cloud, client_pool(cloud) as get:
        admin = get("admin", "admin")
        image = _upload(cloud, os.urandom(1 << 18), "orphan-shared")
        # compute1 was told to download by a conductor that died before its message left:
        # up all along, it never heard of the job.
        job_id = _orphan(cloud.database, image["id"], "running",
                         {"compute1": "downloading", "compute2": "pending"})
        # The lease is a compare-and-set on the job row as read: of two conductors that
        # read the job alike, one drives it, the other learns it is taken.
        seen = db_jobs.get(cloud.database, job_id)
        lease = db_jobs.lease(cloud.database, seen)
        assert lease is not None
        assert db_jobs.lease(cloud.database, seen) is None
        assert db_jobs.still_driving(db_jobs.get(cloud.database, job_id), lease)
        # A driver whose job another conductor took over cannot finish it.
        newer = db_jobs.lease(cloud.database, db_jobs.get(cloud.database, job_id))
        assert newer is not None and newer != lease
        assert not db_jobs.still_driving(db_jobs.get(cloud.database, job_id), lease)
        assert not db_jobs.finish(cloud.database, job_id, lease, "error")

        extra = [services.conductor(cloud.conf, cloud.database, cloud.messaging, name)
                 for name in ("conductor-b", "conductor-c")]
        cloud.services.extend(extra)
        for svc in extra:
            svc.start()
        job = _wait_job(admin, job_id)
        assert job["status"] == "done", job
        assert _states(job) == {"compute1": "done", "compute2": "done"}
        for host in ("compute1", "compute2"):
            assert _file_matches(os.path.join(_base_dir(cloud, host), image["id"]), image)
