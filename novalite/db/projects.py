import sqlalchemy as sa

from novalite import exception
from novalite.db import identity_epoch
from novalite.db.models import projects, role_assignments
from novalite.objects.base import utcnow
from novalite.objects.identity import Project

_FIELDS = ("id", "name", "domain_id", "description", "enabled", "created_at", "updated_at")


def _from_row(row) -> Project:
    m = row._mapping
    values = {k: m[k] for k in _FIELDS}
    values["enabled"] = bool(values["enabled"])
    values["description"] = values["description"] or ""
    return Project(**values)


def get(database, project_id: str) -> Project:
    with database.reader() as conn:
        row = conn.execute(sa.select(projects).where(projects.c.id == project_id)).first()
    if row is None:
        raise exception.ProjectNotFound(project_id=project_id)
    return _from_row(row)


def get_by_name(database, name: str, domain_id: str) -> Project:
    with database.reader() as conn:
        row = conn.execute(sa.select(projects).where(projects.c.name == name,
                                                     projects.c.domain_id == domain_id)).first()
    if row is None:
        raise exception.ProjectNotFound(project_id=name)
    return _from_row(row)


def list_(database, name=None, domain_id=None, enabled=None, ids=None) -> list[Project]:
    query = sa.select(projects).order_by(projects.c.name, projects.c.id)
    if name is not None:
        query = query.where(projects.c.name == name)
    if domain_id is not None:
        query = query.where(projects.c.domain_id == domain_id)
    if enabled is not None:
        query = query.where(projects.c.enabled == enabled)
    if ids is not None:
        query = query.where(projects.c.id.in_(list(ids)))
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query)]


def create(database, project: Project) -> Project:
    project.created_at = project.updated_at = utcnow()
    values = {k: getattr(project, k) for k in _FIELDS}
    try:
        with database.writer() as conn:
            conn.execute(projects.insert().values(**values))
    except sa.exc.IntegrityError as e:
        raise exception.IdentityConflict(type="project", name=project.name) from e
    return project


def update(database, project_id: str, values: dict) -> None:
    try:
        with database.writer() as conn:
            result = conn.execute(projects.update().where(projects.c.id == project_id)
                                  .values(updated_at=utcnow(), **values))
            if result.rowcount:
                identity_epoch.bump(conn)
    except sa.exc.IntegrityError as e:
        raise exception.IdentityConflict(type="project", name=values.get("name")) from e
    if result.rowcount == 0:
        raise exception.ProjectNotFound(project_id=project_id)


def delete(database, project_id: str) -> None:
    with database.writer() as conn:
        conn.execute(role_assignments.delete()
                     .where(role_assignments.c.project_id == project_id))
        result = conn.execute(projects.delete().where(projects.c.id == project_id))
        if result.rowcount:
            identity_epoch.bump(conn)
    if result.rowcount == 0:
        raise exception.ProjectNotFound(project_id=project_id)
