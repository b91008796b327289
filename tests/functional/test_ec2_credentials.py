"""Keystone's OS-EC2 API (/v3/users/{id}/credentials/OS-EC2): what `openstack ec2
credentials` calls. A user manages their own pairs; an administrator anyone's."""

import httpx
import pytest

from tests.functional.conftest import client_for


@pytest.fixture(scope="module")
def keystone(cloud):
    with httpx.Client(base_url=cloud.identity_url, timeout=30) as client:
        yield client


def _token(keystone, name, password):
    resp = keystone.post("/auth/tokens", json={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": name, "password": password, "domain": {"id": "default"}}}},
        "scope": {"project": {"name": name, "domain": {"id": "default"}}}}})
    assert resp.status_code == 201, resp.text
    body = resp.json()["token"]
    return {"X-Auth-Token": resp.headers["x-subject-token"]}, body["user"]["id"], \
        body["project"]["id"]


@pytest.fixture(scope="module")
def demo(keystone, cloud):
    return _token(keystone, "demo", cloud.bootstrap.demo_password)


@pytest.fixture(scope="module")
def admin(keystone, cloud):
    return _token(keystone, "admin", cloud.bootstrap.admin_password)


def _path(user_id, access=None):
    path = "/users/%s/credentials/OS-EC2" % user_id
    return path + "/" + access if access else path


def test_create_list_show_delete_and_use(keystone, demo, cloud):
    headers, user_id, project_id = demo
    resp = keystone.post(_path(user_id), json={"tenant_id": project_id}, headers=headers)
    assert resp.status_code == 201, resp.text
    credential = resp.json()["credential"]
    assert credential["user_id"] == user_id and credential["tenant_id"] == project_id
    assert credential["trust_id"] is None
    assert credential["access"] and credential["secret"]
    assert credential["links"]["self"].endswith(_path(user_id, credential["access"]))
    listed = keystone.get(_path(user_id), headers=headers).json()["credentials"]
    assert credential["access"] in {c["access"] for c in listed}
    shown = keystone.get(_path(user_id, credential["access"]), headers=headers).json()
    assert shown["credential"]["secret"] == credential["secret"]
    # the new pair signs EC2 requests as the demo user
    ec2 = client_for(cloud, "demo", "demo", access=credential["access"],
                     secret=credential["secret"])
    assert ec2.describe_regions()["Regions"]
    assert keystone.delete(_path(user_id, credential["access"]),
                           headers=headers).status_code == 204
    assert keystone.get(_path(user_id, credential["access"]),
                        headers=headers).status_code == 404
    with pytest.raises(Exception) as excinfo:
        ec2.describe_regions()
    assert excinfo.value.response["Error"]["Code"] == "AuthFailure"


def test_bootstrap_wrote_the_demo_pair_to_ec2rc(keystone, demo, cloud):
    headers, user_id, _ = demo
    with open(cloud.bootstrap.ec2rc) as f:
        rc = dict(line[len("export "):].split("=", 1) for line in f.read().splitlines()
                  if line.startswith("export "))
    assert rc["AWS_ENDPOINT_URL_EC2"] == cloud.ec2_url
    assert rc["AWS_DEFAULT_REGION"] == "RegionOne"
    listed = keystone.get(_path(user_id), headers=headers).json()["credentials"]
    assert rc["AWS_ACCESS_KEY_ID"] in {c["access"] for c in listed}
    ec2 = client_for(cloud, "demo", "demo", access=rc["AWS_ACCESS_KEY_ID"],
                     secret=rc["AWS_SECRET_ACCESS_KEY"])
    assert ec2.describe_availability_zones()["AvailabilityZones"]


def test_a_user_cannot_touch_another_users_credentials(keystone, demo, admin):
    demo_headers, demo_id, demo_project = demo
    admin_headers, admin_id, admin_project = admin
    resp = keystone.post(_path(admin_id), json={"tenant_id": admin_project},
                         headers=admin_headers)
    access = resp.json()["credential"]["access"]
    assert keystone.get(_path(admin_id), headers=demo_headers).status_code == 403
    assert keystone.post(_path(admin_id), json={"tenant_id": demo_project},
                         headers=demo_headers).status_code == 403
    assert keystone.delete(_path(admin_id, access), headers=demo_headers).status_code == 403
    # a key of another user, asked under one's own user: not found
    assert keystone.get(_path(demo_id, access), headers=demo_headers).status_code == 404
    # a project the user has no role on
    assert keystone.post(_path(demo_id), json={"tenant_id": admin_project},
                         headers=demo_headers).status_code == 403
    # an administrator manages anyone's
    resp = keystone.post(_path(demo_id), json={"tenant_id": demo_project},
                         headers=admin_headers)
    assert resp.status_code == 201
    assert keystone.delete(_path(demo_id, resp.json()["credential"]["access"]),
                           headers=admin_headers).status_code == 204


@pytest.mark.parametrize("body,status", [
    ({}, 400), ({"tenant_id": 5}, 400), ({"tenant_id": "no-such-project"}, 404), ("x", 400),
])
def test_bad_create_bodies(keystone, demo, body, status):
    headers, user_id, _ = demo
    assert keystone.post(_path(user_id), json=body, headers=headers).status_code == status


def test_without_a_token(keystone, demo):
    _, user_id, _ = demo
    assert keystone.get(_path(user_id)).status_code == 401
