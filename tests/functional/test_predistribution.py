"""Image pre-distribution over HTTP: jobs by hosts, aggregate, zone and all; progress; a
down host; cancel; Nova's 2.81 aggregate image cache; the next boot reusing the cache; the
cleanup protection; the scheduler's image weigher."""

import os
import threading
import time

import httpx
import pytest

from novalite.db import cached_images as db_cached
from novalite.db import models
from tests.functional.helpers import assert_fault, client_pool, running_cloud

TOKEN = {"X-Auth-Token": "demo:demo"}
DATA = os.urandom(3 << 20)


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("state"), computes=3) as aio:
        yield aio


@pytest.fixture(scope="module")
def make_client(cloud):
    with client_pool(cloud) as get:
        yield get


@pytest.fixture(scope="module")
def admin(make_client):
    return make_client("admin", "admin")


@pytest.fixture(scope="module")
def demo(make_client):
    return make_client("demo", "demo")


def _managers(cloud) -> dict:
    return {s.host: s.manager for s in cloud.services if s.binary == "novalite-compute"}


def _upload(cloud, data=DATA, name="wave") -> str:
    with httpx.Client(base_url=cloud.image_url, headers=TOKEN, timeout=30) as glance:
        image_id = glance.post("/v2/images", json={
            "name": name, "disk_format": "raw", "container_format": "bare"}).json()["id"]
        resp = glance.put("/v2/images/%s/file" % image_id, content=data,
                          headers={"Content-Type": "application/octet-stream"})
        assert resp.status_code == 204, resp.text
    return image_id


@pytest.fixture
def image(cloud):
    return _upload(cloud)


def _start(admin, **body):
    resp = admin.post("/os-image-predistribution", json=body)
    assert resp.status_code == 202, resp.text
    return resp.json()["job"]


