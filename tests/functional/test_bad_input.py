"""Bad input of every kind gets a Nova-format 4xx naming what is wrong, never a 500."""

import json
import uuid

import pytest

from tests.functional.helpers import assert_fault

UNKNOWN = "11111111-2222-3333-4444-555555555555"


@pytest.fixture(scope="module")
def image_id(demo):
    return demo.image_id()


@pytest.fixture(scope="module")
def server_id(demo):
    server_id = demo.boot("target")["server"]["id"]
    demo.wait_for(server_id, "ACTIVE")
    return server_id


def _server(image_id, **fields):
    server = {"name": "bad", "imageRef": image_id, "flavorRef": "1", "networks": "auto"}
    server.update(fields)
    return {"server": {k: v for k, v in server.items() if v is not _DROP}}


_DROP = object()


# -- bodies that are not JSON objects -------------------------------------------------------

@pytest.mark.parametrize("content, fragments", [
    (b"{not json", ("Malformed request body",)),
    (b"", ("body",)),
    (b"\xff\xfe", ("Malformed request body",)),
])
def test_undecodable_bodies(demo, content, fragments):
    resp = demo.post("/servers", content=content,
                     headers={"content-type": "application/json"})
    assert_fault(resp, 400, "badRequest", *fragments)


@pytest.mark.parametrize("body", [[1, 2], "server", 42, None])
def test_json_that_is_not_an_object(demo, body):
    resp = demo.post("/servers", content=json.dumps(body).encode(),
                     headers={"content-type": "application/json"})
    message = assert_fault(resp, 400, "badRequest", "not of type 'object'")
    assert "field/attribute ." not in message


def test_xml_is_an_unsupported_media_type(demo, image_id):
    resp = demo.post("/servers", content=b"<server name='x'/>",
                     headers={"content-type": "application/xml"})
    assert_fault(resp, 415, "badMediaType", "Content-Type")


def test_text_plain_is_parsed_as_json(demo, image_id):
    resp = demo.post("/servers", content=json.dumps(_server(image_id, name="plain")).encode(),
                     headers={"content-type": "text/plain"})
    assert resp.status_code == 202, resp.text


def test_no_content_type_is_parsed_as_json(demo, image_id):
    resp = demo.post("/servers", content=json.dumps(_server(image_id, name="bare")).encode(),
                     headers={"content-type": ""})
    assert resp.status_code == 202, resp.text


# -- server create --------------------------------------------------------------------------

@pytest.mark.parametrize("fields, fragments", [
    ({"name": _DROP}, ("'name' is a required property",)),
    ({"flavorRef": _DROP}, ("'flavorRef' is a required property",)),
    ({"networks": _DROP}, ("'networks' is a required property",)),
    ({"name": "x" * 256}, ("server/name", "too long")),
    ({"name": ""}, ("server/name",)),
    ({"name": " leading"}, ("server/name", " leading")),
    ({"name": "trailing "}, ("server/name",)),
    ({"name": "bell\x07"}, ("server/name",)),
    ({"name": 42}, ("server/name", "not of type 'string'")),
    ({"imageRef": "not-a-uuid"}, ("imageRef",)),
    ({"imageRef": ""}, ("imageRef",)),
    ({"imageRef": UNKNOWN}, ("image",)),
    ({"flavorRef": "999"}, ("Flavor 999 could not be found",)),
    ({"flavorRef": ""}, ("server/flavorRef",)),
    ({"min_count": 0}, ("server/min_count", "0")),
    ({"min_count": "abc"}, ("server/min_count", "abc")),
    ({"max_count": -1}, ("server/max_count",)),
    ({"min_count": 3, "max_count": 2}, ("min_count", "max_count")),
    ({"networks": "everything"}, ("server/networks", "everything")),
    ({"networks": 5}, ("server/networks",)),
    ({"networks": [{"uuid": "no-such-net"}]}, ("no-such-net",)),
    ({"networks": [{"port": "not-a-uuid"}]}, ("server/networks/0/port", "not-a-uuid")),
    ({"networks": [{"fixed_ip": "10.0.0.300"}]}, ("fixed_ip", "10.0.0.300")),
    ({"networks": [{"bogus": 1}]}, ("bogus",)),
    ({"availability_zone": "atlantis"}, ("availability zone",)),
    ({"availability_zone": ""}, ("server/availability_zone",)),
    ({"metadata": "tall"}, ("server/metadata", "tall")),
    ({"metadata": {"height": 2}}, ("server/metadata/height",)),
    ({"metadata": {"": "empty key"}}, ("server/metadata",)),
    ({"metadata": {"k": "v" * 256}}, ("server/metadata/k", "too long")),
    ({"user_data": "%%% not base64"}, ("server/user_data",)),
    ({"accessIPv4": "300.1.1.1"}, ("server/accessIPv4", "300.1.1.1")),
    ({"config_drive": "maybe"}, ("server/config_drive", "maybe")),
    ({"key_name": "missing-key"}, ("key_name",)),
    ({"security_groups": [{"name": "web"}]}, ("Security group web not found",)),
    ({"OS-DCF:diskConfig": "SOMETIMES"}, ("OS-DCF:diskConfig", "SOMETIMES")),
    ({"flavour": "1"}, ("flavour",)),
    ({"tags": ["a/b"]}, ("server/tags/0", "a/b")),
    ({"block_device_mapping_v2": [{"source_type": "volume", "uuid": UNKNOWN,
                                   "destination_type": "volume", "boot_index": 0}]},
     ("volume",)),
])
def test_bad_create_bodies(demo, image_id, fields, fragments):
    resp = demo.post("/servers", json=_server(image_id, **fields))
    assert_fault(resp, 400, "badRequest", *fragments)


