"""The image API's write side: create, upload, download, PATCH, tags, delete, visibility,
and bad input (always a 4xx, never a 500)."""

import hashlib
import os
import socket
import time
import urllib.parse

import httpx
import pytest

from novalite.cmd.serve import AllInOne
from tests.cloud import make_conf

DEMO = {"X-Auth-Token": "demo:demo"}
OTHER = {"X-Auth-Token": "alt:alt"}
ADMIN = {"X-Auth-Token": "admin:admin"}
OCTETS = {"Content-Type": "application/octet-stream"}
PATCH = {"Content-Type": "application/openstack-images-v2.1-json-patch"}


@pytest.fixture(scope="module")
def aio(tmp_path_factory):
    aio = AllInOne(make_conf(tmp_path_factory.mktemp("state"),
                             **{"image.chunk_size": 64 * 1024}), computes=1)
    aio.start_in_thread()
    yield aio
    aio.stop()


@pytest.fixture(scope="module")
def glance(aio):
    with httpx.Client(base_url=aio.image_url, timeout=30) as client:
        yield client


def _create(glance, headers=DEMO, **body):
    body = {"name": "img", "disk_format": "raw", "container_format": "bare", **body}
    resp = glance.post("/v2/images", json=body, headers=headers)
    assert resp.status_code == 201, resp.text
    return resp.json()


def _upload(glance, image_id, data, headers=DEMO):
    return glance.put("/v2/images/%s/file" % image_id, content=data,
                      headers={**headers, **OCTETS})


def test_round_trip_of_a_multi_megabyte_file(glance, aio):
    data = os.urandom(5 * 1024 * 1024 + 123)
    image = _create(glance, name="big", disk_format="qcow2", os_distro="cirros",
                    **{"owner_specified.openstack.md5": ""})
    assert image["status"] == "queued" and image["size"] is None
    assert image["checksum"] is None and image["os_hash_value"] is None
    assert image["os_distro"] == "cirros" and image["owner_specified.openstack.md5"] == ""
    assert glance.get(image["file"], headers=DEMO).status_code == 204  # no data yet
    assert _upload(glance, image["id"], data).status_code == 204
    shown = glance.get(image["self"], headers=DEMO).json()
    assert shown["status"] == "active" and shown["size"] == len(data)
    assert shown["checksum"] == hashlib.md5(data).hexdigest()
    assert shown["os_hash_algo"] == "sha512"
    assert shown["os_hash_value"] == hashlib.sha512(data).hexdigest()
    resp = glance.get(image["file"], headers=DEMO)
    assert resp.status_code == 200 and resp.content == data
    assert resp.headers["content-md5"] == shown["checksum"]
    assert resp.headers["content-type"] == "application/octet-stream"
    # Stored under the store directory, with no temporary files left behind.
    store = os.path.join(aio.conf.state_path, "images")
    assert os.path.getsize(os.path.join(store, image["id"])) == len(data)
    assert not [n for n in os.listdir(store) if n.endswith(".part")]
    # An active image takes no more data.
    assert _upload(glance, image["id"], b"more").status_code == 409


def test_chunked_upload(glance):
    image = _create(glance, name="chunked")
    pieces = [os.urandom(100_000) for _ in range(7)]
    resp = glance.put(image["file"], content=iter(pieces), headers={**DEMO, **OCTETS})
    assert resp.status_code == 204
    assert glance.get(image["file"], headers=DEMO).content == b"".join(pieces)


