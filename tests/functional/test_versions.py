"""Version documents, microversion negotiation and headers, request ids, URL prefixes."""

import httpx
import pytest

from novalite.api import microversion
from tests.functional.helpers import assert_fault, check_common_headers

MAX = microversion.fmt(microversion.MAX_VERSION)


@pytest.fixture(scope="module")
def raw(cloud):
    """A client that sends exactly the headers a test gives it."""
    root = cloud.compute_url.rsplit("/v2.1", 1)[0]
    with httpx.Client(base_url=root, timeout=30,
                      event_hooks={"response": [check_common_headers]}) as c:
        yield c


TOKEN = {"X-Auth-Token": "demo:demo"}


def test_root_lists_both_versions_without_a_token(raw):
    resp = raw.get("/")
    assert resp.status_code == 200
    versions = {v["id"]: v for v in resp.json()["versions"]}
    assert set(versions) == {"v2.0", "v2.1"}
    v21 = versions["v2.1"]
    assert v21["status"] == "CURRENT"
    assert (v21["min_version"], v21["version"]) == ("2.1", MAX)
    assert v21["links"][0]["href"] == str(raw.base_url).rstrip("/") + "/v2.1/"
    assert versions["v2.0"]["links"][0]["href"].endswith("/v2/")


@pytest.mark.parametrize("path", ["/v2.1", "/v2.1/"])
def test_v2_1_document_without_a_token(raw, path):
    resp = raw.get(path)
    assert resp.status_code == 200
    doc = resp.json()["version"]
    assert doc["id"] == "v2.1" and doc["status"] == "CURRENT"
    assert (doc["min_version"], doc["version"]) == ("2.1", MAX)
    assert doc["links"][0] == {"rel": "self",
                               "href": str(raw.base_url).rstrip("/") + "/v2.1/"}
    assert doc["media-types"][0]["base"] == "application/json"


def test_v2_1_document_with_a_token_too(raw):
    """novaclient fetches the endpoint with its token."""
    assert raw.get("/v2.1", headers=TOKEN).json()["version"]["version"] == MAX


def test_a_token_is_needed_for_everything_else(raw):
    assert_fault(raw.get("/v2.1/servers"), 401, "unauthorized")


def test_no_header_means_2_1(raw):
    resp = raw.get("/v2.1/flavors", headers=TOKEN)
    assert resp.status_code == 200
    assert resp.headers["openstack-api-version"] == "compute 2.1"
    assert resp.headers["x-openstack-nova-api-version"] == "2.1"
    assert "description" not in resp.json()["flavors"][0]  # a 2.55 field


@pytest.mark.parametrize("headers, expected", [
    ({"OpenStack-API-Version": "compute 2.55"}, "2.55"),
    ({"X-OpenStack-Nova-API-Version": "2.60"}, "2.60"),
    ({"OpenStack-API-Version": "compute 2.55", "X-OpenStack-Nova-API-Version": "2.3"}, "2.55"),
    ({"OpenStack-API-Version": "compute latest"}, MAX),
    ({"X-OpenStack-Nova-API-Version": "latest"}, MAX),
    ({"OpenStack-API-Version": "image 2.5, compute 2.70"}, "2.70"),
])
def test_requested_version_is_echoed(raw, headers, expected):
    resp = raw.get("/v2.1/flavors", headers={**TOKEN, **headers})
    assert resp.status_code == 200
    assert resp.headers["openstack-api-version"] == "compute " + expected
    assert resp.headers["x-openstack-nova-api-version"] == expected
    assert "description" in resp.json()["flavors"][0]


@pytest.mark.parametrize("value", ["2.200", "3.0", "2.0", "1.1"])
def test_unsupported_version_is_406_compute_fault(raw, value):
    resp = raw.get("/v2.1/servers", headers={**TOKEN, "OpenStack-API-Version": "compute " + value})
    assert_fault(resp, 406, "computeFault", "Version %s is not supported" % value,
                 "Minimum is 2.1 and maximum is %s" % MAX)


