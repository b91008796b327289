"""Server disks into images over real HTTP: backup_instance (novalite's extension),
createImage and createBackup (Nova's). The host captures the disk with its driver and
streams it to the image API; the bytes, states and failures are checked."""

import threading
import time
import uuid

import httpx
import pytest

from novalite.db import instances as db_instances
from tests.disks import disk_file_view, guest_view
from tests.functional.helpers import assert_fault

DEMO = {"X-Auth-Token": "demo:demo"}


@pytest.fixture(scope="module")
def glance(cloud):
    with httpx.Client(base_url=cloud.image_url, headers=DEMO, timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def server(demo):
    server_id = demo.boot("backed-up")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    return server_id


def _managers(cloud) -> dict:
    return {s.host: s.manager for s in cloud.services if s.binary == "novalite-compute"}


def _manager_of(cloud, admin, server_id):
    return _managers(cloud)[admin.server(server_id)["OS-EXT-SRV-ATTR:host"]]


def _wait_image(glance, image_id, status="active", timeout=30) -> dict | None:
    deadline = time.monotonic() + timeout
    while True:
        resp = glance.get("/v2/images/" + image_id)
        if status is None and resp.status_code == 404:
            return None
        if resp.status_code == 200 and resp.json()["status"] == status:
            return resp.json()
        assert time.monotonic() < deadline, (status, resp.status_code, resp.text)
        time.sleep(0.05)


def _wait_idle(demo, server_id) -> dict:
    deadline = time.monotonic() + 30
    while True:
        server = demo.server(server_id)
        if server["OS-EXT-STS:task_state"] is None:
            return server
        assert time.monotonic() < deadline, server
        time.sleep(0.05)


@pytest.fixture
def task_states(monkeypatch):
    """The task_states written for instances, in order (the real update still runs)."""
    seen, lock, real = [], threading.Lock(), db_instances.update

    def recording(database, uuid_, values, *args, **kwargs):
        result = real(database, uuid_, values, *args, **kwargs)
        if "task_state" in values:
            with lock:
                seen.append(values["task_state"])
        return result

    monkeypatch.setattr(db_instances, "update", recording)
    return seen


def test_backup_instance_makes_an_image_of_the_disk(cloud, demo, admin, glance, server,
                                                    task_states):
    resp = demo.post("/servers/%s/backup_instance" % server,
                     json={"name": "nightly", "description": "before the upgrade"})
    assert resp.status_code == 202, resp.text
    assert list(resp.json()) == ["id"]
    image_id = resp.json()["id"]
    image = _wait_image(glance, image_id)
    assert image["name"] == "nightly"
    assert image["instance_uuid"] == server
    assert image["image_type"] == "backup"
    assert image["description"] == "before the upgrade"
    assert image["base_image_ref"] == demo.image_id()
    assert image["owner"] == "demo"
    assert image["visibility"] == "private"
    assert _wait_idle(demo, server)["status"] == "ACTIVE"
    assert task_states == ["image_backup", "image_pending_upload", "image_uploading", None]
    # The bytes are the server's disk as the driver captured it.
    disk = _manager_of(cloud, admin, server).driver.guests[server].image.disk_path
    data = glance.get("/v2/images/%s/file" % image_id).content
    assert guest_view(data) == disk_file_view(disk)
    assert image["size"] == len(data)
    events = demo.get("/servers/%s/os-instance-actions" % server).json()["instanceActions"]
    assert "backup_instance" in [e["action"] for e in events]


def test_backup_without_description_and_of_a_stopped_server(demo, glance):
    server_id = demo.boot("stopped")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    demo.post("/servers/%s/action" % server_id, json={"os-stop": None})
    demo.wait_for(server_id, "SHUTOFF")
    resp = demo.post("/servers/%s/backup_instance" % server_id, json={"name": "cold"})
    assert resp.status_code == 202, resp.text
    image = _wait_image(glance, resp.json()["id"])
    assert "description" not in image
    assert _wait_idle(demo, server_id)["status"] == "SHUTOFF"


@pytest.mark.parametrize("body,fragment", [
    ({}, "name"), ({"name": ""}, "name"), ({"name": "x" * 256}, "name"),
    ({"name": "ok", "description": "d" * 256}, "description"),
    ({"name": "ok", "extra": 1}, "extra"),
])
def test_bad_backup_bodies_are_400(demo, server, body, fragment):
    resp = demo.post("/servers/%s/backup_instance" % server, json=body)
    assert_fault(resp, 400, "badRequest", fragment)


def test_backup_of_a_busy_or_failed_server_is_409(cloud, demo, glance):
    server_id = demo.boot("busy")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    db_instances.update(cloud.database, server_id, {"task_state": "rebooting"})
    resp = demo.post("/servers/%s/backup_instance" % server_id, json={"name": "b"})
    assert_fault(resp, 409, "conflictingRequest", "task_state")
    db_instances.set_error(cloud.database, server_id, 500, "broken", host=None)
    db_instances.update(cloud.database, server_id, {"task_state": None})
    resp = demo.post("/servers/%s/backup_instance" % server_id, json={"name": "b"})
    assert_fault(resp, 409, "conflictingRequest", "vm_state")
    # No image was left behind by the refused requests.
    names = [i["name"] for i in glance.get("/v2/images").json()["images"]]
    assert "b" not in names


def test_another_projects_server_is_404(other, server):
    resp = other.post("/servers/%s/backup_instance" % server, json={"name": "theirs"})
    assert_fault(resp, 404, "itemNotFound")


def test_reader_may_not_back_up(make_client, server):
    reader = make_client("demo", "demo:reader")
    resp = reader.post("/servers/%s/backup_instance" % server, json={"name": "r"})
    assert_fault(resp, 403, "forbidden")


def test_snapshot_failure_deletes_the_image_and_records_why(cloud, demo, admin, glance,
                                                           server):
    host = admin.server(server)["OS-EXT-SRV-ATTR:host"]
    cloud.conf.set_override("fail_snapshot_hosts", [host], group="fake")
    try:
        image_id = demo.post("/servers/%s/backup_instance" % server,
                             json={"name": "doomed"}).json()["id"]
        _wait_image(glance, image_id, status=None)
        after = _wait_idle(demo, server)
    finally:
        cloud.conf.clear_override("fail_snapshot_hosts", group="fake")
    assert after["status"] == "ACTIVE"
    _assert_last_event_failed(demo, server, "Fake snapshot failure")


def _assert_last_event_failed(demo, server_id, fragment):
    actions = demo.get("/servers/%s/os-instance-actions" % server_id).json()["instanceActions"]
    request_id = actions[0]["request_id"]
    action = demo.get("/servers/%s/os-instance-actions/%s" % (server_id, request_id),
                      headers={"X-Auth-Token": "admin:demo"}).json()["instanceAction"]
    assert action["action"] == "backup_instance"
    assert action["events"][0]["result"] == "Error"
    assert fragment in action["events"][0]["traceback"]


class _BreaksAfter:
    """A disk file whose reading fails part way: the upload stream breaks mid-image."""

    def __init__(self, data, limit):
        self.data, self.left = data, limit

    def read(self, size=-1):
        if self.left <= 0:
            raise OSError("disk read error (injected)")
        chunk = self.data.read(min(size if size > 0 else 1 << 16, self.left))
        self.left -= len(chunk)
        return chunk


def test_upload_broken_mid_stream_serves_no_partial_image(cloud, demo, admin, glance,
                                                          monkeypatch):
    server_id = demo.boot("flaky")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    client = _manager_of(cloud, admin, server_id).image_cache.client
    real = client.upload
    monkeypatch.setattr(client, "upload",
                        lambda image_id, data: real(image_id, _BreaksAfter(data, 4096)))
    image_id = demo.post("/servers/%s/backup_instance" % server_id,
                         json={"name": "half"}).json()["id"]
    _wait_image(glance, image_id, status=None)
    assert _wait_idle(demo, server_id)["status"] == "ACTIVE"
    _assert_last_event_failed(demo, server_id, "injected")


def test_create_image_location_before_2_45_and_body_after(make_client, server, glance,
                                                          task_states):
    old = make_client("demo", "demo", "2.44")
    resp = old.post("/servers/%s/action" % server,
                    json={"createImage": {"name": "snap", "metadata": {"purpose": "ci"}}})
    assert resp.status_code == 202, resp.text
    assert not resp.content
    image_id = resp.headers["location"].rsplit("/", 1)[-1]
    uuid.UUID(image_id)
    image = _wait_image(glance, image_id)
    assert image["image_type"] == "snapshot" and image["purpose"] == "ci"
    _wait_idle(old, server)
    assert task_states == ["image_snapshot", "image_snapshot_pending",
                           "image_pending_upload", "image_uploading", None]
    new = make_client("demo", "demo", "2.45")
    # The caller's metadata wins, even over image_type (Nova's properties.update).
    resp = new.post("/servers/%s/action" % server, json={"createImage": {
        "name": "snap2", "metadata": {"image_type": "test"}}})
    assert resp.status_code == 202, resp.text
    assert "location" not in resp.headers
    assert _wait_image(glance, resp.json()["image_id"])["image_type"] == "test"
    _wait_idle(new, server)


def test_create_backup_rotates_the_oldest_of_its_type(demo, server, glance):
    def backup(name, backup_type, rotation):
        resp = demo.post("/servers/%s/action" % server, json={"createBackup": {
            "name": name, "backup_type": backup_type, "rotation": rotation}})
        assert resp.status_code == 202, resp.text
        image_id = resp.json()["image_id"]
        _wait_image(glance, image_id)
        _wait_idle(demo, server)
        return image_id

    weekly = backup("weekly-1", "weekly", 1)
    daily = [backup("daily-%d" % i, "daily", 2) for i in range(3)]
    _wait_image(glance, daily[0], status=None)  # the oldest daily is rotated out
    for image_id in daily[1:] + [weekly]:
        assert glance.get("/v2/images/" + image_id).json()["status"] == "active"
    assert glance.get("/v2/images/" + daily[1]).json()["backup_type"] == "daily"


def test_create_backup_bad_input(demo, server):
    for args, fragment in (({"name": "b", "backup_type": "daily"}, "rotation"),
                           ({"name": "b", "backup_type": "daily", "rotation": -1},
                            "rotation")):
        resp = demo.post("/servers/%s/action" % server, json={"createBackup": args})
        assert_fault(resp, 400, "badRequest", fragment)


def test_a_deleted_base_image_does_not_stop_a_backup(cloud, demo, glance):
    """Servers outlive their images; so do their backups."""
    resp = glance.post("/v2/images", json={"name": "ephemeral", "disk_format": "raw",
                                           "container_format": "bare"})
    image_id = resp.json()["id"]
    glance.put("/v2/images/%s/file" % image_id, content=b"\0" * 65536,
               headers={"Content-Type": "application/octet-stream"})
    server_id = demo.boot("orphan", imageRef=image_id)["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    assert glance.delete("/v2/images/" + image_id).status_code == 204
    backup = demo.post("/servers/%s/backup_instance" % server_id,
                       json={"name": "orphan-backup"}).json()["id"]
    image = _wait_image(glance, backup)
    assert image["base_image_ref"] == image_id
    assert guest_view(glance.get("/v2/images/%s/file" % backup).content) == b"\0" * 65536