def test_patch_properties_and_core_attributes(glance):
    image = _create(glance, name="patchme", foo="1")
    ops = [{"op": "add", "path": "/bar", "value": "2"},
           {"op": "replace", "path": "/foo", "value": "3"},
           {"op": "replace", "path": "/name", "value": "patched"},
           {"op": "replace", "path": "/min_disk", "value": 2},
           {"op": "add", "path": "/tags", "value": ["a", "b"]},
           {"op": "add", "path": "/owner_specified.openstack~1object", "value": "x"}]
    resp = glance.patch(image["self"], json=ops, headers={**DEMO, **PATCH})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["bar"], body["foo"], body["name"], body["min_disk"]) == ("2", "3", "patched", 2)
    assert body["tags"] == ["a", "b"] and body["owner_specified.openstack/object"] == "x"
    resp = glance.patch(image["self"], json=[{"op": "remove", "path": "/bar"}],
                        headers={**DEMO, **PATCH})
    assert "bar" not in resp.json()
    bad = [([{"op": "remove", "path": "/bar"}], 409),  # already gone
           ([{"op": "replace", "path": "/nope", "value": "x"}], 409),
           ([{"op": "replace", "path": "/status", "value": "active"}], 403),
           ([{"op": "remove", "path": "/name"}], 403),
           ([{"op": "replace", "path": "/min_ram", "value": -1}], 400),
           ([{"op": "replace", "path": "/disk_format", "value": "floppy"}], 400),
           ([{"op": "add", "path": "/x", "value": 5}], 400),
           ([{"op": "move", "path": "/x"}], 400),
           ({"op": "add"}, 400)]
    for ops, status in bad:
        resp = glance.patch(image["self"], json=ops, headers={**DEMO, **PATCH})
        assert resp.status_code == status, (ops, resp.text)
    wrong_type = glance.patch(image["self"], json=[], headers={**DEMO,
                              "Content-Type": "application/json"})
    assert wrong_type.status_code == 415


def test_tags_and_list_filters(glance):
    tagged = _create(glance, name="tagged", tags=["x"])
    assert glance.put(tagged["self"] + "/tags/y", headers=DEMO).status_code == 204
    assert glance.get(tagged["self"], headers=DEMO).json()["tags"] == ["x", "y"]
    assert glance.delete(tagged["self"] + "/tags/x", headers=DEMO).status_code == 204
    assert glance.delete(tagged["self"] + "/tags/x", headers=DEMO).status_code == 404
    found = glance.get("/v2/images", params={"tag": "y"}, headers=DEMO).json()["images"]
    assert [i["id"] for i in found] == [tagged["id"]]
    sized = _create(glance, name="sized", container_format="ovf")
    _upload(glance, sized["id"], b"x" * 1000)
    listed = glance.get("/v2/images", params={"size_min": 1000, "size_max": 1000},
                        headers=DEMO).json()["images"]
    assert [i["id"] for i in listed] == [sized["id"]]
    listed = glance.get("/v2/images", params={"container_format": "in:ovf,ova"},
                        headers=DEMO).json()["images"]
    assert [i["id"] for i in listed] == [sized["id"]]
    by_name = glance.get("/v2/images", params={"sort_key": "name", "sort_dir": "asc",
                                               "name": "in:sized,tagged"},
                         headers=DEMO).json()["images"]
    assert [i["name"] for i in by_name] == ["sized", "tagged"]


def test_paging_with_a_sort_key(glance):
    for n in range(3):
        _create(glance, name="page-%d" % n, tags=["paging"])
    seen, url = [], "/v2/images?tag=paging&sort_key=name&sort_dir=asc&limit=2"
    while url:
        body = glance.get(url, headers=DEMO).json()
        seen += [i["name"] for i in body["images"]]
        url = body.get("next")
    assert seen == ["page-0", "page-1", "page-2"]


def test_delete_and_protected(glance):
    image = _create(glance, name="keep", protected=True)
    _upload(glance, image["id"], b"data")
    assert glance.delete(image["self"], headers=DEMO).status_code == 403
    resp = glance.patch(image["self"], json=[{"op": "replace", "path": "/protected",
                                              "value": False}], headers={**DEMO, **PATCH})
    assert resp.status_code == 200
    assert glance.delete(image["self"], headers=DEMO).status_code == 204
    assert glance.get(image["self"], headers=DEMO).status_code == 404
    assert glance.get(image["file"], headers=DEMO).status_code == 404
    assert glance.delete(image["self"], headers=DEMO).status_code == 404


