"""Fernet tokens: what a token carries, encrypted and authenticated with the repository's
keys (cryptography's Fernet: AES-128-CBC + HMAC-SHA256). Nothing is stored per token; a
token is checked by decrypting it, then against the database (revocations, the user, the
project, role assignments) by the identity service.

The payload is a compact JSON list: version, user id, project id (or null for an
unscoped token), methods, issued and expiry times in microseconds since the epoch, audit
ids, and the user's token generation when the token was issued.
"""

import base64
import dataclasses
import datetime
import secrets

import orjson
from cryptography.fernet import InvalidToken, MultiFernet

from novalite import exception

_VERSION = 1
_MAX_TOKEN_LENGTH = 1024  # far above a real token; refuse bigger input before decrypting
_EPOCH = datetime.datetime(1970, 1, 1)


def new_audit_id() -> str:
    """22 URL-safe characters, as Keystone's."""
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")


def _to_us(value: datetime.datetime) -> int:
    return (value - _EPOCH) // datetime.timedelta(microseconds=1)


def _from_us(value: int) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(microseconds=value)


@dataclasses.dataclass(frozen=True)
class TokenPayload:
    user_id: str
    project_id: str | None
    methods: tuple[str, ...]
    issued_at: datetime.datetime  # naive UTC
    expires_at: datetime.datetime
    audit_ids: tuple[str, ...]
    token_generation: int


class TokenFormatter:
    def __init__(self, fernet: MultiFernet):
        self.fernet = fernet

    def create(self, payload: TokenPayload) -> str:
        packed = orjson.dumps([_VERSION, payload.user_id, payload.project_id,
                               list(payload.methods), _to_us(payload.issued_at),
                               _to_us(payload.expires_at), list(payload.audit_ids),
                               payload.token_generation])
        # Without the base64 padding, as Keystone's tokens.
        return self.fernet.encrypt(packed).decode("ascii").rstrip("=")

    def parse(self, token: str) -> TokenPayload:
        """The payload of an authentic token (expired or not); NotAuthenticated otherwise."""
        if not token or len(token) > _MAX_TOKEN_LENGTH:
            raise exception.NotAuthenticated()
        try:
            raw = token.encode("ascii")
            packed = self.fernet.decrypt(raw + b"=" * (-len(raw) % 4))
            (version, user_id, project_id, methods, issued_us, expires_us, audit_ids,
             generation) = orjson.loads(packed)
        except (InvalidToken, UnicodeError, ValueError, TypeError):
            raise exception.NotAuthenticated() from None
        if version != _VERSION:
            raise exception.NotAuthenticated()
        return TokenPayload(user_id=user_id, project_id=project_id, methods=tuple(methods),
                            issued_at=_from_us(issued_us), expires_at=_from_us(expires_us),
                            audit_ids=tuple(audit_ids), token_generation=generation)
