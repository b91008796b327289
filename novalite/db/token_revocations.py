"""Revoked tokens, by audit id, kept until the token would have expired anyway."""

import sqlalchemy as sa

from novalite.db import identity_epoch
from novalite.db.models import token_revocations
from novalite.objects.base import utcnow

_IS_REVOKED = sa.select(token_revocations.c.audit_id).where(
    token_revocations.c.audit_id == sa.bindparam("audit_id"))


def is_revoked(database, audit_id: str) -> bool:
    with database.reader() as conn:
        return conn.execute(_IS_REVOKED, {"audit_id": audit_id}).first() is not None


def revoke(database, audit_id: str, expires_at) -> None:
    now = utcnow()
    with database.writer() as conn:
        # Expired tokens fail validation on their own: their rows are no longer needed.
        conn.execute(token_revocations.delete().where(token_revocations.c.expires_at < now))
        exists = conn.execute(_IS_REVOKED, {"audit_id": audit_id}).first()
        if exists is None:
            conn.execute(token_revocations.insert().values(
                audit_id=audit_id, expires_at=expires_at, revoked_at=now))
            identity_epoch.bump(conn)
