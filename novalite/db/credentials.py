"""Credential queries (Keystone's credentials table; novalite stores type 'ec2' only).
The blob holds the secret: it is returned to the identity layer, never logged (the engine
hides statement parameters in its errors)."""

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import credentials
from novalite.objects.base import utcnow


def _from_row(row) -> dict:
    m = row._mapping
    return {k: m[k] for k in ("id", "user_id", "project_id", "type", "blob", "created_at")}


def create(database, credential_id: str, user_id: str, project_id: str | None,
           type_: str, blob: str) -> dict:
    values = {"id": credential_id, "user_id": user_id, "project_id": project_id,
              "type": type_, "blob": blob, "created_at": utcnow()}
    try:
        with database.writer() as conn:
            conn.execute(credentials.insert().values(**values))
    except sa.exc.IntegrityError as e:
        raise exception.IdentityConflict("Duplicate credential %s." % credential_id) from e
    return values


def get(database, credential_id: str) -> dict:
    with database.reader() as conn:
        row = conn.execute(sa.select(credentials)
                           .where(credentials.c.id == credential_id)).first()
    if row is None:
        raise exception.NotFound("Could not find credential: %s." % credential_id)
    return _from_row(row)


def list_(database, user_id: str | None = None, type_: str | None = None) -> list[dict]:
    query = sa.select(credentials).order_by(credentials.c.created_at, credentials.c.id)
    if user_id is not None:
        query = query.where(credentials.c.user_id == user_id)
    if type_ is not None:
        query = query.where(credentials.c.type == type_)
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query)]


def delete(database, credential_id: str) -> None:
    with database.writer() as conn:
        result = conn.execute(credentials.delete().where(credentials.c.id == credential_id))
    if result.rowcount == 0:
        raise exception.NotFound("Could not find credential: %s." % credential_id)
