"""The image API's read side (Glance v2 wire format): what clients use to look up images."""

import hashlib

import httpx
import pytest

from novalite.cmd.serve import AllInOne
from novalite.image import demo
from tests.cloud import make_conf

TOKEN = {"X-Auth-Token": "demo:demo"}


@pytest.fixture(scope="module")
def glance(tmp_path_factory):
    aio = AllInOne(make_conf(tmp_path_factory.mktemp("state")), computes=1)
    aio.start_in_thread()
    with httpx.Client(base_url=aio.image_url, timeout=10) as client:
        yield client
    aio.stop()


def test_version_discovery_needs_no_token(glance):
    resp = glance.get("/")
    assert resp.status_code == 300
    current = resp.json()["versions"][0]
    assert current["status"] == "CURRENT"
    assert current["links"][0]["href"].endswith("/v2/")


def test_list_show_and_lookups(glance):
    resp = glance.get("/v2/images", headers=TOKEN)
    assert resp.status_code == 200
    body = resp.json()
    (image,) = body["images"]
    assert body["first"] == "/v2/images" and "next" not in body
    assert image["status"] == "active" and image["visibility"] == "public"
    assert image["os_distro"] == "cirros"  # custom properties are top-level keys
    assert glance.get("/v2/images/" + image["id"], headers=TOKEN).json()["id"] == image["id"]
    by_name = glance.get("/v2/images", params={"name": image["name"]}, headers=TOKEN)
    assert [i["id"] for i in by_name.json()["images"]] == [image["id"]]
    by_ids = glance.get("/v2/images", params={"id": "in:%s,%s" % (image["id"], "nope")},
                        headers=TOKEN)
    assert [i["id"] for i in by_ids.json()["images"]] == [image["id"]]
    # Name-or-id lookups ask for the name as an id first: that must be a plain 404.
    assert glance.get("/v2/images/" + image["name"], headers=TOKEN).status_code == 404


def test_paging_follows_next(glance):
    first = glance.get("/v2/images", params={"limit": 1}, headers=TOKEN).json()
    assert len(first["images"]) == 1 and first["next"].startswith("/v2/images?")
    second = glance.get(first["next"], headers=TOKEN).json()
    assert second["images"] == [] and "next" not in second


def test_token_required_and_bad_list_params(glance):
    assert glance.get("/v2/images").status_code == 401
    assert glance.post("/v2/images", json={"name": "x"}).status_code == 401
    assert glance.put("/v2/images", headers=TOKEN).status_code == 405
    assert glance.get("/v2/images", params={"limit": "x"}, headers=TOKEN).status_code == 400
    assert glance.get("/v2/images", params={"sort_key": "x"}, headers=TOKEN).status_code == 400


def test_demo_image_has_real_bytes(glance):
    (image,) = glance.get("/v2/images", headers=TOKEN).json()["images"]
    resp = glance.get(image["file"], headers=TOKEN)
    assert resp.status_code == 200
    data = resp.content
    assert data[:4] == b"QFI\xfb"  # a qcow2 disk, as its disk_format says
    assert len(data) == image["size"] == int(resp.headers["content-length"])
    assert hashlib.md5(data).hexdigest() == image["checksum"] == resp.headers["content-md5"]
    assert image["os_hash_algo"] == "sha512"
    assert hashlib.sha512(data).hexdigest() == image["os_hash_value"]
    assert image["virtual_size"] == demo.VIRTUAL_SIZE  # from the qcow2 header
