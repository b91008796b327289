"""Network quota rows, the per-project lock, and what a project has of each resource."""

import sqlalchemy as sa

from novalite.networking.db.models import (
    floating_ips,
    networks,
    ports,
    quota_locks,
    quotas,
    routers,
    security_group_rules,
    security_groups,
    subnets,
)

TABLES = {"network": networks, "subnet": subnets, "port": ports, "router": routers,
          "floatingip": floating_ips, "security_group": security_groups,
          "security_group_rule": security_group_rules}


def limits(conn, project_id: str) -> dict[str, int]:
    rows = conn.execute(sa.select(quotas.c.resource, quotas.c.limit)
                        .where(quotas.c.project_id == project_id))
    return {r.resource: r.limit for r in rows}


def projects_with_limits(conn) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for row in conn.execute(sa.select(quotas)):
        out.setdefault(row.project_id, {})[row.resource] = row.limit
    return out


def set_limits(conn, project_id: str, values: dict[str, int]) -> None:
    for resource, limit in values.items():
        conn.execute(quotas.delete().where(quotas.c.project_id == project_id,
                                           quotas.c.resource == resource))
        conn.execute(quotas.insert().values(project_id=project_id, resource=resource,
                                            limit=limit))


def delete_limits(conn, project_id: str) -> None:
    conn.execute(quotas.delete().where(quotas.c.project_id == project_id))


_LOCK = (sa.select(quota_locks.c.project_id)
         .where(quota_locks.c.project_id == sa.bindparam("project_id")).with_for_update())


def lock(database, conn, project_id: str) -> None:
    """Hold the project's lock row until `conn`'s transaction ends. SQLite needs none: its
    writers already take turns."""
    if database.is_sqlite:
        return
    if conn.execute(_LOCK, {"project_id": project_id}).first() is None:
        # The row is made in a transaction of its own: two first creates inserting it in
        # theirs would each wait for the other's key (InnoDB's duplicate-key deadlock).
        try:
            with database.writer() as other:
                other.execute(quota_locks.insert().values(project_id=project_id))
        except sa.exc.IntegrityError:
            pass  # another request made it
        conn.execute(_LOCK, {"project_id": project_id})


def used(conn, project_id: str, resource: str) -> int:
    table = TABLES[resource]
    return conn.execute(sa.select(sa.func.count()).select_from(table)
                        .where(table.c.project_id == project_id)).scalar()
