"""Images reach each compute host's cache over HTTP from the image API, once per host; the
instance disks are made from the cached base; a deleted image leaves its servers working."""

import hashlib
import os
import threading

import httpx
import pytest

from tests.cloud import Client
from tests.disks import disk_file_view
from tests.functional.helpers import client, running_cloud

DATA = b"a small raw disk\n" * 4096
TOKEN = {"X-Auth-Token": "demo:demo"}


def _upload(aio, data=DATA) -> str:
    """A private image of the demo project, uploaded through the image API."""
    with httpx.Client(base_url=aio.image_url, headers=TOKEN, timeout=30) as glance:
        resp = glance.post("/v2/images", json={"name": "cached", "disk_format": "raw",
                                               "container_format": "bare"})
        assert resp.status_code == 201, resp.text
        image_id = resp.json()["id"]
        resp = glance.put("/v2/images/%s/file" % image_id, content=data,
                          headers={"Content-Type": "application/octet-stream"})
        assert resp.status_code == 204, resp.text
        image = glance.get("/v2/images/" + image_id).json()
    assert image["status"] == "active"
    assert image["os_hash_value"] == hashlib.sha512(data).hexdigest()
    return image_id


def _count_downloads(aio) -> dict:
    """host -> images its cache downloaded, counted as the compute hosts run."""
    counts, lock = {}, threading.Lock()
    for svc in aio.services:
        if svc.binary != "novalite-compute":
            continue
        cache_client = svc.manager.image_cache.client
        real = cache_client.download

        def counted(image_id, meta, out, host=svc.host, real=real, **kwargs):
            with lock:
                counts.setdefault(host, []).append(image_id)
            return real(image_id, meta, out, **kwargs)

        cache_client.download = counted
    return counts


def _count_prepares(aio) -> list:
    """The hosts that tried to prepare an image, in order."""
    tried = []
    for host, manager in _managers(aio).items():
        real = manager.image_cache.prepare

        def counted(instance_uuid, image_id, host=host, real=real):
            tried.append(host)
            return real(instance_uuid, image_id)

        manager.image_cache.prepare = counted
    return tried


def _managers(aio) -> dict:
    return {s.host: s.manager for s in aio.services if s.binary == "novalite-compute"}


def _hosts(admin, servers) -> dict:
    return {s["id"]: admin.server(s["id"])["OS-EXT-SRV-ATTR:host"] for s in servers}


def test_one_host_downloads_once_and_a_deleted_image_leaves_servers_working(tmp_path):
    with running_cloud(tmp_path, computes=1) as aio:
        demo, admin = client(aio, "demo", "demo"), client(aio, "admin", "admin")
        image_id = _upload(aio)
        downloads = _count_downloads(aio)
        servers = [demo.boot(name="vm%d" % i, imageRef=image_id)["server"] for i in range(2)]
        for server in servers:
            demo.wait_for(server["id"], "ACTIVE")
        assert downloads == {"compute1": [image_id]}
        manager = _managers(aio)["compute1"]
        base = os.path.join(manager.image_cache.base_dir, image_id)
        assert os.listdir(manager.image_cache.base_dir) == [image_id]
        assert open(base, "rb").read() == DATA
        for server in servers:
            image = manager.driver.guests[server["id"]].image
            assert image.id == image_id and image.base_path == base
            assert image.meta["disk_format"] == "raw"
            assert image.disk_path == os.path.join(manager.image_cache.instances_path,
                                                   server["id"], "disk")
            # A qcow2 overlay over the base when qemu-img is installed, else a copy.
            assert disk_file_view(image.disk_path)[:len(DATA)] == DATA

        with httpx.Client(base_url=aio.image_url, headers=TOKEN, timeout=30) as glance:
            assert glance.delete("/v2/images/" + image_id).status_code == 204
            assert glance.get("/v2/images/" + image_id).status_code == 404
        first = servers[0]["id"]
        for action, status in (("reboot", "ACTIVE"), ("os-stop", "SHUTOFF"),
                               ("os-start", "ACTIVE")):
            body = {action: {"type": "SOFT"} if action == "reboot" else None}
            resp = demo.post("/servers/%s/action" % first, json=body)
            assert resp.status_code == 202, resp.text
            demo.wait_for(first, status)
        assert demo.get("/servers/%s" % first).json()["server"]["image"]["id"] == image_id

        # Deleting a server removes its directory; the base image stays.
        assert demo.delete("/servers/%s" % first).status_code == 204
        demo.wait_gone(first)
        assert not os.path.exists(os.path.join(manager.image_cache.instances_path, first))
        assert os.path.exists(base)
        # The periodic task keeps a base in use, and removes it once unused long enough.
        conf = aio.conf
        conf.set_override("remove_unused_base_images_age", 0, group="image_cache")
        assert manager.remove_unused_base_images() == []
        demo.delete("/servers/%s" % servers[1]["id"])
        demo.wait_gone(servers[1]["id"])
        os.utime(base, (1, 1))  # unused since long ago
        assert manager.remove_unused_base_images() == [image_id]
        assert os.listdir(manager.image_cache.base_dir) == []
        for c in (demo, admin):
            c.http.close()


