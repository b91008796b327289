"""IdentityAPI on a real (SQLite) database: authentication, scoping, and every reason a
token stops being valid — also when the change is made by another process."""

import datetime

import pytest

from novalite import exception
from novalite.context import RequestContext
from novalite.db import database
from novalite.db import users as users_db
from novalite.identity import api as identity_api_module
from novalite.identity import tokens
from novalite.identity.api import IdentityAPI, PasswordCredentials, Scope
from novalite.objects.base import utcnow


def password(user="admin", pw="admin-pw", **kw):
    return PasswordCredentials(password=pw, user_name=user, domain_name="Default", **kw)


def login(identity, user="admin", pw="admin-pw", project="admin", **scope):
    scope = Scope(project_name=project, domain_id="default", **scope) if project else None
    return identity.authenticate(["password"], password=password(user, pw), scope=scope)


def user_id(identity, name):
    return users_db.get_by_name(identity.database, name, "default").id


def test_scoped_by_project_name(identity):
    token, info = login(identity)
    assert (info.user_name, info.project_name) == ("admin", "admin")
    assert info.roles == ("admin", "manager", "member", "reader")  # implied roles included
    assert len(info.role_ids) == 4 and info.is_admin
    assert info.methods == ("password",)
    assert identity.validate_token(token) == info


def test_scoped_by_project_id_and_user_id(identity):
    _, first = login(identity, "demo", "demo-pw", "demo")
    _, info = identity.authenticate(
        ["password"], password=PasswordCredentials("demo-pw", user_id=first.user_id),
        scope=Scope(project_id=first.project_id))
    assert info.project_name == "demo"
    assert info.roles == ("member", "reader") and not info.is_admin


def test_the_domain_may_be_named_by_name_or_id(identity):
    for kw in ({"domain_id": "default"}, {"domain_name": "Default"}):
        _, info = identity.authenticate(
            ["password"], password=PasswordCredentials("demo-pw", user_name="demo", **kw),
            scope=Scope(project_name="demo", **kw))
        assert info.project_name == "demo"


def test_unscoped_and_default_project(identity):
    _, unscoped = identity.authenticate(["password"], password=password(),
                                        scope=Scope(unscoped=True))
    assert unscoped.project_id is None and unscoped.roles == ()
    # No scope at all: the user's default project, as Keystone.
    _, default = identity.authenticate(["password"], password=password())
    assert default.project_name == "admin"


def test_expiry_is_configured_lifetime(identity):
    _, info = login(identity)
    assert info.expires_at - info.issued_at == datetime.timedelta(
        seconds=identity.conf.identity.token_expiration)


def test_rescoping_with_the_token_method(identity):
    unscoped, parent = identity.authenticate(["password"], password=password(),
                                             scope=Scope(unscoped=True))
    _, info = identity.authenticate(["token"], token=unscoped,
                                    scope=Scope(project_name="admin", domain_id="default"))
    assert info.project_name == "admin"
    assert info.methods == ("password", "token")
    assert info.expires_at == parent.expires_at  # never outlives its parent
    assert info.audit_ids[1] == parent.audit_ids[0] and len(info.audit_ids) == 2


@pytest.mark.parametrize("creds, scope", [
    (password(pw="wrong"), None),
    (password(user="nobody"), None),
    (PasswordCredentials("admin-pw", user_id="nope"), None),
    (password(domain_id="other"), None),
    (password(), Scope(project_name="demo", domain_id="default")),  # no role there
    (password(), Scope(project_name="nope", domain_id="default")),
    (password(), Scope(project_name="admin", domain_id="elsewhere")),
    (password(), Scope(unsupported="domain")),
])
def test_every_failure_is_the_same_not_authenticated(identity, creds, scope):
    with pytest.raises(exception.NotAuthenticated) as raised:
        identity.authenticate(["password"], password=creds, scope=scope)
    assert raised.value.message == "The request you have made requires authentication."


def test_unknown_methods_are_refused(identity):
    with pytest.raises(exception.NotAuthenticated):
        identity.authenticate(["totp"], password=password())
    with pytest.raises(exception.NotAuthenticated):
        identity.authenticate([], password=password())


def test_revocation(identity):
    token, _ = login(identity)
    other, _ = login(identity)
    identity.revoke_token(token)
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(token)
    identity.validate_token(other)  # only that token


def test_a_rescoped_token_of_a_revoked_token_cannot_be_made(identity):
    token, _ = login(identity)
    identity.revoke_token(token)
    with pytest.raises(exception.NotAuthenticated):
        identity.authenticate(["token"], token=token, scope=Scope(unscoped=True))


def test_disabled_user(identity, admin_ctxt):
    token, info = login(identity)
    identity.users.update(admin_ctxt, info.user_id, enabled=False)
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(token)
    with pytest.raises(exception.NotAuthenticated):
        login(identity)


