"""Roles and the implied-role rules between them (admin -> member -> reader)."""

import sqlalchemy as sa

from novalite import exception
from novalite.db import identity_epoch
from novalite.db.models import implied_roles, role_assignments, roles
from novalite.objects.base import utcnow
from novalite.objects.identity import Role


def _from_row(row) -> Role:
    m = row._mapping
    return Role(id=m["id"], name=m["name"], description=m["description"])


def get(database, role_id: str) -> Role:
    with database.reader() as conn:
        row = conn.execute(sa.select(roles).where(roles.c.id == role_id)).first()
    if row is None:
        raise exception.RoleNotFound(role_id=role_id)
    return _from_row(row)


def list_(database, name=None) -> list[Role]:
    query = sa.select(roles).order_by(roles.c.name)
    if name is not None:
        query = query.where(roles.c.name == name)
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query)]


def create(database, role: Role) -> Role:
    try:
        with database.writer() as conn:
            conn.execute(roles.insert().values(id=role.id, name=role.name,
                                               description=role.description,
                                               created_at=utcnow()))
    except sa.exc.IntegrityError as e:
        raise exception.IdentityConflict(type="role", name=role.name) from e
    return role


def delete(database, role_id: str) -> None:
    with database.writer() as conn:
        conn.execute(role_assignments.delete().where(role_assignments.c.role_id == role_id))
        conn.execute(implied_roles.delete().where(sa.or_(
            implied_roles.c.prior_role_id == role_id,
            implied_roles.c.implied_role_id == role_id)))
        result = conn.execute(roles.delete().where(roles.c.id == role_id))
        if result.rowcount:
            identity_epoch.bump(conn)
    if result.rowcount == 0:
        raise exception.RoleNotFound(role_id=role_id)


def list_implied(database) -> list[tuple[str, str]]:
    """Every (prior_role_id, implied_role_id) rule."""
    with database.reader() as conn:
        return [tuple(r) for r in conn.execute(
            sa.select(implied_roles.c.prior_role_id, implied_roles.c.implied_role_id))]


def add_implied(database, prior_role_id: str, implied_role_id: str) -> None:
    with database.writer() as conn:
        exists = conn.execute(sa.select(implied_roles.c.prior_role_id).where(
            implied_roles.c.prior_role_id == prior_role_id,
            implied_roles.c.implied_role_id == implied_role_id)).first()
        if exists is None:
            conn.execute(implied_roles.insert().values(prior_role_id=prior_role_id,
                                                       implied_role_id=implied_role_id))
            identity_epoch.bump(conn)