def test_missing_server_key(demo):
    assert_fault(demo.post("/servers", json={"name": "x"}), 400, "badRequest", "'server'")


def test_unknown_top_level_key(demo, image_id):
    body = {**_server(image_id), "extra": True}
    assert_fault(demo.post("/servers", json=body), 400, "badRequest", "extra")


# -- server show, update, actions -----------------------------------------------------------

@pytest.mark.parametrize("server", ["not-a-uuid", UNKNOWN, "1", "%20"])
def test_show_unknown_or_malformed_id_is_404(demo, server):
    assert_fault(demo.get("/servers/" + server), 404, "itemNotFound")


@pytest.mark.parametrize("body, fragments", [
    ({"server": {"name": ""}}, ("server/name",)),
    ({"server": {"name": "x" * 256}}, ("server/name",)),
    ({"server": {"flavorRef": "2"}}, ("flavorRef",)),
    ({"server": {"description": "d" * 256}}, ("server/description",)),
    ({"server": "renamed"}, ("server", "renamed")),
    ({}, ("'server'",)),
])
def test_bad_updates(demo, server_id, body, fragments):
    assert_fault(demo.put("/servers/" + server_id, json=body), 400, "badRequest", *fragments)


@pytest.mark.parametrize("body, fragments", [
    ({"explode": None}, ("There is no such action: explode",)),
    ({"reboot": {}}, ("reboot", "'type' is a required property")),
    ({"reboot": {"type": "GENTLE"}}, ("reboot/type", "GENTLE")),
    ({"reboot": None}, ("reboot",)),
    ({"reboot": {"type": "SOFT"}, "os-stop": None}, ("more than one",)),
    ({}, ("no action",)),
    ([], ("no action",)),
    ({"lock": {"locked_reason": 5}}, ("lock/locked_reason",)),
    ({"lock": "now"}, ("lock",)),
    ({"os-resetState": {"state": 1}}, ("os-resetState/state",)),
    ({"os-resetState": None}, ("os-resetState",)),
    ({"trigger_crash_dump": "now"}, ("trigger_crash_dump",)),
    ({"rebuild": None}, ("rebuild",)),
    ({"rebuild": {"imageRef": 7}}, ("rebuild/imageRef",)),
    ({"rebuild": {"imageRef": UNKNOWN, "name": "x" * 256}}, ("rebuild/name",)),
    ({"rebuild": {"imageRef": UNKNOWN, "metadata": {"k": 1}}}, ("rebuild/metadata",)),
    ({"rebuild": {"imageRef": UNKNOWN, "metadata": "k"}}, ("rebuild/metadata",)),
    ({"rebuild": {"imageRef": UNKNOWN, "user_data": "%%%"}}, ("rebuild/user_data",)),
    ({"rebuild": {"imageRef": UNKNOWN, "hostname": "bad host"}}, ("rebuild/hostname",)),
    ({"rebuild": {"imageRef": UNKNOWN, "accessIPv4": "300.1.1.1"}},
     ("rebuild/accessIPv4",)),
    ({"rebuild": {"imageRef": UNKNOWN, "extra": 1}}, ("extra",)),
    ({"rebuild": {"imageRef": UNKNOWN}}, ("Cannot find requested image",)),
])
def test_bad_actions(demo, server_id, body, fragments):
    resp = demo.post("/servers/%s/action" % server_id, json=body)
    assert_fault(resp, 400, "badRequest", *fragments)


@pytest.mark.parametrize("body", [
    {"os-start": None}, {"pause": None}, {"unpause": None}, {"suspend": None},
    {"resume": None}, {"lock": None}, {"unlock": None}, {"restore": None},
    {"forceDelete": None}, {"trigger_crash_dump": None},
    {"rebuild": {"imageRef": UNKNOWN}}])
def test_action_on_unknown_server_is_404(demo, body):
    resp = demo.post("/servers/%s/action" % UNKNOWN, json=body)
    assert_fault(resp, 404, "itemNotFound", UNKNOWN)


def test_malformed_json_action_is_400(demo, server_id):
    resp = demo.post("/servers/%s/action" % server_id, content=b'{"pause": ',
                     headers={"content-type": "application/json"})
    assert_fault(resp, 400, "badRequest")


# -- query strings --------------------------------------------------------------------------

