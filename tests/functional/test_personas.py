"""Nova's personas with real tokens from the identity service: a project reader can look
but not change, a project member can change their project's servers, an administrator
can do everything; nobody sees another project's servers."""

import httpx
import pytest
import yaml

from tests.functional.helpers import running_cloud


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("state"), computes=1,
                       **{"api.auth_strategy": "embedded"}) as aio:
        yield aio


def _token(keystone, user, password, project):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "password": password, "domain": {"name": "Default"}}}},
        "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}}
    resp = keystone.post("/v3/auth/tokens", json=body)
    assert resp.status_code == 201, resp.text
    return resp.headers["x-subject-token"]


@pytest.fixture(scope="module")
def tokens(cloud):
    """admin, member (demo) and reader tokens, plus a member of another project."""
    with open(cloud.bootstrap.clouds_yaml) as f:
        clouds = yaml.safe_load(f)["clouds"]
    with httpx.Client(base_url=cloud.identity_url.rsplit("/v3", 1)[0], timeout=30) as ks:
        admin = _token(ks, "admin", clouds["novalite-admin"]["auth"]["password"], "admin")
        headers = {"X-Auth-Token": admin}

        def one(collection, name):
            found = ks.get("/v3/%s" % collection, params={"name": name}, headers=headers)
            return found.json()[collection][0]["id"]

        demo_project = one("projects", "demo")
        other_project = ks.post("/v3/projects", headers=headers, json={
            "project": {"name": "other", "domain_id": "default"}}).json()["project"]["id"]
        for name, project, role in (("carol", demo_project, "reader"),
                                    ("olga", other_project, "member")):
            user = ks.post("/v3/users", headers=headers, json={"user": {
                "name": name, "password": name + "-secret-pw", "domain_id": "default"}})
            assert user.status_code == 201, user.text
            grant = ks.put("/v3/projects/%s/users/%s/roles/%s" % (
                project, user.json()["user"]["id"], one("roles", role)), headers=headers)
            assert grant.status_code == 204, grant.text
        return {
            "admin": admin,
            "member": _token(ks, "demo", clouds["novalite"]["auth"]["password"], "demo"),
            "reader": _token(ks, "carol", "carol-secret-pw", "demo"),
            "other": _token(ks, "olga", "olga-secret-pw", "other"),
        }


@pytest.fixture(scope="module")
def call(cloud, tokens):
    http = httpx.Client(base_url=cloud.compute_url, timeout=30)

    def call(persona, method, path, json=None):
        headers = {"OpenStack-API-Version": "compute 2.96"}
        if persona is not None:
            headers["X-Auth-Token"] = tokens[persona]
        return http.request(method, path, json=json, headers=headers)

    yield call
    http.close()


@pytest.fixture(scope="module")
def image_id(cloud, tokens):
    resp = httpx.get(cloud.image_url + "/v2/images", headers={"X-Auth-Token": tokens["member"]})
    return resp.json()["images"][0]["id"]


def _boot(call, image_id, persona, name):
    return call(persona, "POST", "/servers", {"server": {
        "name": name, "flavorRef": "1", "networks": "none", "imageRef": image_id}})


@pytest.fixture(scope="module")
def server(call, image_id):
    resp = _boot(call, image_id, "member", "owned")
    assert resp.status_code == 202, resp.text
    return resp.json()["server"]["id"]


def test_no_token_or_a_bad_one_is_401(cloud, call, tokens):
    assert call(None, "GET", "/servers").status_code == 401
    with httpx.Client() as raw:
        resp = raw.get(cloud.compute_url + "/servers",
                       headers={"X-Auth-Token": tokens["member"][:-4] + "AAAA"})
    assert resp.status_code == 401
    assert "unauthorized" in resp.json()


def test_reader_reads_but_cannot_change(call, server, image_id):
    assert call("reader", "GET", "/servers/%s" % server).status_code == 200
    assert [s["id"] for s in call("reader", "GET", "/servers").json()["servers"]] == [server]
    assert _boot(call, image_id, "reader", "nope").status_code == 403
    for method, path, body in (
            ("DELETE", "/servers/%s" % server, None),
            ("PUT", "/servers/%s" % server, {"server": {"name": "renamed"}}),
            ("POST", "/servers/%s/action" % server, {"reboot": {"type": "SOFT"}}),
            ("POST", "/servers/%s/action" % server, {"os-stop": None})):
        resp = call("reader", method, path, body)
        assert resp.status_code == 403, (method, path, resp.text)
        assert "forbidden" in resp.json()


def test_member_of_another_project_gets_404(call, server):
    for method, path in (("GET", "/servers/%s" % server), ("DELETE", "/servers/%s" % server)):
        assert call("other", method, path).status_code == 404
    assert call("other", "GET", "/servers").json()["servers"] == []


def test_member_changes_and_admin_sees_everything(call, server):
    resp = call("member", "PUT", "/servers/%s" % server, {"server": {"name": "renamed"}})
    assert resp.status_code == 200
    assert call("member", "GET", "/os-services").status_code == 403
    assert call("admin", "GET", "/os-services").status_code == 200
    listed = call("admin", "GET", "/servers?all_tenants=1").json()["servers"]
    assert server in [s["id"] for s in listed]
    shown = call("admin", "GET", "/servers/%s" % server).json()["server"]
    assert "OS-EXT-SRV-ATTR:host" in shown
    assert "OS-EXT-SRV-ATTR:host" not in call("member", "GET", "/servers/%s" % server
                                              ).json()["server"]
    assert call("member", "DELETE", "/servers/%s" % server).status_code == 204
