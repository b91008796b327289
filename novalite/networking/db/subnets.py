"""Subnet rows."""

import sqlalchemy as sa

from novalite.networking import exceptions
from novalite.networking.db import query as db_query
from novalite.networking.db.models import ip_allocations, networks, ports, subnets

# A DHCP server's port does not keep its subnet in use: it gives the address back.
_SERVICE_OWNERS = ("network:dhcp",)


def create(conn, values: dict) -> None:
    conn.execute(subnets.insert().values(**values))


def get(conn, subnet_id: str):
    row = conn.execute(sa.select(subnets).where(subnets.c.id == subnet_id)).first()
    if row is None:
        raise exceptions.SubnetNotFound(subnet_id=subnet_id)
    return row


def of_network(conn, network_id: str) -> list:
    return conn.execute(sa.select(subnets).where(subnets.c.network_id == network_id)
                        .order_by(subnets.c.created_at, subnets.c.id)).all()


def list_(conn, visible_to: str | None, filters: dict, sorts: list, limit, marker):
    """visible_to: a project id (its own subnets and those of shared networks)."""
    query = sa.select(subnets)
    if visible_to is not None:
        shared = sa.select(networks.c.id).where(sa.or_(networks.c.shared.is_(True),
                                                       networks.c.external.is_(True)))
        query = query.where(sa.or_(subnets.c.project_id == visible_to,
                                   subnets.c.network_id.in_(shared)))
    marker_row = get(conn, marker) if marker else None
    return conn.execute(db_query.apply(query, subnets, filters, sorts, limit,
                                       marker_row)).all()


def update(conn, subnet_id: str, values: dict) -> None:
    conn.execute(subnets.update().where(subnets.c.id == subnet_id).values(
        revision_number=subnets.c.revision_number + 1, **values))


def allocated(conn, subnet_id: str) -> set[str]:
    return {r.ip_address for r in conn.execute(
        sa.select(ip_allocations.c.ip_address).where(ip_allocations.c.subnet_id == subnet_id))}


def _service_ports():
    return sa.select(ports.c.id).where(ports.c.device_owner.in_(_SERVICE_OWNERS))


def in_use(conn, subnet_id: str) -> bool:
    return conn.execute(sa.select(ip_allocations.c.port_id)
                        .where(ip_allocations.c.subnet_id == subnet_id,
                               ip_allocations.c.port_id.not_in(_service_ports())).limit(1)
                        ).first() is not None


def delete(conn, subnet_id: str, every_allocation: bool = False) -> None:
    """every_allocation: the ports' addresses go too (else only the service's own)."""
    which = [ip_allocations.c.subnet_id == subnet_id]
    if not every_allocation:
        which.append(ip_allocations.c.port_id.in_(_service_ports()))
    conn.execute(ip_allocations.delete().where(*which))
    conn.execute(subnets.delete().where(subnets.c.id == subnet_id))
