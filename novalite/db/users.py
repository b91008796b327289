import sqlalchemy as sa

from novalite import exception
from novalite.db import identity_epoch
from novalite.db.models import role_assignments, users
from novalite.objects.base import utcnow
from novalite.objects.identity import User

_FIELDS = ("id", "name", "domain_id", "enabled", "default_project_id", "extra",
           "token_generation", "password_hash", "created_at", "updated_at")


def _from_row(row) -> User:
    m = row._mapping
    values = {k: m[k] for k in _FIELDS}
    values["enabled"] = bool(values["enabled"])
    values["extra"] = values["extra"] or {}
    return User(**values)


def get(database, user_id: str) -> User:
    with database.reader() as conn:
        row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise exception.UserNotFound(user_id=user_id)
    return _from_row(row)


def get_by_name(database, name: str, domain_id: str) -> User:
    with database.reader() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name,
                                                  users.c.domain_id == domain_id)).first()
    if row is None:
        raise exception.UserNotFound(user_id=name)
    return _from_row(row)


def list_(database, name=None, domain_id=None, enabled=None) -> list[User]:
    query = sa.select(users).order_by(users.c.name, users.c.id)
    if name is not None:
        query = query.where(users.c.name == name)
    if domain_id is not None:
        query = query.where(users.c.domain_id == domain_id)
    if enabled is not None:
        query = query.where(users.c.enabled == enabled)
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query)]


def create(database, user: User) -> User:
    user.created_at = user.updated_at = utcnow()
    values = {k: getattr(user, k) for k in _FIELDS}
    try:
        with database.writer() as conn:
            conn.execute(users.insert().values(**values))
    except sa.exc.IntegrityError as e:
        raise exception.IdentityConflict(type="user", name=user.name) from e
    return user


def update(database, user_id: str, values: dict, new_token_generation: bool = False) -> None:
    """Change a user; new_token_generation voids every token issued before (a password
    change)."""
    values = dict(values, updated_at=utcnow())
    if new_token_generation:
        values["token_generation"] = users.c.token_generation + 1
    try:
        with database.writer() as conn:
            result = conn.execute(users.update().where(users.c.id == user_id).values(**values))
            if result.rowcount:
                identity_epoch.bump(conn)
    except sa.exc.IntegrityError as e:
        raise exception.IdentityConflict(type="user", name=values.get("name")) from e
    if result.rowcount == 0:
        raise exception.UserNotFound(user_id=user_id)


def delete(database, user_id: str) -> None:
    with database.writer() as conn:
        conn.execute(role_assignments.delete().where(role_assignments.c.user_id == user_id))
        result = conn.execute(users.delete().where(users.c.id == user_id))
        if result.rowcount:
            identity_epoch.bump(conn)
    if result.rowcount == 0:
        raise exception.UserNotFound(user_id=user_id)
