"""Uploads as they end badly or slowly: virtual sizes read while data streams, uploads a
dead process left `saving` (swept at start and periodically), slow clients kept alive by
the heartbeat, and a client that went silent for too long."""

import datetime
import os
import socket
import struct
import time
import urllib.parse

import httpx
import pytest

from novalite import context as nl_context
from novalite.cmd.serve import AllInOne
from novalite.db.models import images
from novalite.image import demo
from tests.cloud import make_conf

DEMO = {"X-Auth-Token": "demo:demo"}
OCTETS = {"Content-Type": "application/octet-stream"}
TIMEOUT = 2  # [image] stale_upload_timeout of these clouds, seconds


def _start(state_dir, **overrides):
    aio = AllInOne(make_conf(state_dir, **{"image.chunk_size": 64 * 1024, **overrides}),
                   computes=1)
    aio.start_in_thread()
    return aio


@pytest.fixture(scope="module")
def aio(tmp_path_factory):
    aio = _start(tmp_path_factory.mktemp("state"), **{"image.stale_upload_timeout": TIMEOUT})
    yield aio
    aio.stop()


@pytest.fixture(scope="module")
def glance(aio):
    with httpx.Client(base_url=aio.image_url, timeout=30) as client:
        yield client


def _create(glance, **body):
    body = {"name": "img", "disk_format": "raw", "container_format": "bare", **body}
    resp = glance.post("/v2/images", json=body, headers=DEMO)
    assert resp.status_code == 201, resp.text
    return resp.json()


def _qcow2_header(virtual_size: int) -> bytes:
    return struct.pack(">4sIQIIQ", b"QFI\xfb", 3, 0, 0, 16, virtual_size) + bytes(72)


def _store(aio) -> str:
    return os.path.join(aio.conf.state_path, "images")


def _parts(aio, image_id) -> list[str]:
    return [n for n in os.listdir(_store(aio)) if n.startswith(image_id)
            and n.endswith(".part")]


