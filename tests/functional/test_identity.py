"""The identity API (Keystone v3 subset) over real HTTP, and the real keystoneauth1 library
against it. The cloud authenticates compute requests with its tokens (auth_strategy
embedded)."""

import datetime
import logging
import os
import re
import stat

import httpx
import pytest
import yaml
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3 as ks_v3

from novalite.identity import tokens
from novalite.objects.base import utcnow
from tests.functional.helpers import running_cloud

ISO_US_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
GENERIC_401 = "The request you have made requires authentication."
CLIENT_LOGGERS = {"httpx", "httpcore", "keystoneauth1"}


@pytest.fixture(scope="module")
def cloud(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("state"), computes=1,
                       **{"api.auth_strategy": "embedded"}) as aio:
        yield aio


@pytest.fixture(scope="module")
def keystone(cloud):
    with httpx.Client(base_url=cloud.identity_url.rsplit("/v3", 1)[0], timeout=30) as c:
        yield c


@pytest.fixture(scope="module")
def clouds_yaml(cloud):
    with open(cloud.bootstrap.clouds_yaml) as f:
        return yaml.safe_load(f)["clouds"]


@pytest.fixture(scope="module")
def admin_password(clouds_yaml):
    return clouds_yaml["novalite-admin"]["auth"]["password"]


@pytest.fixture(scope="module")
def demo_password(clouds_yaml):
    return clouds_yaml["novalite"]["auth"]["password"]


def auth_body(user, password, project=None, scope=None, user_key="name", project_key="name",
              domain={"name": "Default"}):  # noqa: B006 (never modified)
    user_ref = {user_key: user, "password": password}
    if user_key == "name":
        user_ref["domain"] = domain
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": user_ref}}}}
    if project is not None:
        project_ref = {project_key: project}
        if project_key == "name":
            project_ref["domain"] = domain
        body["auth"]["scope"] = {"project": project_ref}
    elif scope is not None:
        body["auth"]["scope"] = scope
    return body


def issue(keystone, *args, expect=201, params=None, **kwargs):
    resp = keystone.post("/v3/auth/tokens", json=auth_body(*args, **kwargs), params=params)
    assert resp.status_code == expect, resp.text
    return resp


@pytest.fixture(scope="module")
def admin_token(keystone, admin_password):
    return issue(keystone, "admin", admin_password, "admin").headers["x-subject-token"]


@pytest.fixture(scope="module")
def demo_token(keystone, demo_password):
    return issue(keystone, "demo", demo_password, "demo").headers["x-subject-token"]


def as_(token):
    return {"X-Auth-Token": token}


def assert_keystone_error(resp, status, title):
    assert resp.status_code == status, resp.text
    error = resp.json()["error"]
    assert (error["code"], error["title"]) == (status, title)
    assert error["message"]
    return error["message"]


# -- discovery ---------------------------------------------------------------------------------

def test_root_lists_v3_without_a_token(keystone, cloud):
    resp = keystone.get("/")
    assert resp.status_code == 300
    (v3,) = resp.json()["versions"]["values"]
    assert v3["id"].startswith("v3.") and v3["status"] == "stable"
    assert v3["links"] == [{"rel": "self", "href": cloud.identity_url + "/"}]
    assert v3["media-types"][0]["type"] == "application/vnd.openstack.identity-v3+json"
    assert resp.headers["x-openstack-request-id"].startswith("req-")


@pytest.mark.parametrize("path", ["/v3", "/v3/"])
def test_v3_document_without_a_token(keystone, cloud, path):
    resp = keystone.get(path)
    assert resp.status_code == 200
    version = resp.json()["version"]
    assert version["status"] == "stable" and version["updated"]
    assert version["links"][0]["href"] == cloud.identity_url + "/"


def test_unknown_paths_and_methods(keystone, admin_token):
    assert_keystone_error(keystone.get("/v2.0"), 404, "Not Found")
    assert_keystone_error(keystone.get("/v3/nothing", headers=as_(admin_token)), 404,
                          "Not Found")
    resp = keystone.put("/v3/projects", headers=as_(admin_token))
    assert_keystone_error(resp, 405, "Method Not Allowed")