@pytest.mark.parametrize("path, params, fragments", [
    ("/servers", {"limit": "-1"}, ("limit",)),
    ("/servers", {"limit": "abc"}, ("limit",)),
    ("/servers/detail", {"limit": "1.5"}, ("limit",)),
    ("/servers", {"changes-since": "garbage"}, ("changes-since",)),
    ("/servers", {"changes-before": "yesterday"}, ("changes-before",)),
    ("/servers", {"changes-since": "2026-01-02T00:00:00Z",
                  "changes-before": "2026-01-01T00:00:00Z"}, ("changes-since", "changes-before")),
    ("/servers", {"sort_dir": "sideways"}, ("sort_dir", "sideways")),
    ("/servers", {"sort_key": "shoe_size"}, ("sort_key", "shoe_size")),
    ("/servers", {"name": "(["}, ("name", "([")),
    ("/servers", {"status": "SIDEWAYS"}, ("status",)),
    ("/servers", {"locked": "perhaps"}, ("locked", "perhaps")),
    ("/servers", {"marker": "nowhere"}, ("marker [nowhere] not found",)),
    ("/flavors", {"is_public": "maybe"}, ("is_public", "maybe")),
    ("/flavors", {"minRam": "lots"}, ("minRam", "lots")),
    ("/flavors/detail", {"sort_dir": "up"}, ("sort_dir", "up")),
    ("/flavors", {"marker": "nowhere"}, ("marker [nowhere] not found",)),
    ("/flavors", {"limit": "-5"}, ("limit",)),
])
def test_bad_query_values(demo, path, params, fragments):
    assert_fault(demo.get(path, params=params), 400, "badRequest", *fragments)


def test_unknown_route_and_wrong_method(demo, server_id):
    assert_fault(demo.get("/no-such-thing"), 404, "itemNotFound")
    assert_fault(demo.get("/servers/%s/no-such-thing" % server_id), 404, "itemNotFound")
    resp = demo.put("/servers", json={})
    assert_fault(resp, 405, "badMethod")
    assert resp.headers["allow"] == "GET, POST"


# -- flavors --------------------------------------------------------------------------------

@pytest.mark.parametrize("flavor, fragments", [
    ({"ram": 64, "vcpus": 1, "disk": 1}, ("'name' is a required property",)),
    ({"name": "f", "vcpus": 1, "disk": 1}, ("'ram' is a required property",)),
    ({"name": "f", "ram": 0, "vcpus": 1, "disk": 1}, ("flavor/ram",)),
    ({"name": "f", "ram": 64, "vcpus": "many", "disk": 1}, ("flavor/vcpus", "many")),
    ({"name": "f", "ram": 64, "vcpus": 1, "disk": -1}, ("flavor/disk",)),
    ({"name": " f", "ram": 64, "vcpus": 1, "disk": 1}, ("flavor/name",)),
    ({"name": "f", "ram": 64, "vcpus": 1, "disk": 1, "id": "a/b"}, ("flavor/id", "a/b")),
    ({"name": "f", "ram": 64, "vcpus": 1, "disk": 1, "swap": -1}, ("flavor/swap",)),
    ({"name": "f", "ram": 64, "vcpus": 1, "disk": 1, "os-flavor-access:is_public": "sure"},
     ("is_public", "sure")),
    ({"name": "f", "ram": 64, "vcpus": 1, "disk": 1, "colour": "red"}, ("colour",)),
])
def test_bad_flavor_bodies(admin, flavor, fragments):
    assert_fault(admin.post("/flavors", json={"flavor": flavor}), 400, "badRequest",
                 *fragments)


@pytest.mark.parametrize("path, body, fragments", [
    ("/flavors/1/os-extra_specs", {"extra_specs": {"hw:cpu": {"nested": 1}}},
     ("extra_specs/hw:cpu",)),
    ("/flavors/1/os-extra_specs", {"extra_specs": "x"}, ("extra_specs",)),
    ("/flavors/1/os-extra_specs", {"specs": {}}, ("'extra_specs' is a required",)),
    ("/flavors/1/os-extra_specs/a", {"b": "1"}, ("mismatch",)),
    ("/flavors/1/os-extra_specs/a", {"a": "1", "b": "2"}, ("request body",)),
])
def test_bad_extra_specs(admin, path, body, fragments):
    method = admin.post if path.endswith("os-extra_specs") else admin.put
    assert_fault(method(path, json=body), 400, "badRequest", *fragments)


def test_unknown_flavor_and_extra_spec_are_404(admin):
    assert_fault(admin.get("/flavors/nope"), 404, "itemNotFound", "nope")
    assert_fault(admin.get("/flavors/nope/os-extra_specs"), 404, "itemNotFound", "nope")
    assert_fault(admin.get("/flavors/1/os-extra_specs/missing"), 404, "itemNotFound",
                 "missing")
    assert_fault(admin.delete("/flavors/1/os-extra_specs/missing"), 404, "itemNotFound",
                 "missing")
    assert_fault(admin.delete("/flavors/%s" % uuid.uuid4()), 404, "itemNotFound")


def test_nul_in_the_url_is_a_400(demo):
    resp = demo.get("/servers/%00abc")
    assert resp.status_code == 400 and "NUL" in resp.json()["badRequest"]["message"]
    resp = demo.get("/servers", params={"name": "a\x00b"})
    assert resp.status_code == 400