def _poll(get, until, bound=30):
    """get() until until(value); the bound only stops a hang, it asserts nothing."""
    deadline = time.monotonic() + bound
    while True:
        value = get()
        if until(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


@pytest.mark.parametrize("disk_format, data, expected", [
    ("qcow2", _qcow2_header(10 * 1024 ** 3) + os.urandom(70_000), 10 * 1024 ** 3),
    ("raw", b"r" * 100_000, 100_000),
    ("iso", b"i" * 3000, 3000),
    ("qcow2", b"not a qcow2 header" * 10, None),  # data unlike its format: unknown
    ("vmdk", b"KDMV" + bytes(1000), None),  # a header novalite does not read
])
def test_virtual_size_is_read_while_the_data_streams(glance, disk_format, data, expected):
    image = _create(glance, disk_format=disk_format)
    assert image["virtual_size"] is None  # nothing uploaded yet
    # In small pieces: the qcow2 header arrives split across several of them.
    pieces = [data[i:i + 7] for i in range(0, 63, 7)] + [data[63:]]
    resp = glance.put(image["file"], content=iter(pieces), headers={**DEMO, **OCTETS})
    assert resp.status_code == 204, resp.text
    shown = glance.get(image["self"], headers=DEMO).json()
    assert shown["size"] == len(data) and shown["virtual_size"] == expected
    listed = glance.get("/v2/images", params={"id": image["id"]}, headers=DEMO).json()
    assert listed["images"][0]["virtual_size"] == expected


def test_demo_image_reports_its_virtual_size(glance):
    (image,) = glance.get("/v2/images", params={"name": "cirros-0.6.2-x86_64-disk"},
                          headers=DEMO).json()["images"]
    assert image["virtual_size"] == demo.VIRTUAL_SIZE and image["size"] < demo.VIRTUAL_SIZE


def _crashed_upload(aio, glance):
    """An image left as a process that died mid-upload leaves it: `saving`, with a .part
    file, and nobody to finish or abort it."""
    image = _create(glance, name="crashed")
    upload = aio.compute_api.images.begin_upload(nl_context.get_admin_context(),
                                                 image["id"])
    upload.write(b"partial data")
    upload.staged._file.close()  # the process is gone; its file stays
    assert glance.get(image["self"], headers=DEMO).json()["status"] == "saving"
    assert len(_parts(aio, image["id"])) == 1
    return image


def test_an_abandoned_upload_is_swept_periodically(aio, glance):
    image = _crashed_upload(aio, glance)
    shown = _poll(lambda: glance.get(image["self"], headers=DEMO).json(),
                  lambda i: i["status"] != "saving")
    assert shown["status"] == "queued" and shown["size"] is None
    assert _parts(aio, image["id"]) == []
    # Ready for its data again.
    resp = glance.put(image["file"], content=b"whole", headers={**DEMO, **OCTETS})
    assert resp.status_code == 204
    assert glance.get(image["file"], headers=DEMO).content == b"whole"


def test_a_slow_but_live_upload_outlasts_the_timeout(glance, aio):
    image = _create(glance, name="slow")
    pieces = 4 * TIMEOUT * 2  # a piece every quarter second: two timeouts long

    def trickle():
        for _ in range(pieces):
            time.sleep(0.25)
            yield b"s" * 100

    resp = glance.put(image["file"], content=trickle(), headers={**DEMO, **OCTETS})
    assert resp.status_code == 204, resp.text
    shown = glance.get(image["self"], headers=DEMO).json()
    assert shown["status"] == "active" and shown["size"] == pieces * 100
    assert _parts(aio, image["id"]) == []


def test_a_client_silent_for_too_long_gets_a_conflict(glance, aio):
    image = _create(glance, name="silent")
    url = urllib.parse.urlsplit(aio.image_url)
    with socket.create_connection((url.hostname, url.port)) as sock:
        sock.sendall(("PUT /v2/images/%s/file HTTP/1.1\r\nHost: x\r\nX-Auth-Token: demo:demo"
                      "\r\nContent-Type: application/octet-stream\r\nContent-Length: 200000"
                      "\r\n\r\n" % image["id"]).encode() + b"x" * 100_000)
        assert _poll(lambda: glance.get(image["self"], headers=DEMO).json()["status"],
                     lambda s: s == "saving") == "saving"
        # The client goes quiet: the upload is given up on, its partial data removed.
        assert _poll(lambda: glance.get(image["self"], headers=DEMO).json()["status"],
                     lambda s: s != "saving") == "queued"
        assert _poll(lambda: _parts(aio, image["id"]), lambda p: p == []) == []
        # Someone else uploads meanwhile; the silent client's late data must not win.
        resp = glance.put(image["file"], content=b"new", headers={**DEMO, **OCTETS})
        assert resp.status_code == 204
        sock.sendall(b"y" * 100_000)
        sock.settimeout(30)
        answer = sock.recv(65536).decode("latin-1")
    assert answer.startswith("HTTP/1.1 409"), answer
    shown = glance.get(image["self"], headers=DEMO).json()
    assert shown["status"] == "active" and shown["size"] == 3
    assert glance.get(image["file"], headers=DEMO).content == b"new"


def test_a_restart_sweeps_what_a_crash_left(tmp_path):
    first = _start(tmp_path)  # the default timeout: a long one
    try:
        with httpx.Client(base_url=first.image_url, timeout=30) as glance:
            image = _crashed_upload(first, glance)
            assert first.conf.image.stale_upload_timeout == 300
    finally:
        first.stop()
    # The process died long ago: its last heartbeat is older than the timeout.
    with first.database.writer() as conn:
        conn.execute(images.update().where(images.c.id == image["id"]).values(
            updated_at=datetime.datetime(2020, 1, 1)))
    first.database.dispose()
    second = _start(tmp_path)
    try:
        with httpx.Client(base_url=second.image_url, timeout=30) as glance:
            # Swept before the API answered its first request.
            shown = glance.get(image["self"], headers=DEMO).json()
            assert shown["status"] == "queued"
            assert _parts(second, image["id"]) == []
            resp = glance.put(image["file"], content=b"again", headers={**DEMO, **OCTETS})
            assert resp.status_code == 204
    finally:
        second.stop()
