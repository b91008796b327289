"""Fernet token payloads: round trip; anything tampered, foreign or malformed is refused."""

import datetime

import pytest
from cryptography.fernet import Fernet, MultiFernet

from novalite import exception
from novalite.identity import tokens

NOW = datetime.datetime(2026, 11, 22, 10, 0, 0, 123456)


def payload(**changes):
    values = dict(user_id="u" * 32, project_id="p" * 32, methods=("password",),
                  issued_at=NOW, expires_at=NOW + datetime.timedelta(hours=12),
                  audit_ids=(tokens.new_audit_id(),), token_generation=3)
    values.update(changes)
    return tokens.TokenPayload(**values)


@pytest.fixture
def formatter():
    return tokens.TokenFormatter(MultiFernet([Fernet(Fernet.generate_key())]))


def test_round_trip_keeps_every_field_to_the_microsecond(formatter):
    original = payload(methods=("password", "token"),
                       audit_ids=(tokens.new_audit_id(), tokens.new_audit_id()))
    assert formatter.parse(formatter.create(original)) == original


def test_unscoped_round_trip(formatter):
    original = payload(project_id=None)
    assert formatter.parse(formatter.create(original)).project_id is None


def test_tokens_look_like_keystones(formatter):
    token = formatter.create(payload())
    assert token.startswith("gAAAAA") and "=" not in token
    assert len(token) < 400


def test_audit_ids_are_22_url_safe_characters():
    audit_id = tokens.new_audit_id()
    assert len(audit_id) == 22 and "=" not in audit_id


def test_a_tampered_token_is_refused(formatter):
    token = formatter.create(payload())
    middle = len(token) // 2
    tampered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]
    with pytest.raises(exception.NotAuthenticated):
        formatter.parse(tampered)


def test_a_token_of_other_keys_is_refused(formatter):
    other = tokens.TokenFormatter(MultiFernet([Fernet(Fernet.generate_key())]))
    with pytest.raises(exception.NotAuthenticated):
        formatter.parse(other.create(payload()))


@pytest.mark.parametrize("token", ["", "garbage", "gAAAAA" + "x" * 2000, "ünïcode"])
def test_malformed_tokens_are_refused(formatter, token):
    with pytest.raises(exception.NotAuthenticated):
        formatter.parse(token)


def test_a_payload_of_another_version_is_refused(formatter):
    token = formatter.fernet.encrypt(b'[2,"u","p",["password"],1,2,["a"],0]').decode()
    with pytest.raises(exception.NotAuthenticated):
        formatter.parse(token)


def test_an_expired_token_still_parses(formatter):
    """Parsing proves authenticity; expiry is the validator's business."""
    old = payload(expires_at=NOW - datetime.timedelta(days=1))
    assert formatter.parse(formatter.create(old)).expires_at < NOW