def test_visibility_isolation(glance):
    private = _create(glance, name="mine", visibility="private")
    _upload(glance, private["id"], b"secret")
    for call in (glance.get(private["self"], headers=OTHER),
                 glance.get(private["file"], headers=OTHER),
                 glance.delete(private["self"], headers=OTHER),
                 _upload(glance, private["id"], b"x", headers=OTHER)):
        assert call.status_code == 404
    others = glance.get("/v2/images", headers=OTHER).json()["images"]
    assert private["id"] not in [i["id"] for i in others]
    assert glance.get(private["self"], headers=ADMIN).status_code == 200
    # Only admins publish; a public image of someone else is visible but not theirs.
    assert glance.post("/v2/images", json={
        "name": "pub", "visibility": "public"}, headers=DEMO).status_code == 403
    public = _create(glance, headers=ADMIN, name="pub", visibility="public")
    assert glance.get(public["self"], headers=OTHER).status_code == 200
    assert glance.delete(public["self"], headers=OTHER).status_code == 403
    community = _create(glance, name="comm", visibility="community")
    listed = glance.get("/v2/images", headers=OTHER).json()["images"]
    assert community["id"] not in [i["id"] for i in listed]
    listed = glance.get("/v2/images", params={"visibility": "community"},
                        headers=OTHER).json()["images"]
    assert community["id"] in [i["id"] for i in listed]


@pytest.mark.parametrize("body, status", [
    ({"disk_format": "floppy"}, 400), ({"container_format": "box"}, 400),
    ({"visibility": "everyone"}, 400), ({"min_ram": "big"}, 400), ({"protected": "yes"}, 400),
    ({"tags": "x"}, 400), ({"name": "n" * 256}, 400), ({"os_distro": 1}, 400),
    ({"status": "active"}, 403), ({"size": 5}, 403), ({"id": "not-a-uuid"}, 400),
])
def test_bad_create_bodies(glance, body, status):
    resp = glance.post("/v2/images", json=body, headers=DEMO)
    assert resp.status_code == status, resp.text


def test_bad_requests_are_4xx(glance):
    assert glance.post("/v2/images", content=b"{nope", headers=DEMO).status_code == 400
    assert glance.post("/v2/images", json=[1], headers=DEMO).status_code == 400
    image = _create(glance, name="dup")
    dup = glance.post("/v2/images", json={"id": image["id"]}, headers=DEMO)
    assert dup.status_code == 409
    no_formats = glance.post("/v2/images", json={"name": "nf"}, headers=DEMO).json()
    assert _upload(glance, no_formats["id"], b"x").status_code == 400
    wrong = glance.put(image["file"], content=b"x", headers={**DEMO,
                       "Content-Type": "application/json"})
    assert wrong.status_code == 400
    assert glance.get(image["file"], headers=DEMO).status_code == 204
    assert glance.get("/v2/images/%s/file" % ("0" * 8 + "-0000-0000-0000-" + "0" * 12),
                      headers=DEMO).status_code == 404
    assert glance.get("/v2/images", params={"marker": "nope"}, headers=DEMO).status_code == 400
    assert glance.get("/v2/images", params={"size_min": "x"}, headers=DEMO).status_code == 400
    assert glance.put(image["self"] + "/tags/" + "t" * 256, headers=DEMO).status_code == 400
    assert glance.get("/v2/images/cirros/file", headers=DEMO).status_code == 404
    assert glance.get("/v2/images", headers={"X-Auth-Token": ""}).status_code == 401


def test_schemas(glance):
    image = glance.get("/v2/schemas/image", headers=DEMO).json()
    assert image["name"] == "image" and "disk_format" in image["properties"]
    assert image["additionalProperties"] == {"type": "string"}
    images = glance.get("/v2/schemas/images", headers=DEMO).json()
    assert images["name"] == "images" and "images" in images["properties"]


