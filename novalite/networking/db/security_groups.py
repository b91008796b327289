"""Security group rows, their rules, each project's default group and ports' groups."""

import sqlalchemy as sa

from novalite.networking import exceptions
from novalite.networking.db import query as db_query
from novalite.networking.db.models import (
    default_security_groups,
    port_security_groups,
    ports,
    security_group_rules,
    security_groups,
)


def create(conn, values: dict) -> None:
    conn.execute(security_groups.insert().values(**values))


def get(conn, group_id: str):
    row = conn.execute(sa.select(security_groups)
                       .where(security_groups.c.id == group_id)).first()
    if row is None:
        raise exceptions.SecurityGroupNotFound(id=group_id)
    return row


def list_(conn, visible_to: str | None, filters: dict, sorts: list, limit, marker):
    query = sa.select(security_groups)
    if visible_to is not None:
        query = query.where(security_groups.c.project_id == visible_to)
    marker_row = get(conn, marker) if marker else None
    return conn.execute(db_query.apply(query, security_groups, filters, sorts, limit,
                                       marker_row)).all()


def update(conn, group_id: str, values: dict) -> None:
    conn.execute(security_groups.update().where(security_groups.c.id == group_id).values(
        revision_number=security_groups.c.revision_number + 1, **values))


def delete(conn, group_id: str) -> None:
    conn.execute(security_group_rules.delete().where(
        sa.or_(security_group_rules.c.security_group_id == group_id,
               security_group_rules.c.remote_group_id == group_id)))
    conn.execute(default_security_groups.delete().where(
        default_security_groups.c.security_group_id == group_id))
    conn.execute(security_groups.delete().where(security_groups.c.id == group_id))


def default_of(conn, project_id: str) -> str | None:
    return conn.execute(sa.select(default_security_groups.c.security_group_id).where(
        default_security_groups.c.project_id == project_id)).scalar()


def create_default(conn, project_id: str, make) -> str:
    """The project's default group: `make(conn)` makes one (-> its id) and it is claimed,
    in a savepoint. When another request claimed one first (the key waits for it to
    commit, then refuses), ours is undone, not deleted, and theirs is the answer."""
    try:
        with conn.begin_nested():
            group_id = make(conn)
            conn.execute(default_security_groups.insert().values(
                project_id=project_id, security_group_id=group_id))
    except sa.exc.IntegrityError:
        return default_of(conn, project_id)
    return group_id


def default_ids(conn, group_ids: list[str]) -> set[str]:
    if not group_ids:
        return set()
    return set(conn.execute(sa.select(default_security_groups.c.security_group_id).where(
        default_security_groups.c.security_group_id.in_(group_ids))).scalars())


# -- rules ------------------------------------------------------------------------------------

def create_rule(conn, values: dict) -> None:
    conn.execute(security_group_rules.insert().values(**values))


def get_rule(conn, rule_id: str):
    row = conn.execute(sa.select(security_group_rules)
                       .where(security_group_rules.c.id == rule_id)).first()
    if row is None:
        raise exceptions.SecurityGroupRuleNotFound(id=rule_id)
    return row


def rules_of(conn, group_ids: list[str]) -> dict[str, list]:
    out = {g: [] for g in group_ids}
    if group_ids:
        rows = conn.execute(sa.select(security_group_rules)
                            .where(security_group_rules.c.security_group_id.in_(group_ids))
                            .order_by(security_group_rules.c.created_at,
                                      security_group_rules.c.id))
        for row in rows:
            out[row.security_group_id].append(row)
    return out


def list_rules(conn, visible_to: str | None, filters: dict, sorts: list, limit, marker):
    query = sa.select(security_group_rules)
    if visible_to is not None:
        owned = sa.select(security_groups.c.id).where(
            security_groups.c.project_id == visible_to)
        query = query.where(sa.or_(security_group_rules.c.project_id == visible_to,
                                   security_group_rules.c.security_group_id.in_(owned)))
    marker_row = get_rule(conn, marker) if marker else None
    return conn.execute(db_query.apply(query, security_group_rules, filters, sorts, limit,
                                       marker_row)).all()


def delete_rule(conn, rule_id: str) -> None:
    conn.execute(security_group_rules.delete().where(security_group_rules.c.id == rule_id))


# -- ports ------------------------------------------------------------------------------------

def bind_ports(conn, port_id: str, group_ids: list[str]) -> None:
    conn.execute(port_security_groups.delete().where(port_security_groups.c.port_id == port_id))
    if group_ids:
        conn.execute(port_security_groups.insert(), [
            {"port_id": port_id, "security_group_id": g} for g in group_ids])


def of_ports(conn, port_ids: list[str]) -> dict[str, list[str]]:
    out = {p: [] for p in port_ids}
    if port_ids:
        rows = conn.execute(sa.select(port_security_groups)
                            .where(port_security_groups.c.port_id.in_(port_ids))
                            .order_by(port_security_groups.c.security_group_id))
        for row in rows:
            out[row.port_id].append(row.security_group_id)
    return out


def in_use(conn, group_id: str) -> bool:
    return conn.execute(sa.select(port_security_groups.c.port_id).where(
        port_security_groups.c.security_group_id == group_id).limit(1)).first() is not None


# -- what hosts' agents enforce ---------------------------------------------------------------

def members(conn, group_ids: list[str]) -> dict[str, list[str]]:
    """Each group's ports (ids)."""
    out = {g: [] for g in group_ids}
    if group_ids:
        rows = conn.execute(sa.select(port_security_groups).where(
            port_security_groups.c.security_group_id.in_(group_ids)))
        for row in rows:
            out[row.security_group_id].append(row.port_id)
    return out


def hosts_of(conn, group_ids: list[str]) -> set[str]:
    """The hosts the ports of these groups are bound to."""
    if not group_ids:
        return set()
    query = sa.select(ports.c.binding_host_id).distinct().join(
        port_security_groups, port_security_groups.c.port_id == ports.c.id).where(
        port_security_groups.c.security_group_id.in_(group_ids),
        ports.c.binding_host_id != "")
    return set(conn.execute(query).scalars())


def hosts_referencing(conn, group_ids: list[str]) -> set[str]:
    """hosts_of(referencing(group_ids)) in one statement: the hosts with ports in groups
    whose rules name one of these groups as remote."""
    if not group_ids:
        return set()
    referencing_groups = sa.select(security_group_rules.c.security_group_id).where(
        security_group_rules.c.remote_group_id.in_(group_ids))
    query = sa.select(ports.c.binding_host_id).distinct().join(
        port_security_groups, port_security_groups.c.port_id == ports.c.id).where(
        port_security_groups.c.security_group_id.in_(referencing_groups),
        ports.c.binding_host_id != "")
    return set(conn.execute(query).scalars())


def referencing(conn, group_ids: list[str]) -> set[str]:
    """The groups with a rule whose remote group is one of these."""
    if not group_ids:
        return set()
    return set(conn.execute(sa.select(security_group_rules.c.security_group_id).where(
        security_group_rules.c.remote_group_id.in_(group_ids))).scalars())