def test_deleted_user(identity, admin_ctxt):
    token, info = login(identity, "demo", "demo-pw", "demo")
    identity.users.delete(admin_ctxt, info.user_id)
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(token)


def test_password_change_voids_earlier_tokens_only(identity, admin_ctxt):
    old, info = login(identity, "demo", "demo-pw", "demo")
    identity.users.update(admin_ctxt, info.user_id, password="new-pw")
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(old)
    with pytest.raises(exception.NotAuthenticated):
        login(identity, "demo", "demo-pw", "demo")
    new, _ = login(identity, "demo", "new-pw", "demo")
    assert identity.validate_token(new).user_name == "demo"


def test_a_self_service_password_change_needs_the_original(identity):
    token, info = login(identity, "demo", "demo-pw", "demo")
    me = RequestContext(user_id=info.user_id, project_id=info.project_id,
                        roles=list(info.roles))
    with pytest.raises(exception.NotAuthenticated):
        identity.users.change_password(me, info.user_id, "wrong", "next-pw")
    identity.users.change_password(me, info.user_id, "demo-pw", "next-pw")
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(token)
    login(identity, "demo", "next-pw", "demo")


def test_losing_the_last_role_or_the_project(identity, admin_ctxt):
    token, info = login(identity, "demo", "demo-pw", "demo")
    member = identity.roles.list(admin_ctxt, name="member")[0]
    identity.roles.revoke(admin_ctxt, info.project_id, info.user_id, member.id)
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(token)
    identity.roles.grant(admin_ctxt, info.project_id, info.user_id, member.id)
    token, _ = login(identity, "demo", "demo-pw", "demo")
    identity.projects.update(admin_ctxt, info.project_id, {"enabled": False})
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(token)


def test_a_granted_role_shows_in_existing_tokens(identity, admin_ctxt):
    token, info = login(identity, "demo", "demo-pw", "demo")
    admin_role = identity.roles.list(admin_ctxt, name="admin")[0]
    identity.roles.grant(admin_ctxt, info.project_id, info.user_id, admin_role.id)
    assert identity.validate_token(token).roles == ("admin", "manager", "member", "reader")


def test_expired_tokens_are_refused(identity):
    _, info = login(identity)
    now = utcnow()
    expired = identity.formatter.create(tokens.TokenPayload(
        user_id=info.user_id, project_id=info.project_id, methods=("password",),
        issued_at=now - datetime.timedelta(hours=2), expires_at=now - datetime.timedelta(1),
        audit_ids=(tokens.new_audit_id(),), token_generation=0))
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(expired)


def test_a_cached_validation_ends_when_the_token_expires(identity, monkeypatch):
    token, info = login(identity)
    identity.validate_token(token)
    later = (info.expires_at - datetime.datetime(1970, 1, 1)).total_seconds() + 1
    monkeypatch.setattr("novalite.identity.token_cache.time.time", lambda: later)
    monkeypatch.setattr(identity_api_module, "utcnow",
                        lambda: info.expires_at + datetime.timedelta(seconds=1))
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(token)


def test_tampered_tokens_are_refused(identity):
    token, _ = login(identity)
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB"))
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token("")


def test_a_cached_validation_reads_no_identity_rows(identity, monkeypatch):
    token, info = login(identity)
    identity.validate_token(token)

    def no_reads(*_a, **_kw):
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(users_db, "get", no_reads)
    assert identity.validate_token(token) == info


def test_without_a_cache_every_validation_is_complete(conf, db, identity):
    conf.set_override("token_cache_size", 0, group="identity")
    uncached = IdentityAPI(conf, db)
    token, _ = login(uncached)
    assert uncached.validate_token(token).user_name == "admin"
    assert len(uncached.cache) == 0


# -- several processes sharing one database and key repository ------------------------------

@pytest.fixture
def other_process(conf, identity):
    """A second IdentityAPI with its own engine and cache, as another API process."""
    other_db = database.from_conf(conf)
    yield IdentityAPI(conf, other_db)
    other_db.dispose()


def test_a_revocation_in_another_process_applies_to_the_next_validation(identity,
                                                                        other_process):
    token, _ = login(identity)
    identity.validate_token(token)  # cached here
    other_process.revoke_token(token)
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(token)


def test_user_changes_in_another_process_apply_at_once(identity, other_process, admin_ctxt):
    admin_token, _ = login(identity)
    demo_token, info = login(identity, "demo", "demo-pw", "demo")
    identity.validate_token(admin_token)
    identity.validate_token(demo_token)
    other_process.users.update(admin_ctxt, info.user_id, password="changed")
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(demo_token)
    identity.validate_token(admin_token)  # unaffected, validated again
    admin_id = identity.validate_token(admin_token).user_id
    other_process.users.update(admin_ctxt, admin_id, enabled=False)
    with pytest.raises(exception.NotAuthenticated):
        identity.validate_token(admin_token)


def test_tokens_of_one_process_validate_in_another(identity, other_process):
    token, info = login(identity)
    assert other_process.validate_token(token) == info