def _wait_job(admin, job_id, timeout=30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = admin.get("/os-image-predistribution/" + job_id).json()["job"]
        if job["status"] in ("done", "error", "cancelled"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.05)


def _states(job) -> dict:
    return {h["host"]: h["state"] for h in job["hosts"]}


def _cached(cloud, host, image_id) -> bool:
    return os.path.exists(os.path.join(_managers(cloud)[host].image_cache.base_dir, image_id))


@pytest.fixture
def slow(cloud):
    """Downloads at 1 MB/s on every host, so a job can be watched and cancelled."""
    clients = [m.image_cache.client for m in _managers(cloud).values()]
    for c in clients:
        c.rate_limit = 1 << 20
    yield
    for c in clients:
        c.rate_limit = 0


def test_every_enabled_host_by_default_then_already_cached(cloud, admin, image):
    job = _start(admin, image_id=image)
    assert job["status"] in ("pending", "running")
    assert sorted(_states(job)) == ["compute1", "compute2", "compute3"]
    done = _wait_job(admin, job["id"])
    assert done["status"] == "done" and done["progress"] == 100.0
    assert set(_states(done).values()) == {"done"}
    assert all(h["bytes_done"] == h["bytes_total"] == len(DATA) for h in done["hosts"])
    assert done["started_at"] and done["finished_at"]
    for host in ("compute1", "compute2", "compute3"):
        assert _cached(cloud, host, image)
    again = _wait_job(admin, _start(admin, image_id=image)["id"])
    assert set(_states(again).values()) == {"already_cached"}
    listed = admin.get("/os-image-predistribution").json()["jobs"]
    assert [j["id"] for j in listed[:2]] == [again["id"], done["id"]]


def test_chosen_hosts_aggregate_and_zone(cloud, admin, image):
    job = _wait_job(admin, _start(admin, image_id=image, hosts=["compute2"])["id"])
    assert _states(job) == {"compute2": "done"}
    assert not _cached(cloud, "compute1", image)
    agg = admin.post("/os-aggregates", json={"aggregate": {
        "name": "wave", "availability_zone": "zone-w"}}).json()["aggregate"]
    admin.post("/os-aggregates/%d/action" % agg["id"], json={"add_host": {"host": "compute3"}})
    job = _wait_job(admin, _start(admin, image_id=image, aggregate=agg["id"])["id"])
    assert _states(job) == {"compute3": "done"}
    job = _wait_job(admin, _start(admin, image_id=image, availability_zone="zone-w")["id"])
    assert _states(job) == {"compute3": "already_cached"}
    job = _wait_job(admin, _start(admin, image_id=image, availability_zone="nova")["id"])
    assert _states(job) == {"compute1": "done", "compute2": "already_cached"}
    admin.post("/os-aggregates/%d/action" % agg["id"],
               json={"remove_host": {"host": "compute3"}})
    admin.delete("/os-aggregates/%d" % agg["id"])


def test_progress_is_reported_while_downloading(cloud, admin, image, slow):
    job = _start(admin, image_id=image, hosts=["compute1"])
    seen = set()
    deadline = time.monotonic() + 30
    while True:
        host = admin.get("/os-image-predistribution/" + job["id"]).json()["job"]["hosts"][0]
        if host["state"] == "downloading" and 0 < host["bytes_done"] < len(DATA):
            seen.add(host["bytes_done"])
            assert host["bytes_total"] == len(DATA)
        if host["state"] == "done":
            break
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert len(seen) >= 2, seen  # more than one partial report on the way


def test_cancel_stops_the_hosts_not_started(cloud, admin, image, slow):
    job = _start(admin, image_id=image)  # precache_concurrency 1: one host at a time
    assert admin.delete("/os-image-predistribution/" + job["id"]).status_code == 202
    done = _wait_job(admin, job["id"])
    states = _states(done)
    assert "cancelled" in states.values(), states
    assert done["status"] == "cancelled"
    for host, state in states.items():
        assert _cached(cloud, host, image) == (state == "done")
    assert_fault(admin.delete("/os-image-predistribution/" + job["id"]), 409,
                 "conflictingRequest")


def test_a_down_host_is_reported_and_the_others_proceed(cloud, admin, image):
    services = admin.get("/os-services", params={"binary": "nova-compute"}).json()
    target = [s for s in services["services"] if s["host"] == "compute3"][0]
    down = admin.put("/os-services/%s" % target["id"], json={"forced_down": True})
    assert down.status_code == 200, down.text
    try:
        job = _wait_job(admin, _start(admin, image_id=image)["id"])
    finally:
        admin.put("/os-services/%s" % target["id"], json={"forced_down": False})
    assert job["status"] == "error"
    host3 = [h for h in job["hosts"] if h["host"] == "compute3"][0]
    assert host3["state"] == "error" and host3["message"] == "host down"
    assert {h["state"] for h in job["hosts"] if h["host"] != "compute3"} == {"done"}


def test_next_boot_reuses_the_cache(cloud, admin, demo, image):
    _wait_job(admin, _start(admin, image_id=image)["id"])
    downloads = []
    for manager in _managers(cloud).values():
        real = manager.image_cache.client.download

        def counted(*args, real=real, **kwargs):
            downloads.append(args[0])
            return real(*args, **kwargs)

        manager.image_cache.client.download = counted
    try:
        server = demo.boot("warm", imageRef=image)["server"]["id"]
        demo.wait_for(server, "ACTIVE")
    finally:
        for manager in _managers(cloud).values():
            del manager.image_cache.client.download
    assert downloads == []
    demo.delete("/servers/" + server)
    demo.wait_gone(server)


def test_predistributed_images_survive_cleanup_until_their_ttl(cloud, admin, image):
    _wait_job(admin, _start(admin, image_id=image, hosts=["compute1"])["id"])
    manager = _managers(cloud)["compute1"]
    cloud.conf.set_override("remove_unused_base_images_age", 0, group="image_cache")
    try:
        time.sleep(0.01)
        assert image not in manager.remove_unused_base_images()
        assert _cached(cloud, "compute1", image)
        with cloud.database.writer() as conn:  # the protection runs out
            conn.execute(models.cached_images.update().values(precached_until=None))
        assert image in manager.remove_unused_base_images()
        assert not _cached(cloud, "compute1", image)
        assert "compute1" not in db_cached.hosts_with(cloud.database, image)
    finally:
        cloud.conf.clear_override("remove_unused_base_images_age", group="image_cache")


def test_the_scheduler_prefers_a_host_holding_the_image(tmp_path):
    with running_cloud(tmp_path, computes=2) as aio, client_pool(aio) as get:
        admin, demo = get("admin", "admin"), get("demo", "demo")
        image = _upload(aio, b"x" * 65536, "preferred")
        for _ in range(3):
            job = _wait_job(admin, _start(admin, image_id=image, hosts=["compute2"])["id"])
            assert job["status"] == "done"
            server = demo.boot("where", imageRef=image)["server"]["id"]
            demo.wait_for(server, "ACTIVE")
            assert admin.server(server)["OS-EXT-SRV-ATTR:host"] == "compute2"
            demo.delete("/servers/" + server)
            demo.wait_gone(server)


def test_aggregate_image_cache_2_81(cloud, make_client, image):
    admin = make_client("admin", "admin", "2.81")
    agg = admin.post("/os-aggregates", json={"aggregate": {"name": "cache"}}).json()[
        "aggregate"]
    admin.post("/os-aggregates/%d/action" % agg["id"], json={"add_host": {"host": "compute2"}})
    resp = admin.post("/os-aggregates/%d/images" % agg["id"], json={"cache": [{"id": image}]})
    assert resp.status_code == 202, resp.text
    job = [j for j in admin.get("/os-image-predistribution").json()["jobs"]
           if j["image_id"] == image][0]
    assert _states(_wait_job(admin, job["id"])) == {"compute2": "done"}
    assert _cached(cloud, "compute2", image)
    old = make_client("admin", "admin", "2.80")
    assert_fault(old.post("/os-aggregates/%d/images" % agg["id"],
                          json={"cache": [{"id": image}]}), 404, "itemNotFound")
    unknown = "00000000-0000-0000-0000-000000000000"
    assert_fault(admin.post("/os-aggregates/%d/images" % agg["id"],
                            json={"cache": [{"id": unknown}]}), 400, "badRequest", unknown)
    assert_fault(admin.post("/os-aggregates/99999/images", json={"cache": [{"id": image}]}),
                 404, "itemNotFound")
    assert_fault(admin.post("/os-aggregates/%d/images" % agg["id"], json={"cache": []}),
                 400, "badRequest")
    admin.post("/os-aggregates/%d/action" % agg["id"],
               json={"remove_host": {"host": "compute2"}})


@pytest.mark.parametrize("body,fragment", [
    ({}, "image_id"),
    ({"image_id": "nope"}, "image_id"),
    ({"image_id": "00000000-0000-0000-0000-000000000000"}, "could not be found"),
    ({"hosts": ["compute1"], "aggregate": 1}, "at most one"),
    ({"hosts": ["compute9"]}, "compute9"),
    ({"availability_zone": "atlantis"}, "atlantis"),
])
def test_bad_requests(admin, image, body, fragment):
    if body and "image_id" not in body:
        body = {"image_id": image, **body}
    assert_fault(admin.post("/os-image-predistribution", json=body), 400, "badRequest",
                 fragment)


def test_queued_image_is_refused_and_members_are_forbidden(cloud, admin, demo):
    with httpx.Client(base_url=cloud.image_url, headers=TOKEN, timeout=30) as glance:
        queued = glance.post("/v2/images", json={"name": "q", "disk_format": "raw",
                                                 "container_format": "bare"}).json()["id"]
    assert_fault(admin.post("/os-image-predistribution", json={"image_id": queued}), 400,
                 "badRequest", "not active")
    assert_fault(demo.post("/os-image-predistribution", json={"image_id": queued}), 403,
                 "forbidden")
    assert_fault(demo.get("/os-image-predistribution"), 403, "forbidden")
    assert_fault(admin.get("/os-image-predistribution/nope"), 404, "itemNotFound")


def test_jobs_in_parallel_do_not_mix(cloud, admin):
    images = [_upload(cloud, os.urandom(1 << 16), "p%d" % i) for i in range(3)]
    jobs = []
    threads = [threading.Thread(target=lambda i=i: jobs.append(
        _start(admin, image_id=i, hosts=["compute1"]))) for i in images]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for job in jobs:
        assert _states(_wait_job(admin, job["id"])) == {"compute1": "done"}
    assert all(_cached(cloud, "compute1", i) for i in images)