def _wait_for_status(glance, url, leaving):
    """Poll until the image leaves a status (the server works asynchronously); a generous
    bound only stops a hang, it asserts nothing about time."""
    deadline = time.monotonic() + 30
    while True:
        status = glance.get(url, headers=DEMO).json()["status"]
        if status != leaving or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def test_truncated_upload_leaves_no_active_image(glance, aio):
    image = _create(glance, name="truncated")
    url = urllib.parse.urlsplit(aio.image_url)
    with socket.create_connection((url.hostname, url.port)) as sock:
        sock.sendall(("PUT /v2/images/%s/file HTTP/1.1\r\nHost: x\r\nX-Auth-Token: demo:demo"
                      "\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000"
                      "\r\n\r\n" % image["id"]).encode() + b"x" * 300_000)
        # Data is arriving: only then drop the connection, a third of the way in.
        assert _wait_for_status(glance, image["self"], "queued") == "saving"
    assert _wait_for_status(glance, image["self"], "saving") == "queued"
    shown = glance.get(image["self"], headers=DEMO).json()
    assert shown["size"] is None and shown["checksum"] is None
    assert glance.get(image["file"], headers=DEMO).status_code == 204
    store = os.path.join(aio.conf.state_path, "images")
    assert image["id"] not in os.listdir(store)
    assert not [n for n in os.listdir(store) if n.startswith(image["id"])]
    # The image can still take its data.
    assert _upload(glance, image["id"], b"complete").status_code == 204
    assert glance.get(image["file"], headers=DEMO).content == b"complete"


def test_nova_proxy_uses_the_same_rules(aio, glance):
    image = _create(glance, name="via-nova", protected=True)
    _upload(glance, image["id"], b"12345")
    nova = httpx.Client(base_url=aio.compute_url, headers=DEMO, timeout=30)
    shown = nova.get("/images/" + image["id"]).json()["image"]
    assert shown["status"] == "ACTIVE" and shown["OS-EXT-IMG-SIZE:size"] == 5
    assert nova.delete("/images/" + image["id"]).status_code == 403
    glance.patch(image["self"], json=[{"op": "replace", "path": "/protected", "value": False}],
                 headers={**DEMO, **PATCH})
    assert nova.delete("/images/" + image["id"]).status_code == 204
    assert glance.get(image["self"], headers=DEMO).status_code == 404
    assert image["id"] not in os.listdir(os.path.join(aio.conf.state_path, "images"))


def test_members_of_a_shared_image(glance):
    image = _create(glance, name="to-share")
    members = image["self"] + "/members"
    # Offered but not accepted: the member can show it, but does not list it.
    added = glance.post(members, json={"member": "alt"}, headers=DEMO)
    assert added.status_code == 200 and added.json()["status"] == "pending"
    assert glance.post(members, json={"member": "alt"}, headers=DEMO).status_code == 409
    assert glance.get(image["self"], headers=OTHER).status_code == 200
    assert image["id"] not in [i["id"] for i in glance.get(
        "/v2/images", headers=OTHER).json()["images"]]
    pending = glance.get("/v2/images", params={"member_status": "pending"}, headers=OTHER)
    assert image["id"] in [i["id"] for i in pending.json()["images"]]
    # Only the member answers.
    assert glance.put(members + "/alt", json={"status": "accepted"},
                      headers=DEMO).status_code == 403
    assert glance.put(members + "/alt", json={"status": "maybe"},
                      headers=OTHER).status_code == 400
    accepted = glance.put(members + "/alt", json={"status": "accepted"}, headers=OTHER)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert image["id"] in [i["id"] for i in glance.get(
        "/v2/images", headers=OTHER).json()["images"]]
    listed = glance.get(members, headers=DEMO).json()["members"]
    assert [(m["member_id"], m["status"]) for m in listed] == [("alt", "accepted")]
    # Not the member's to change or to give away.
    assert glance.delete(image["self"], headers=OTHER).status_code == 403
    assert glance.post(members, json={"member": "third"}, headers=OTHER).status_code == 403
    # A third project sees nothing; removing the member hides the image again.
    assert glance.get(image["self"], headers={"X-Auth-Token": "c:c"}).status_code == 404
    assert glance.delete(members + "/alt", headers=DEMO).status_code == 204
    assert glance.get(image["self"], headers=OTHER).status_code == 404
    assert glance.delete(members + "/alt", headers=DEMO).status_code == 404


