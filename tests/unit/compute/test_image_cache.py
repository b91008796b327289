"""The compute host's image cache against a local stub of Glance's two endpoints."""

import hashlib
import http.server
import json
import os
import stat
import threading
import uuid

import pytest
from keystoneauth1 import session as ks_session
from keystoneauth1 import token_endpoint

from novalite.compute.image_cache import ImageCache
from novalite.image.client import ImageClient, ImageDownloadError
from tests.disks import disk_file_view
from tests.unit.virt.libvirt_required import require_qemu_img

DATA = b"base image bytes\n" * 1000


class _Glance:
    """image id -> (metadata, data or None, status of GET .../file); counts downloads."""

    def __init__(self):
        self.images = {}
        self.downloads = {}
        self.tokens = set()
        self.barrier = None  # set to make concurrent builds meet after the metadata GET
        self.lock = threading.Lock()

    def add(self, data=DATA, status=200, **meta):
        image_id = str(uuid.uuid4())
        meta = {"id": image_id, "disk_format": "raw", "size": len(data) if data else None,
                "os_hash_algo": "sha512", "checksum": None,
                "os_hash_value": hashlib.sha512(data or b"").hexdigest(), **meta}
        self.images[image_id] = (meta, data, status)
        return image_id


def _handler(glance):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            glance.tokens.add(self.headers.get("X-Auth-Token"))
            parts = self.path.strip("/").split("/")  # v2 images <id> [file]
            meta, data, status = glance.images.get(parts[2], (None, None, 404))
            if meta is None:
                return self._send(404, b"")
            if len(parts) == 3:
                if glance.barrier is not None:
                    glance.barrier.wait(timeout=10)
                return self._send(200, json.dumps(meta).encode())
            with glance.lock:
                glance.downloads[meta["id"]] = glance.downloads.get(meta["id"], 0) + 1
            if status == "broken":  # promises more than it sends, then hangs up
                self.send_response(200)
                self.send_header("Content-Length", str(len(data) * 2))
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True
                return None
            self._send(status if data else 204, data or b"")

        def _send(self, status, body):
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def glance():
    stub = _Glance()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(stub))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    stub.url = "http://127.0.0.1:%d" % server.server_address[1]
    yield stub
    server.shutdown()
    server.server_close()


def _cache(tmp_path, glance, qemu_img=None):
    session = ks_session.Session(auth=token_endpoint.Token(glance.url, "admin:service"))
    return ImageCache(str(tmp_path / "host"), ImageClient(glance.url, session), qemu_img)


def _base_entries(cache):
    return sorted(os.listdir(cache.base_dir)) if os.path.isdir(cache.base_dir) else []


def test_concurrent_builds_download_once(tmp_path, glance):
    image_id = glance.add()
    cache = _cache(tmp_path, glance)
    builds = 6
    glance.barrier = threading.Barrier(builds)
    results, errors = {}, []

    def build(uuid_):
        try:
            results[uuid_] = cache.prepare(uuid_, image_id)
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=build, args=(str(uuid.uuid4()),)) for _ in range(builds)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert glance.downloads == {image_id: 1}
    assert glance.tokens == {"admin:service"}
    assert _base_entries(cache) == [image_id]
    for instance_uuid, info in results.items():
        assert info.base_path == os.path.join(cache.base_dir, image_id)
        assert info.disk_path == os.path.join(cache.instances_path, instance_uuid, "disk")
        assert open(info.disk_path, "rb").read() == DATA  # a copy without qemu-img
        assert info.meta["id"] == image_id and info.disk_format == "raw"


@pytest.mark.parametrize("meta", [
    {"os_hash_value": "0" * 128},
    {"os_hash_algo": None, "os_hash_value": None, "checksum": "0" * 32},
])
def test_hash_mismatch_leaves_nothing(tmp_path, glance, meta):
    image_id = glance.add(**meta)
    cache = _cache(tmp_path, glance)
    with pytest.raises(ImageDownloadError, match="%s.*hash mismatch" % image_id):
        cache.prepare(str(uuid.uuid4()), image_id)
    assert _base_entries(cache) == []


def test_md5_checksum_is_checked_when_no_multihash(tmp_path, glance):
    image_id = glance.add(os_hash_algo=None, os_hash_value=None,
                          checksum=hashlib.md5(DATA).hexdigest())
    cache = _cache(tmp_path, glance)
    cache.prepare(str(uuid.uuid4()), image_id)
    assert _base_entries(cache) == [image_id]


@pytest.mark.parametrize("status, reason", [
    (500, "the image API answered 500"),
    (200, "the image has no data"),  # GET .../file answers 204
    ("broken", ""),
])
def test_failed_download_leaves_nothing(tmp_path, glance, status, reason):
    image_id = glance.add(data=None if reason == "the image has no data" else DATA,
                          status=status)
    cache = _cache(tmp_path, glance)
    with pytest.raises(ImageDownloadError, match=image_id) as info:
        cache.prepare(str(uuid.uuid4()), image_id)
    assert reason in str(info.value)
    assert _base_entries(cache) == []
    # A later build tries again (nothing bad was cached).
    glance.images[image_id] = (glance.images[image_id][0], DATA, 200)
    glance.images[image_id][0]["size"] = len(DATA)
    glance.images[image_id][0]["os_hash_value"] = hashlib.sha512(DATA).hexdigest()
    cache.prepare(str(uuid.uuid4()), image_id)
    assert _base_entries(cache) == [image_id]


