"""Bootstrap: users, projects, roles and clouds.yaml; idempotent."""

import os
import stat

import yaml

from novalite import context, policy
from novalite.db import users as users_db
from novalite.identity import bootstrap, passwords
from novalite.identity.api import IdentityAPI


def _clouds(path):
    with open(path) as f:
        return yaml.safe_load(f)["clouds"]


def test_first_run_generates_passwords_and_writes_clouds_yaml(conf, db):
    identity = IdentityAPI(conf, db)
    result = bootstrap.bootstrap(identity, conf)
    assert result.admin_password and result.demo_password
    assert result.admin_password != result.demo_password
    assert result.clouds_yaml == os.path.join(str(conf.state_path), "clouds.yaml")
    assert stat.S_IMODE(os.stat(result.clouds_yaml).st_mode) == 0o600
    clouds = _clouds(result.clouds_yaml)
    assert set(clouds) == {"novalite-admin", "novalite"}
    admin, demo = clouds["novalite-admin"], clouds["novalite"]
    assert admin["auth"] == {"auth_url": "http://127.0.0.1:5000/v3", "username": "admin",
                             "password": result.admin_password, "project_name": "admin",
                             "user_domain_name": "Default", "project_domain_name": "Default"}
    assert demo["auth"]["username"] == "demo" and demo["auth"]["project_name"] == "demo"
    assert demo["auth"]["password"] == result.demo_password
    for cloud in (admin, demo):
        assert cloud["region_name"] == "RegionOne"
        assert cloud["identity_api_version"] == 3
        assert "floating_ip_source" not in cloud  # the network API is in the catalog
    # Only hashes are stored.
    stored = users_db.get_by_name(db, "admin", "default").password_hash
    assert result.admin_password not in stored
    assert passwords.verify_password(result.admin_password, stored)


def test_roles_and_assignments(identity, admin_ctxt):
    assert [r.name for r in identity.roles.list(admin_ctxt)] == [
        "admin", "manager", "member", "reader", "service"]
    found = {(a.user_name, a.project_name, a.role_name)
             for a in identity.roles.assignments(admin_ctxt)}
    assert found == {("admin", "admin", "admin"), ("demo", "demo", "member"),
                     ("novalite", "service", "admin"), ("novalite", "service", "service")}


def test_service_user_password_generated_or_given(conf, db):
    first = bootstrap.bootstrap(IdentityAPI(conf, db), conf)
    stored = users_db.get_by_name(db, "novalite", "default").password_hash
    assert first.service_password and passwords.verify_password(first.service_password, stored)
    # Not written to clouds.yaml: only compute services get it.
    assert first.service_password not in open(first.clouds_yaml).read()
    again = bootstrap.bootstrap(IdentityAPI(conf, db), conf)
    assert again.service_password is None  # kept
    given = bootstrap.bootstrap(IdentityAPI(conf, db), conf, service_password="svc-pw")
    assert given.service_password == "svc-pw"
    stored = users_db.get_by_name(db, "novalite", "default").password_hash
    assert passwords.verify_password("svc-pw", stored)


def test_a_second_run_changes_nothing(conf, db):
    identity = IdentityAPI(conf, db)
    first = bootstrap.bootstrap(identity, conf)
    before = {u.name: (u.id, u.password_hash) for u in users_db.list_(db)}
    yaml_before = open(first.clouds_yaml).read()
    second = bootstrap.bootstrap(IdentityAPI(conf, db), conf)
    assert second.admin_password is None and second.demo_password is None  # nothing to show
    assert {u.name: (u.id, u.password_hash) for u in users_db.list_(db)} == before
    assert open(first.clouds_yaml).read() == yaml_before
    ctxt = context.get_admin_context()
    assert len(identity.roles.assignments(ctxt)) == 4  # admin, demo, the service user (2)


def test_a_given_password_replaces_the_old_one(conf, db):
    identity = IdentityAPI(conf, db)
    first = bootstrap.bootstrap(identity, conf)
    second = bootstrap.bootstrap(identity, conf, demo_password="chosen-pw")
    assert second.demo_password == "chosen-pw" and second.admin_password is None
    clouds = _clouds(first.clouds_yaml)
    assert clouds["novalite"]["auth"]["password"] == "chosen-pw"
    assert clouds["novalite-admin"]["auth"]["password"] == first.admin_password
    stored = users_db.get_by_name(db, "demo", "default").password_hash
    assert passwords.verify_password("chosen-pw", stored)
    # The same password again is no change.
    assert bootstrap.bootstrap(identity, conf, demo_password="chosen-pw").demo_password is None


def test_other_clouds_in_the_file_are_kept(conf, db):
    path = os.path.join(str(conf.state_path), "clouds.yaml")
    with open(path, "w") as f:
        yaml.safe_dump({"clouds": {"mine": {"auth": {"auth_url": "http://x"}}}}, f)
    bootstrap.bootstrap(IdentityAPI(conf, db), conf)
    assert set(_clouds(path)) == {"mine", "novalite-admin", "novalite"}


def test_the_auth_url_follows_configuration(conf, db):
    conf.set_override("public_url", "http://controller:5000/", group="identity")
    result = bootstrap.bootstrap(IdentityAPI(conf, db), conf)
    assert _clouds(result.clouds_yaml)["novalite"]["auth"]["auth_url"] == \
        "http://controller:5000/v3"


def test_bootstrap_leaves_policy_alone(conf, db):
    """It runs before the APIs load policy.yaml; creating the enforcer first would lose it."""
    policy.reset()
    bootstrap.bootstrap(IdentityAPI(conf, db), conf)
    assert policy._enforcer is None