def test_members_need_a_shared_image(glance):
    private = _create(glance, name="private", visibility="private")
    resp = glance.post(private["self"] + "/members", json={"member": "alt"}, headers=DEMO)
    assert resp.status_code == 403
    shared = _create(glance, name="shared")
    for body in ({}, {"member": 5}, [1], {"member": "demo"}):
        resp = glance.post(shared["self"] + "/members", json=body, headers=DEMO)
        assert resp.status_code == 400, body
    assert glance.get(shared["self"] + "/members/nobody", headers=DEMO).status_code == 404
    assert glance.get("/v2/images", params={"member_status": "x"},
                      headers=DEMO).status_code == 400


def test_deactivate_and_reactivate(glance):
    image = _create(glance, name="deact")
    assert glance.post(image["self"] + "/actions/deactivate",
                       headers=DEMO).status_code == 403  # queued: nothing to deactivate
    _upload(glance, image["id"], b"bytes")
    assert glance.post(image["self"] + "/actions/deactivate", headers=DEMO).status_code == 204
    assert glance.get(image["self"], headers=DEMO).json()["status"] == "deactivated"
    assert glance.get(image["file"], headers=DEMO).status_code == 403
    assert glance.get(image["file"], headers=ADMIN).content == b"bytes"
    assert glance.post(image["self"] + "/actions/reactivate", headers=DEMO).status_code == 204
    assert glance.get(image["file"], headers=DEMO).content == b"bytes"
    assert glance.get(image["self"] + "/actions/reactivate", headers=DEMO).status_code == 405


def test_the_v2_0_patch_format(glance):
    # Glance's first format, {"<op>": "<path>"}, which Tempest's client sends.
    image = _create(glance, name="old-patch")
    v20 = {**DEMO, "Content-Type": "application/openstack-images-v2.0-json-patch"}
    resp = glance.patch(image["self"], json=[{"replace": "/name", "value": "renamed"},
                                             {"add": "/os_distro", "value": "rhel"}],
                        headers=v20)
    assert resp.status_code == 200, resp.text
    assert (resp.json()["name"], resp.json()["os_distro"]) == ("renamed", "rhel")
    resp = glance.patch(image["self"], json=[{"remove": "/os_distro"}], headers=v20)
    assert "os_distro" not in resp.json()
    resp = glance.patch(image["self"], json=[{"replace": "/name", "add": "/x", "value": 1}],
                        headers=v20)
    assert resp.status_code == 400


def test_blank_image_id_tasks_and_import_discovery(glance):
    image = _create(glance, name="tasks")
    # "/v2/images/" names an image with a blank id: 404 for show and delete, as Glance.
    assert glance.get("/v2/images/", headers=DEMO).status_code == 404
    assert glance.delete("/v2/images/", headers=DEMO).status_code == 404
    resp = glance.get(image["self"] + "/tasks", headers=DEMO)
    assert resp.status_code == 200 and resp.json() == {"tasks": []}
    other = {"X-Auth-Token": "alice:other"}
    assert glance.get(image["self"] + "/tasks", headers=other).status_code == 404
    methods = glance.get("/v2/info/import", headers=DEMO).json()["import-methods"]
    assert methods["value"] == []  # no interoperable import: uploads are direct


