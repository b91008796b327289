"""auth_strategy = keystone: an operator's Keystone validates the tokens, through
keystonemiddleware's auth_token. novalite's own identity service stands in for that Keystone
here, over HTTP, as a separate deployment would use it."""

import textwrap

import httpx
import pytest
import yaml

from novalite import conf as nl_conf
from novalite.api import auth
from tests.functional.helpers import running_cloud


@pytest.fixture(scope="module")
def keystone_cloud(tmp_path_factory):
    with running_cloud(tmp_path_factory.mktemp("state"), computes=1,
                       **{"api.auth_strategy": "embedded"}) as aio:
        yield aio


@pytest.fixture(scope="module")
def passwords(keystone_cloud):
    with open(keystone_cloud.bootstrap.clouds_yaml) as f:
        clouds = yaml.safe_load(f)["clouds"]
    return {name: c["auth"]["password"] for name, c in clouds.items()}


@pytest.fixture(scope="module")
def authenticate(keystone_cloud, passwords, tmp_path_factory):
    """The compute API's authenticator of a deployment configured as for Nova."""
    path = tmp_path_factory.mktemp("conf") / "novalite.conf"
    path.write_text(textwrap.dedent("""\
        [api]
        auth_strategy = keystone
        [keystone_authtoken]
        www_authenticate_uri = %(url)s
        auth_url = %(url)s
        auth_type = password
        username = admin
        password = %(password)s
        project_name = admin
        user_domain_name = Default
        project_domain_name = Default
        """ % {"url": keystone_cloud.identity_url, "password": passwords["novalite-admin"]}))
    return auth.from_conf(nl_conf.new_conf(config_files=[str(path)]))


def _token(cloud, user, password, project):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "password": password, "domain": {"name": "Default"}}}},
        "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}}
    resp = httpx.post(cloud.identity_url + "/auth/tokens", json=body)
    assert resp.status_code == 201, resp.text
    return resp.headers["x-subject-token"]


def test_a_keystone_token_becomes_the_request_context(keystone_cloud, passwords,
                                                      authenticate):
    token = _token(keystone_cloud, "demo", passwords["novalite"], "demo")
    ctxt = authenticate({"x-auth-token": token}, "req-1")
    assert ctxt.project_name == "demo" and ctxt.user_name == "demo"
    assert "member" in ctxt.roles and not ctxt.is_admin


def test_bad_and_revoked_tokens_are_refused(keystone_cloud, passwords, authenticate):
    token = _token(keystone_cloud, "demo", passwords["novalite"], "demo")
    with pytest.raises(auth.Unauthorized):
        authenticate({"x-auth-token": token[:-4] + "AAAA"}, "req-2")
    with pytest.raises(auth.Unauthorized):
        authenticate({}, "req-3")
    admin = _token(keystone_cloud, "admin", passwords["novalite-admin"], "admin")
    revoked = httpx.delete(keystone_cloud.identity_url + "/auth/tokens",
                           headers={"X-Auth-Token": admin, "X-Subject-Token": token})
    assert revoked.status_code == 204
    with pytest.raises(auth.Unauthorized):
        authenticate({"x-auth-token": token}, "req-4")
