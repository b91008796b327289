"""Role assignments: a user has a role on a project (direct grants only; implied roles are
expanded by the identity service)."""

import sqlalchemy as sa

from novalite import exception
from novalite.db import identity_epoch
from novalite.db.models import projects, role_assignments, roles, users
from novalite.objects.identity import RoleAssignment

_ROLE_IDS = sa.select(role_assignments.c.role_id).where(
    role_assignments.c.user_id == sa.bindparam("user_id"),
    role_assignments.c.project_id == sa.bindparam("project_id"))


def role_ids(database, user_id: str, project_id: str) -> list[str]:
    with database.reader() as conn:
        return [r[0] for r in conn.execute(_ROLE_IDS, {"user_id": user_id,
                                                       "project_id": project_id})]


def project_ids(database, user_id: str) -> list[str]:
    """Projects on which the user has any role."""
    with database.reader() as conn:
        return [r[0] for r in conn.execute(
            sa.select(role_assignments.c.project_id).distinct()
            .where(role_assignments.c.user_id == user_id))]


def add(database, user_id: str, project_id: str, role_id: str) -> None:
    with database.writer() as conn:
        exists = conn.execute(sa.select(role_assignments.c.role_id).where(
            role_assignments.c.user_id == user_id,
            role_assignments.c.project_id == project_id,
            role_assignments.c.role_id == role_id)).first()
        if exists is None:
            conn.execute(role_assignments.insert().values(
                user_id=user_id, project_id=project_id, role_id=role_id))
            identity_epoch.bump(conn)


def remove(database, user_id: str, project_id: str, role_id: str) -> None:
    with database.writer() as conn:
        result = conn.execute(role_assignments.delete().where(
            role_assignments.c.user_id == user_id,
            role_assignments.c.project_id == project_id,
            role_assignments.c.role_id == role_id))
        if result.rowcount:
            identity_epoch.bump(conn)
    if result.rowcount == 0:
        raise exception.RoleAssignmentNotFound(role_id=role_id, user_id=user_id,
                                               project_id=project_id)


def list_(database, user_id=None, project_id=None, role_id=None) -> list[RoleAssignment]:
    """Direct assignments with the names of what they join."""
    query = (sa.select(role_assignments.c.user_id, users.c.name.label("user_name"),
                       role_assignments.c.project_id, projects.c.name.label("project_name"),
                       role_assignments.c.role_id, roles.c.name.label("role_name"))
             .join(users, users.c.id == role_assignments.c.user_id)
             .join(projects, projects.c.id == role_assignments.c.project_id)
             .join(roles, roles.c.id == role_assignments.c.role_id)
             .order_by(users.c.name, projects.c.name, roles.c.name))
    if user_id is not None:
        query = query.where(role_assignments.c.user_id == user_id)
    if project_id is not None:
        query = query.where(role_assignments.c.project_id == project_id)
    if role_id is not None:
        query = query.where(role_assignments.c.role_id == role_id)
    with database.reader() as conn:
        return [RoleAssignment(**r._mapping) for r in conn.execute(query)]