def test_each_host_downloads_once(tmp_path):
    # Two m1.tiny (512 MiB) fit a host: four servers are two on each.
    with running_cloud(tmp_path, computes=2, **{"fake.memory_mb": 1024}) as aio:
        demo, admin = client(aio, "demo", "demo"), client(aio, "admin", "admin")
        image_id = _upload(aio)
        downloads = _count_downloads(aio)
        servers = [demo.boot(name="vm%d" % i, imageRef=image_id)["server"] for i in range(4)]
        for server in servers:
            demo.wait_for(server["id"], "ACTIVE")
        hosts = _hosts(admin, servers)
        assert sorted(hosts.values()) == ["compute1", "compute1", "compute2", "compute2"]
        assert downloads == {"compute1": [image_id], "compute2": [image_id]}
        for host, manager in _managers(aio).items():
            assert os.listdir(manager.image_cache.base_dir) == [image_id]
            assert manager.image_cache.instances_path == os.path.join(
                aio.conf.state_path, "hosts", host)
        for c in (demo, admin):
            c.http.close()


@pytest.mark.parametrize("fail_with", ["unreachable", "hash"])
def test_an_image_that_cannot_be_fetched_fails_the_build(tmp_path, fail_with):
    overrides = {"image_cache.image_api_url": "http://127.0.0.1:1"} \
        if fail_with == "unreachable" else {}
    with running_cloud(tmp_path, computes=2, **overrides) as aio:
        demo, admin = client(aio, "demo", "demo"), client(aio, "admin", "admin")
        image_id = _upload(aio)
        if fail_with == "hash":
            for manager in _managers(aio).values():
                real = manager.image_cache.client.download

                def corrupt(image_id, meta, out, real=real, **kwargs):
                    return real(image_id, dict(meta, os_hash_value="0" * 128), out, **kwargs)

                manager.image_cache.client.download = corrupt
        tried = _count_prepares(aio)
        server = demo.boot(imageRef=image_id)["server"]
        demo.wait_for(server["id"], "ERROR")
        fault = admin.server(server["id"])["fault"]
        assert image_id in fault["message"]
        assert ("ConnectFailure" if fail_with == "unreachable" else "hash mismatch") \
            in fault["message"], fault
        # A build failure, not a reschedule: one host tried, and its cache holds nothing.
        assert len(tried) == 1, tried
        for manager in _managers(aio).values():
            base_dir = manager.image_cache.base_dir
            assert not os.path.isdir(base_dir) or os.listdir(base_dir) == []
            assert not os.path.exists(os.path.join(manager.image_cache.instances_path,
                                                   server["id"]))
        for c in (demo, admin):
            c.http.close()



def test_real_tokens_the_service_user_fetches_the_demo_image(tmp_path):
    """With the embedded identity service, hosts fetch with the service user's token (its
    password given in-process by the all-in-one)."""
    with running_cloud(tmp_path, computes=1, **{"api.auth_strategy": "embedded"}) as aio:
        from keystoneauth1 import session as ks_session
        from keystoneauth1.identity import v3

        token = ks_session.Session(auth=v3.Password(
            auth_url=aio.identity_url, username="demo", password=aio.bootstrap.demo_password,
            project_name="demo", user_domain_name="Default", project_domain_name="Default")
        ).get_token()
        demo = Client(aio.compute_url)
        demo.http.headers["X-Auth-Token"] = token
        downloads = _count_downloads(aio)
        server = demo.boot()["server"]  # the seeded demo image, public
        demo.wait_for(server["id"], "ACTIVE")
        assert list(downloads) == ["compute1"] and len(downloads["compute1"]) == 1
        assert aio.bootstrap.service_password is not None
        demo.http.close()
