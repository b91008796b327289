"""Network rows."""

import sqlalchemy as sa

from novalite.networking import exceptions
from novalite.networking.db import query as db_query
from novalite.networking.db import quotas as db_quotas
from novalite.networking.db.models import ip_allocations, networks, ports, subnets


def create(conn, values: dict) -> None:
    conn.execute(networks.insert().values(**values))


def get(conn, network_id: str):
    row = conn.execute(sa.select(networks).where(networks.c.id == network_id)).first()
    if row is None:
        raise exceptions.NetworkNotFound(net_id=network_id)
    return row


def list_(conn, visible_to: str | None, filters: dict, sorts: list, limit, marker):
    """visible_to: a project id (its own, shared and external networks), None for all."""
    query = sa.select(networks)
    if visible_to is not None:
        query = query.where(sa.or_(networks.c.project_id == visible_to,
                                   networks.c.shared.is_(True),
                                   networks.c.external.is_(True)))
    marker_row = get(conn, marker) if marker else None
    return conn.execute(db_query.apply(query, networks, filters, sorts, limit,
                                       marker_row)).all()


def default_external(conn, other_than: str | None = None) -> str | None:
    """The default external network (the oldest, should there ever be two)."""
    query = sa.select(networks.c.id).where(networks.c.external.is_(True),
                                           networks.c.is_default.is_(True))
    if other_than:
        query = query.where(networks.c.id != other_than)
    return conn.execute(query.order_by(networks.c.created_at, networks.c.id).limit(1)
                        ).scalar()


# The lock row a change of the default external network holds (no project has this id:
# project ids have no colon; migration n0006 makes the row), so two at once cannot both
# find none and each make one.
_DEFAULT_LOCK = "network:is_default"


def lock_default(database, conn) -> None:
    db_quotas.lock(database, conn, _DEFAULT_LOCK)


def subnet_ids(conn, network_ids: list[str]) -> dict[str, list[str]]:
    out = {n: [] for n in network_ids}
    if network_ids:
        rows = conn.execute(sa.select(subnets.c.network_id, subnets.c.id)
                            .where(subnets.c.network_id.in_(network_ids))
                            .order_by(subnets.c.created_at, subnets.c.id))
        for network_id, subnet_id in rows:
            out[network_id].append(subnet_id)
    return out


def update(conn, network_id: str, values: dict) -> None:
    conn.execute(networks.update().where(networks.c.id == network_id).values(
        revision_number=networks.c.revision_number + 1, **values))


def has_ports(conn, network_id: str, except_owners=()) -> bool:
    query = sa.select(ports.c.id).where(ports.c.network_id == network_id)
    if except_owners:
        query = query.where(ports.c.device_owner.not_in(except_owners))
    return conn.execute(query.limit(1)).first() is not None


def delete(conn, network_id: str, service_owners=()) -> None:
    """The network, its subnets and its service's own ports (a DHCP server's)."""
    if service_owners:
        owned = sa.select(ports.c.id).where(ports.c.network_id == network_id,
                                            ports.c.device_owner.in_(service_owners))
        conn.execute(ip_allocations.delete().where(ip_allocations.c.port_id.in_(owned)))
        conn.execute(ports.delete().where(ports.c.network_id == network_id,
                                          ports.c.device_owner.in_(service_owners)))
    conn.execute(subnets.delete().where(subnets.c.network_id == network_id))
    conn.execute(networks.delete().where(networks.c.id == network_id))


def external_ids(conn, network_ids) -> set[str]:
    """Which of these networks are external."""
    if not network_ids:
        return set()
    return set(conn.execute(sa.select(networks.c.id).where(
        networks.c.id.in_(network_ids), networks.c.external.is_(True))).scalars())