def test_unknown_image_and_bad_ids(tmp_path, glance):
    cache = _cache(tmp_path, glance)
    with pytest.raises(ImageDownloadError, match="answered 404"):
        cache.prepare(str(uuid.uuid4()), str(uuid.uuid4()))
    with pytest.raises(ImageDownloadError, match="not an image id"):
        cache.prepare(str(uuid.uuid4()), "../../etc")
    assert _base_entries(cache) == []


def test_unreachable_image_api(tmp_path, glance):
    session = ks_session.Session(auth=token_endpoint.Token(glance.url, "x:y"))
    cache = ImageCache(str(tmp_path / "host"), ImageClient("http://127.0.0.1:1", session), None)
    with pytest.raises(ImageDownloadError, match="ConnectFailure"):
        cache.prepare(str(uuid.uuid4()), str(uuid.uuid4()))


def test_overlay_with_qemu_img(tmp_path, glance):
    log = tmp_path / "qemu-img.log"
    script = tmp_path / "qemu-img"
    script.write_text('#!/bin/sh\necho "$@" > %s\necho overlay > "$8"\n' % log)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    qcow2 = glance.add(disk_format="qcow2")
    iso = glance.add(disk_format="iso")
    cache = _cache(tmp_path, glance, qemu_img=str(script))
    info = cache.prepare(str(uuid.uuid4()), qcow2)
    assert log.read_text().split() == ["create", "-f", "qcow2", "-b", info.base_path,
                                       "-F", "qcow2", info.disk_path]
    assert open(info.disk_path).read() == "overlay\n"
    # A format qemu-img is not used for is copied.
    info = cache.prepare(str(uuid.uuid4()), iso)
    assert open(info.disk_path, "rb").read() == DATA


def test_overlay_of_a_relative_host_directory_reads_its_base(tmp_path, glance, monkeypatch):
    """The default state directory is relative (./.novalite): the overlay must still name
    a backing file qemu-img finds (it resolves relative ones from the overlay's folder)."""
    qemu_img = require_qemu_img()
    monkeypatch.chdir(tmp_path)
    session = ks_session.Session(auth=token_endpoint.Token(glance.url, "admin:service"))
    cache = ImageCache(os.path.join(".novalite", "hosts", "h1"),
                       ImageClient(glance.url, session), qemu_img)
    info = cache.prepare(str(uuid.uuid4()), glance.add(disk_format="raw"))
    assert os.path.isabs(info.disk_path) and os.path.isabs(info.base_path)
    assert disk_file_view(info.disk_path).startswith(DATA)


def test_failed_overlay_fails_the_build(tmp_path, glance):
    script = tmp_path / "qemu-img"
    script.write_text("#!/bin/sh\necho 'bad backing file' >&2\nexit 1\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    cache = _cache(tmp_path, glance, qemu_img=str(script))
    with pytest.raises(ImageDownloadError, match="qemu-img create failed: bad backing file"):
        cache.prepare(str(uuid.uuid4()), glance.add(disk_format="qcow2"))


def test_instance_removal_keeps_the_base(tmp_path, glance):
    image_id = glance.add()
    cache = _cache(tmp_path, glance)
    instance_uuid = str(uuid.uuid4())
    info = cache.prepare(instance_uuid, image_id)
    cache.remove_instance(instance_uuid)
    assert not os.path.exists(os.path.dirname(info.disk_path))
    assert _base_entries(cache) == [image_id]
    cache.remove_instance(instance_uuid)  # again: not an error


def test_unused_bases_removed_by_age(tmp_path, glance):
    used, recent, old = glance.add(), glance.add(), glance.add()
    cache = _cache(tmp_path, glance)
    for image_id in (used, recent, old):
        cache.prepare(str(uuid.uuid4()), image_id)
    now = os.stat(os.path.join(cache.base_dir, used)).st_mtime
    day = 86400
    for image_id, age in ((used, 3 * day), (recent, day - 60), (old, day + 60)):
        path = os.path.join(cache.base_dir, image_id)
        os.utime(path, (now - age, now - age))
    # A download in progress (a temp file) is never touched.
    open(os.path.join(cache.base_dir, ".%s.tmp" % old), "w").close()
    assert cache.remove_unused({used}, day, now=now) == [old]
    assert _base_entries(cache) == sorted([".%s.tmp" % old, used, recent])
    # In use resets the clock: a day later `used` is kept though no longer in use.
    assert cache.remove_unused(set(), day, now=now + day - 1) == [recent]
    assert cache.remove_unused(set(), day, now=now + day + 1) == [used]


def test_no_cache_dir_yet(tmp_path, glance):
    assert _cache(tmp_path, glance).remove_unused(set(), 0) == []


def test_partial_downloads_removed_at_start(tmp_path, glance):
    image_id = glance.add()
    cache = _cache(tmp_path, glance)
    cache.remove_partial_downloads()  # no _base/ yet
    cache.prepare(str(uuid.uuid4()), image_id)
    open(os.path.join(cache.base_dir, ".%s.abc" % image_id), "w").close()
    cache.remove_partial_downloads()
    assert _base_entries(cache) == [image_id]
