"""Flavor access rows: (flavor, project) pairs that let a project use a private flavor."""

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import flavor_projects, flavors
from novalite.objects.base import utcnow


def list_(database, flavor_row_id: int) -> list[str]:
    with database.reader() as conn:
        return list(conn.execute(
            sa.select(flavor_projects.c.project_id)
            .where(flavor_projects.c.flavor_id == flavor_row_id)
            .order_by(flavor_projects.c.project_id)).scalars())


def has_access(database, flavor_row_id: int, project_id: str) -> bool:
    with database.reader() as conn:
        return conn.execute(sa.select(flavor_projects.c.project_id).where(
            flavor_projects.c.flavor_id == flavor_row_id,
            flavor_projects.c.project_id == project_id)).first() is not None


def add(database, flavor_row_id: int, flavorid: str, project_id: str) -> None:
    with database.writer() as conn:
        if conn.execute(sa.select(flavor_projects.c.project_id).where(
                flavor_projects.c.flavor_id == flavor_row_id,
                flavor_projects.c.project_id == project_id)).first() is not None:
            raise exception.FlavorAccessExists(flavor_id=flavorid, project_id=project_id)
        try:
            conn.execute(flavor_projects.insert().values(
                flavor_id=flavor_row_id, project_id=project_id, created_at=utcnow()))
        except sa.exc.IntegrityError as e:  # a concurrent add of the same pair
            raise exception.FlavorAccessExists(flavor_id=flavorid,
                                               project_id=project_id) from e


def remove(database, flavor_row_id: int, flavorid: str, project_id: str) -> None:
    with database.writer() as conn:
        result = conn.execute(flavor_projects.delete().where(
            flavor_projects.c.flavor_id == flavor_row_id,
            flavor_projects.c.project_id == project_id))
    if result.rowcount == 0:
        raise exception.FlavorAccessNotFound(flavor_id=flavorid, project_id=project_id)


def delete_for_flavor(conn, flavor_row_id: int) -> None:
    """Inside a flavor's delete (SQLite runs without foreign key enforcement)."""
    conn.execute(flavor_projects.delete().where(flavor_projects.c.flavor_id == flavor_row_id))


def accessible_clause(project_id: str):
    """Flavors a project may use: the public ones and the private ones it was given."""
    return sa.or_(flavors.c.is_public == sa.true(), flavors.c.id.in_(
        sa.select(flavor_projects.c.flavor_id)
        .where(flavor_projects.c.project_id == project_id)))