@pytest.mark.parametrize("value", ["2.x", "two", "2.05", "2", "2.1.1", "v2.1"])
def test_malformed_version_is_400(raw, value):
    resp = raw.get("/v2.1/servers", headers={**TOKEN, "X-OpenStack-Nova-API-Version": value})
    assert_fault(resp, 400, "badRequest", value)


def test_errors_carry_the_version_headers(raw):
    headers = {**TOKEN, "OpenStack-API-Version": "compute 2.42"}
    resp = raw.get("/v2.1/servers/nope", headers=headers)
    assert resp.status_code == 404
    assert resp.headers["openstack-api-version"] == "compute 2.42"
    assert resp.headers["x-openstack-nova-api-version"] == "2.42"


def test_request_ids_are_fresh_per_request(raw):
    first = raw.get("/v2.1/servers", headers=TOKEN).headers["x-openstack-request-id"]
    second = raw.get("/v2.1/servers", headers=TOKEN).headers["x-openstack-request-id"]
    assert first != second


def test_project_id_in_the_path(raw, cloud):
    demo = {**TOKEN, "OpenStack-API-Version": "compute 2.96"}
    body = {"server": {"name": "prefixed", "flavorRef": "1", "networks": "none",
                       "imageRef": raw.get("/v2.1/images", headers=TOKEN)
                       .json()["images"][0]["id"]}}
    resp = raw.post("/v2.1/demo/servers", json=body, headers=demo)
    assert resp.status_code == 202, resp.text
    server = resp.json()["server"]
    assert resp.headers["location"].endswith("/v2.1/demo/servers/" + server["id"])
    assert server["links"][0]["href"].endswith("/v2.1/demo/servers/" + server["id"])
    shown = raw.get("/v2.1/demo/servers/" + server["id"], headers=demo)
    assert shown.status_code == 200
    listed = raw.get("/v2.1/demo/servers", params={"limit": 1}, headers=demo).json()
    assert "/v2.1/demo/servers?" in listed["servers_links"][0]["href"]
    assert_fault(raw.get("/v2.1/other/servers", headers=demo), 400, "badRequest",
                 "other", "demo")


def test_legacy_v2_prefix_has_no_microversions(raw):
    resp = raw.get("/v2/demo/flavors", headers={**TOKEN, "OpenStack-API-Version":
                                                "compute 2.60"})
    assert resp.status_code == 200
    assert resp.headers["x-openstack-nova-api-version"] == "2.1"
    assert resp.json()["flavors"][0]["links"][0]["href"].endswith("/v2/demo/flavors/1")
    assert raw.get("/v2/flavors", headers=TOKEN).status_code == 200
    assert raw.get("/v2", headers=TOKEN).json()["version"]["id"] == "v2.0"


@pytest.mark.parametrize("path", ["/v2.1/nothing", "/v2.1/servers/1/nothing",
                                  "/v2.1/demo/nothing", "/v2.1/nothing/here/at/all",
                                  "/v3/servers"])
def test_unknown_paths_are_404(raw, path):
    resp = raw.get(path, headers=TOKEN)
    assert_fault(resp, 404, "itemNotFound")


@pytest.mark.parametrize("method, path, allowed", [
    ("DELETE", "/v2.1/servers", "GET, POST"),
    ("PATCH", "/v2.1/servers/x", "DELETE, GET, PUT"),
    ("GET", "/v2.1/servers/x/action", "POST"),
    ("POST", "/v2.1/servers/detail", "GET"),
    ("PUT", "/v2.1/demo/flavors", "GET, POST"),
])
def test_wrong_method_is_405_with_allow(raw, method, path, allowed):
    resp = raw.request(method, path, headers=TOKEN)
    assert_fault(resp, 405, "badMethod")
    assert resp.headers["allow"] == allowed


def test_head_is_get_without_a_body(raw):
    resp = raw.head("/v2.1/flavors", headers=TOKEN)
    assert resp.status_code == 200
    assert resp.content == b""