def test_nova_proxy_filters_by_server_type_and_status(aio, glance):
    nova = httpx.Client(base_url=aio.compute_url, timeout=30,
                        headers={**DEMO, "OpenStack-API-Version": "compute 2.35"})
    plain = _create(glance, name="plain")
    _upload(glance, plain["id"], b"plain")
    snap = _create(glance, name="snap", instance_uuid="1c4d0a8e-0000-4000-8000-000000000001",
                   image_type="snapshot")
    _upload(glance, snap["id"], b"snap")

    def listed(**params):
        found = nova.get("/images/detail", params=params).json()["images"]
        return {i["id"] for i in found}

    by_server = listed(server="1c4d0a8e-0000-4000-8000-000000000001")
    assert by_server == {snap["id"]}
    assert listed(server="http://nova/v2.1/servers/1c4d0a8e-0000-4000-8000-000000000001") == \
        by_server
    assert snap["id"] in listed(type="snapshot") and plain["id"] not in listed(type="snapshot")
    assert {plain["id"], snap["id"]} <= listed(status="ACTIVE")
    assert plain["id"] not in listed(status="SAVING")


def test_only_an_admin_changes_the_owner(glance):
    image = _create(glance, name="moving")
    move = [{"op": "replace", "path": "/owner", "value": "other"}]
    assert glance.patch(image["self"], json=move, headers={**DEMO, **PATCH}).status_code == 403
    resp = glance.patch(image["self"], json=move, headers={**ADMIN, **PATCH})
    assert resp.status_code == 200 and resp.json()["owner"] == "other"
    assert glance.get(image["self"], headers={"X-Auth-Token": "alice:other"}).status_code == 200


def test_list_filters_on_additional_properties(glance):
    wanted = _create(glance, name="prop-a", backup_type="daily", image_type="backup")
    _create(glance, name="prop-b", backup_type="weekly", image_type="backup")
    resp = glance.get("/v2/images", headers=DEMO,
                      params={"backup_type": "daily", "image_type": "backup"})
    assert [i["id"] for i in resp.json()["images"]] == [wanted["id"]]
    resp = glance.get("/v2/images", headers=DEMO, params={"backup_type": "monthly"})
    assert resp.json()["images"] == []


def test_nova_image_metadata_proxy(aio, glance):
    image = _create(glance, name="meta", os_distro="cirros", arch="x86_64")
    nova = httpx.Client(base_url=aio.compute_url, timeout=30,
                        headers={**DEMO, "OpenStack-API-Version": "compute 2.38"})
    path = "/images/%s/metadata" % image["id"]
    assert nova.get(path).json() == {"metadata": {"os_distro": "cirros", "arch": "x86_64"}}
    resp = nova.post(path, json={"metadata": {"os_distro": "ubuntu", "extra": "1"}})
    assert resp.json() == {"metadata": {"os_distro": "ubuntu", "arch": "x86_64", "extra": "1"}}
    resp = nova.put(path, json={"metadata": {"only": "this"}})
    assert resp.json() == {"metadata": {"only": "this"}}
    assert glance.get(image["self"], headers=DEMO).json()["only"] == "this"
    assert nova.get(path + "/only").json() == {"meta": {"only": "this"}}
    assert nova.put(path + "/two", json={"meta": {"two": "2"}}).json() == {"meta": {"two": "2"}}
    assert nova.put(path + "/two", json={"meta": {"other": "2"}}).status_code == 400
    assert nova.put(path + "/two", json={"meta": {"two": "2", "x": "y"}}).status_code == 400
    assert nova.delete(path + "/two").status_code == 204
    assert nova.get(path + "/two").status_code == 404
    assert nova.delete(path + "/two").status_code == 404
    # Others' images are not theirs to change; from 2.39 the proxy is gone.
    other = httpx.Client(base_url=aio.compute_url, timeout=30,
                         headers={"X-Auth-Token": "alice:other",
                                  "OpenStack-API-Version": "compute 2.38"})
    assert other.post(path, json={"metadata": {"a": "b"}}).status_code == 404
    too_many = {"metadata": {"k%d" % n: "v" for n in range(129)}}
    assert nova.post(path, json=too_many).status_code == 403
    new = httpx.Client(base_url=aio.compute_url, timeout=30,
                       headers={**DEMO, "OpenStack-API-Version": "compute 2.39"})
    assert new.get(path).status_code == 404