# -- issuing tokens ----------------------------------------------------------------------------

def test_token_scoped_by_project_name(keystone, cloud, admin_password):
    resp = issue(keystone, "admin", admin_password, "admin")
    assert resp.headers["x-subject-token"].startswith("gAAAAA")
    assert resp.headers["x-openstack-request-id"].startswith("req-")
    token = resp.json()["token"]
    assert ISO_US_Z.match(token["expires_at"]) and ISO_US_Z.match(token["issued_at"])
    expires = datetime.datetime.strptime(token["expires_at"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert expires - utcnow() > datetime.timedelta(hours=11)  # clients re-auth within 30 s
    assert token["methods"] == ["password"]
    assert token["user"]["name"] == "admin"
    assert token["user"]["domain"] == {"id": "default", "name": "Default"}
    assert token["user"]["password_expires_at"] is None
    assert token["project"]["name"] == "admin"
    assert token["project"]["domain"] == {"id": "default", "name": "Default"}
    assert token["is_domain"] is False
    assert sorted(r["name"] for r in token["roles"]) == ["admin", "manager", "member", "reader"]
    assert all(r["id"] for r in token["roles"])
    assert len(token["audit_ids"]) == 1


def test_the_catalog(keystone, cloud, admin_password):
    catalog = issue(keystone, "admin", admin_password, "admin").json()["token"]["catalog"]
    by_type = {s["type"]: s for s in catalog}
    assert set(by_type) == {"identity", "compute", "image", "ec2", "network"}
    expected = {"identity": cloud.identity_url, "compute": cloud.compute_url,
                "image": cloud.image_url, "ec2": cloud.ec2_url,
                "network": cloud.network_url}
    for service_type, service in by_type.items():
        assert service["id"] and service["name"]
        endpoints = service["endpoints"]
        assert sorted(e["interface"] for e in endpoints) == ["admin", "internal", "public"]
        for endpoint in endpoints:
            assert endpoint["url"] == expected[service_type]
            assert endpoint["region"] == endpoint["region_id"] == "RegionOne"


def test_nocatalog(keystone, admin_password):
    resp = issue(keystone, "admin", admin_password, "admin", params={"nocatalog": ""})
    assert "catalog" not in resp.json()["token"]
    assert resp.json()["token"]["project"]["name"] == "admin"


def test_token_by_ids_and_domain_id(keystone, demo_password):
    first = issue(keystone, "demo", demo_password, "demo").json()["token"]
    resp = issue(keystone, first["user"]["id"], demo_password, first["project"]["id"],
                 user_key="id", project_key="id")
    assert resp.json()["token"]["project"]["name"] == "demo"
    resp = issue(keystone, "demo", demo_password, "demo", domain={"id": "default"})
    assert sorted(r["name"] for r in resp.json()["token"]["roles"]) == ["member", "reader"]


def test_unscoped_token(keystone, demo_password):
    token = issue(keystone, "demo", demo_password, scope="unscoped").json()["token"]
    assert "project" not in token and "catalog" not in token
    assert token["user"]["name"] == "demo"


def test_rescoping_with_the_token_method(keystone, demo_password):
    unscoped = issue(keystone, "demo", demo_password, scope="unscoped")
    parent = unscoped.json()["token"]
    body = {"auth": {"identity": {"methods": ["token"],
                                  "token": {"id": unscoped.headers["x-subject-token"]}},
                     "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}}
    resp = keystone.post("/v3/auth/tokens", json=body)
    assert resp.status_code == 201, resp.text
    token = resp.json()["token"]
    assert token["project"]["name"] == "demo"
    assert token["methods"] == ["password", "token"]
    assert token["expires_at"] == parent["expires_at"]
    assert token["audit_ids"][1] == parent["audit_ids"][0]


def test_wrong_password_and_unknown_user_get_the_same_401(keystone, admin_password):
    wrong = issue(keystone, "admin", admin_password + "x", "admin", expect=401)
    unknown = issue(keystone, "nobody-here", admin_password, "admin", expect=401)
    assert wrong.json() == unknown.json()
    assert assert_keystone_error(wrong, 401, "Unauthorized") == GENERIC_401
    assert "x-subject-token" not in wrong.headers
    assert wrong.headers["www-authenticate"].startswith("Keystone uri=")


def test_no_role_on_the_project_is_401(keystone, demo_password):
    assert_keystone_error(issue(keystone, "demo", demo_password, "admin", expect=401), 401,
                          "Unauthorized")


@pytest.mark.parametrize("body", [
    {}, {"auth": {}}, {"auth": {"identity": {"methods": ["password"]}}},
    {"auth": {"identity": {"methods": ["password"],
                           "password": {"user": {"name": "admin", "password": "x"}}}}},
    {"auth": {"identity": {"methods": ["password"],
                           "password": {"user": {"name": "admin", "password": 12345678,
                                                 "domain": {"id": "default"}}}}}},
])
def test_malformed_auth_requests_are_400_without_echoing_values(keystone, body):
    resp = keystone.post("/v3/auth/tokens", json=body)
    message = assert_keystone_error(resp, 400, "Bad Request")
    assert "12345678" not in message


# -- validating and revoking -------------------------------------------------------------------

def test_validate_and_check(keystone, admin_token, demo_token):
    resp = keystone.get("/v3/auth/tokens",
                        headers={**as_(admin_token), "X-Subject-Token": demo_token})
    assert resp.status_code == 200
    assert resp.headers["x-subject-token"] == demo_token
    assert resp.json()["token"]["user"]["name"] == "demo"
    assert "catalog" in resp.json()["token"]
    resp = keystone.head("/v3/auth/tokens",
                         headers={**as_(admin_token), "X-Subject-Token": demo_token})
    assert resp.status_code == 200 and resp.content == b""
    # Users may look at their own tokens, not at others'.
    own = keystone.get("/v3/auth/tokens", params={"nocatalog": ""},
                       headers={**as_(demo_token), "X-Subject-Token": demo_token})
    assert own.status_code == 200 and "catalog" not in own.json()["token"]
    assert_keystone_error(keystone.get("/v3/auth/tokens", headers={
        **as_(demo_token), "X-Subject-Token": admin_token}), 403, "Forbidden")


def test_no_token_or_a_bad_one_is_401(keystone, admin_token):
    assert_keystone_error(keystone.get("/v3/projects"), 401, "Unauthorized")
    tampered = admin_token[:-6] + ("AAAAAA" if not admin_token.endswith("AAAAAA") else "BBBBBB")
    assert_keystone_error(keystone.get("/v3/projects", headers=as_(tampered)), 401,
                          "Unauthorized")
    resp = keystone.get("/v3/auth/tokens",
                        headers={**as_(admin_token), "X-Subject-Token": tampered})
    assert_keystone_error(resp, 404, "Not Found")


def test_expired_token_is_401(keystone, cloud, admin_token):
    info = cloud.identity_api.validate_token(admin_token)
    now = utcnow()
    expired = cloud.identity_api.formatter.create(tokens.TokenPayload(
        user_id=info.user_id, project_id=info.project_id, methods=("password",),
        issued_at=now - datetime.timedelta(hours=13), expires_at=now - datetime.timedelta(1),
        audit_ids=(tokens.new_audit_id(),), token_generation=0))
    assert_keystone_error(keystone.get("/v3/projects", headers=as_(expired)), 401,
                          "Unauthorized")


def test_revocation(keystone, cloud, admin_token, demo_password):
    victim = issue(keystone, "demo", demo_password, "demo").headers["x-subject-token"]
    assert keystone.get("/v3/auth/projects", headers=as_(victim)).status_code == 200
    resp = keystone.delete("/v3/auth/tokens",
                           headers={**as_(admin_token), "X-Subject-Token": victim})
    assert resp.status_code == 204
    assert_keystone_error(keystone.get("/v3/auth/projects", headers=as_(victim)), 401,
                          "Unauthorized")
    resp = keystone.get("/v3/auth/tokens", headers={**as_(admin_token),
                                                    "X-Subject-Token": victim})
    assert_keystone_error(resp, 404, "Not Found")
    # The compute API refuses it too.
    compute = httpx.get(cloud.compute_url + "/servers", headers=as_(victim), timeout=30)
    assert compute.status_code == 401


# -- projects, users, roles, assignments ---------------------------------------------------------

def test_listing_is_for_admins(keystone, admin_token, demo_token):
    for path in ("/v3/projects", "/v3/users", "/v3/roles", "/v3/role_assignments"):
        assert keystone.get(path, headers=as_(admin_token)).status_code == 200, path
        assert_keystone_error(keystone.get(path, headers=as_(demo_token)), 403, "Forbidden")


def test_name_lookups(keystone, admin_token):
    """OSC tries the name as an id (404), then lists with ?name=."""
    assert_keystone_error(keystone.get("/v3/projects/demo", headers=as_(admin_token)), 404,
                          "Not Found")
    for collection in ("projects", "users"):
        resp = keystone.get("/v3/" + collection, params={"name": "demo"},
                            headers=as_(admin_token))
        body = resp.json()
        assert [item["name"] for item in body[collection]] == ["demo"]
        assert body["links"]["next"] is None and body["links"]["previous"] is None
        assert body["links"]["self"].endswith("/v3/%s?name=demo" % collection)
        item = body[collection][0]
        shown = keystone.get("/v3/%s/%s" % (collection, item["id"]), headers=as_(admin_token))
        assert shown.json()[collection[:-1]]["name"] == "demo"


def test_members_see_their_own_project_and_user(keystone, demo_token):
    info = keystone.get("/v3/auth/tokens", headers={**as_(demo_token),
                                                    "X-Subject-Token": demo_token}).json()
    project_id, user_id = info["token"]["project"]["id"], info["token"]["user"]["id"]
    assert keystone.get("/v3/projects/" + project_id, headers=as_(demo_token)).status_code == 200
    assert keystone.get("/v3/users/" + user_id, headers=as_(demo_token)).status_code == 200
    mine = keystone.get("/v3/auth/projects", headers=as_(demo_token)).json()["projects"]
    assert [p["name"] for p in mine] == ["demo"]


def test_create_project_user_and_role_assignment(keystone, cloud, admin_token):
    h = as_(admin_token)
    resp = keystone.post("/v3/projects", headers=h,
                         json={"project": {"name": "team", "description": "a team",
                                           "enabled": True, "domain_id": "default"}})
    assert resp.status_code == 201, resp.text
    project = resp.json()["project"]
    assert project["domain_id"] == "default" and project["is_domain"] is False
    assert project["links"]["self"].endswith("/v3/projects/" + project["id"])
    dup = keystone.post("/v3/projects", headers=h, json={"project": {"name": "team"}})
    assert_keystone_error(dup, 409, "Conflict")

    resp = keystone.post("/v3/users", headers=h, json={"user": {
        "name": "alice", "password": "alice-pw", "default_project_id": project["id"],
        "email": "alice@example.org", "enabled": True}})
    assert resp.status_code == 201, resp.text
    user = resp.json()["user"]
    assert user["email"] == "alice@example.org" and "password" not in user
    assert user["default_project_id"] == project["id"]

    roles = {r["name"]: r["id"] for r in
             keystone.get("/v3/roles", headers=h).json()["roles"]}
    assert set(roles) == {"admin", "manager", "member", "reader", "service"}
    grant = "/v3/projects/%s/users/%s/roles/%s" % (project["id"], user["id"], roles["member"])
    assert keystone.head(grant, headers=h).status_code == 404
    assert keystone.put(grant, headers=h).status_code == 204
    assert keystone.head(grant, headers=h).status_code == 204
    listed = keystone.get("/v3/projects/%s/users/%s/roles" % (project["id"], user["id"]),
                          headers=h).json()["roles"]
    assert [r["name"] for r in listed] == ["member"]

    direct = keystone.get("/v3/role_assignments", headers=h,
                          params={"user.id": user["id"]}).json()["role_assignments"]
    assert [(a["role"]["id"], a["scope"]["project"]["id"]) for a in direct] == \
        [(roles["member"], project["id"])]
    named = keystone.get("/v3/role_assignments", headers=h,
                         params={"scope.project.id": project["id"], "effective": "",
                                 "include_names": "True"}).json()["role_assignments"]
    assert sorted((a["user"]["name"], a["role"]["name"]) for a in named) == \
        [("alice", "member"), ("alice", "reader")]
    assert named[0]["user"]["domain"]["name"] == "Default"

    token = issue(keystone, "alice", "alice-pw", "team").headers["x-subject-token"]
    compute = httpx.get(cloud.compute_url + "/servers", headers=as_(token), timeout=30)
    assert compute.status_code == 200, compute.text


def test_user_set_password_disable_and_delete(keystone, admin_token):
    h = as_(admin_token)
    user = keystone.post("/v3/users", headers=h, json={"user": {
        "name": "bob", "password": "bob-pw", "default_project_id": None}}).json()["user"]
    demo_project = keystone.get("/v3/projects", params={"name": "demo"},
                                headers=h).json()["projects"][0]
    member = keystone.get("/v3/roles", params={"name": "member"},
                          headers=h).json()["roles"][0]
    keystone.put("/v3/projects/%s/users/%s/roles/%s" % (demo_project["id"], user["id"],
                                                        member["id"]), headers=h)
    old = issue(keystone, "bob", "bob-pw", "demo").headers["x-subject-token"]
    resp = keystone.patch("/v3/users/" + user["id"], headers=h,
                          json={"user": {"password": "bob-pw-2"}})
    assert resp.status_code == 200, resp.text
    assert_keystone_error(keystone.get("/v3/auth/projects", headers=as_(old)), 401,
                          "Unauthorized")
    issue(keystone, "bob", "bob-pw", "demo", expect=401)
    new = issue(keystone, "bob", "bob-pw-2", "demo").headers["x-subject-token"]

    resp = keystone.patch("/v3/users/" + user["id"], headers=h,
                          json={"user": {"enabled": False}})
    assert resp.json()["user"]["enabled"] is False
    assert keystone.get("/v3/auth/projects", headers=as_(new)).status_code == 401
    issue(keystone, "bob", "bob-pw-2", "demo", expect=401)

    assert keystone.delete("/v3/users/" + user["id"], headers=h).status_code == 204
    assert_keystone_error(keystone.get("/v3/users/" + user["id"], headers=h), 404,
                          "Not Found")


def test_domains(keystone, admin_token, demo_token):
    (domain,) = keystone.get("/v3/domains", headers=as_(admin_token)).json()["domains"]
    assert (domain["id"], domain["name"]) == ("default", "Default")
    assert keystone.get("/v3/domains/default", headers=as_(admin_token)).status_code == 200
    # As Keystone: a user may read the domain of their project, not list domains.
    assert keystone.get("/v3/domains/default", headers=as_(demo_token)).status_code == 200
    assert keystone.get("/v3/domains", headers=as_(demo_token)).status_code == 403


def test_services_endpoints_and_regions_follow_the_catalog(keystone, cloud, admin_token,
                                                           demo_token):
    h = as_(admin_token)
    services = keystone.get("/v3/services", headers=h).json()["services"]
    assert sorted(s["type"] for s in services) == ["compute", "ec2", "identity", "image",
                                                   "network"]
    compute = next(s for s in services if s["type"] == "compute")
    endpoints = keystone.get("/v3/endpoints", headers=h, params={
        "service_id": compute["id"], "interface": "public"}).json()["endpoints"]
    assert [e["url"] for e in endpoints] == [cloud.compute_url]
    shown = keystone.get("/v3/endpoints/" + endpoints[0]["id"], headers=h).json()
    assert shown["endpoint"]["service_id"] == compute["id"]
    regions = keystone.get("/v3/regions", headers=h).json()["regions"]
    assert [r["id"] for r in regions] == ["RegionOne"]
    assert keystone.get("/v3/endpoints", headers=as_(demo_token)).status_code == 403


# -- clouds.yaml and keystoneauth1 --------------------------------------------------------------

def test_clouds_yaml(cloud, clouds_yaml):
    path = cloud.bootstrap.clouds_yaml
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    for name, user in (("novalite-admin", "admin"), ("novalite", "demo")):
        entry = clouds_yaml[name]
        assert entry["auth"]["auth_url"] == cloud.identity_url
        assert entry["auth"]["username"] == entry["auth"]["project_name"] == user
        assert entry["auth"]["password"]
        assert entry["region_name"] == "RegionOne"
        assert entry["identity_api_version"] == 3
        assert "floating_ip_source" not in entry  # the network service gives auto_ip one


@pytest.mark.parametrize("cloud_name", ["novalite", "novalite-admin"])
def test_keystoneauth_session_from_clouds_yaml(cloud, clouds_yaml, cloud_name):
    entry = clouds_yaml[cloud_name]
    auth = ks_v3.Password(**entry["auth"])
    sess = ks_session.Session(auth=auth)
    assert sess.get_token()
    assert sess.get_endpoint(service_type="compute", interface="public",
                             region_name=entry["region_name"]) == cloud.compute_url
    assert sess.get_endpoint(service_type="image", interface="public") == cloud.image_url
    resp = sess.get("/servers", endpoint_filter={"service_type": "compute",
                                                 "interface": "public"})
    assert resp.status_code == 200
    assert sess.get_project_id() == cloud.identity_api.validate_token(
        sess.get_token()).project_id


def test_keystoneauth_with_an_unversioned_auth_url(cloud, clouds_yaml):
    auth_args = dict(clouds_yaml["novalite"]["auth"])
    auth_args["auth_url"] = cloud.identity_url.rsplit("/v3", 1)[0]
    from keystoneauth1.identity import generic

    sess = ks_session.Session(auth=generic.Password(**auth_args))
    assert sess.get_endpoint(service_type="compute", interface="public") == cloud.compute_url


# -- secrets stay out of logs ---------------------------------------------------------------------

def test_no_secret_reaches_the_logs(keystone, cloud, caplog, admin_password, admin_token):
    """Everything that handles a password or token, with every logger at DEBUG."""
    caplog.set_level(logging.DEBUG)
    secrets = [admin_password, admin_token, "carol-pw-1", "carol-pw-2"]
    h = as_(admin_token)
    user = keystone.post("/v3/users", headers=h, json={"user": {
        "name": "carol", "password": "carol-pw-1"}}).json()["user"]
    issue(keystone, "carol", "carol-pw-1", scope="unscoped")
    issue(keystone, "carol", "wrong-" + admin_password, scope="unscoped", expect=401)
    issue(keystone, "nobody", admin_password, scope="unscoped", expect=401)
    keystone.post("/v3/auth/tokens", json={"auth": {"identity": {
        "methods": ["password"], "password": {"user": {"name": ["carol-pw-2"]}}}}})
    keystone.patch("/v3/users/" + user["id"], headers=h, json={"user": {
        "password": "carol-pw-2"}})
    token = issue(keystone, "carol", "carol-pw-2", scope="unscoped").headers["x-subject-token"]
    secrets.append(token)
    keystone.get("/v3/auth/tokens", headers={**h, "X-Subject-Token": token})
    keystone.delete("/v3/auth/tokens", headers={**h, "X-Subject-Token": token})
    keystone.get("/v3/projects", headers=as_(token))
    httpx.get(cloud.compute_url + "/servers", headers=h, timeout=30)
    httpx.get(cloud.compute_url + "/servers", headers=as_(token), timeout=30)
    # The test's own HTTP client (httpcore) logs the response headers it receives: only the
    # server's side counts here.
    server_side = [r for r in caplog.records if r.name.split(".")[0] not in CLIENT_LOGGERS]
    assert server_side  # logging was captured at all
    logged = "\n".join("%s %s %s" % (r.name, r.getMessage(), r.exc_text or "")
                       for r in server_side)
    for secret in secrets:
        assert secret not in logged
