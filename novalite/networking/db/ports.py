"""Port rows and their fixed IPs."""

import sqlalchemy as sa

from novalite.networking import exceptions
from novalite.networking.db import query as db_query
from novalite.networking.db.models import ip_allocations, networks, ports


def create(conn, values: dict) -> None:
    conn.execute(ports.insert().values(**values))


def get_or_none(conn, port_id: str):
    return conn.execute(sa.select(ports).where(ports.c.id == port_id)).first()


def get(conn, port_id: str):
    row = get_or_none(conn, port_id)
    if row is None:
        raise exceptions.PortNotFound(port_id=port_id)
    return row


def list_(conn, visible_to: str | None, filters: dict, sorts: list, limit, marker,
          fixed_ips: list | None = None):
    """visible_to: a project id (its ports, and every port on its networks, as Neutron's
    network owners see them). fixed_ips: [{"subnet_id"|"ip_address": ...}] to match."""
    query = sa.select(ports)
    if visible_to is not None:
        owned = sa.select(networks.c.id).where(networks.c.project_id == visible_to)
        query = query.where(sa.or_(ports.c.project_id == visible_to,
                                   ports.c.network_id.in_(owned)))
    for wanted in fixed_ips or ():
        match = sa.select(ip_allocations.c.port_id)
        for key, value in wanted.items():
            match = match.where(ip_allocations.c[key] == value)
        query = query.where(ports.c.id.in_(match))
    marker_row = get(conn, marker) if marker else None
    return conn.execute(db_query.apply(query, ports, filters, sorts, limit,
                                       marker_row)).all()


def fixed_ips(conn, port_ids: list[str]) -> dict[str, list[dict]]:
    out = {p: [] for p in port_ids}
    if port_ids:
        rows = conn.execute(sa.select(ip_allocations)
                            .where(ip_allocations.c.port_id.in_(port_ids)))
        for row in rows:
            out[row.port_id].append({"subnet_id": row.subnet_id,
                                     "ip_address": row.ip_address})
    return out


def mac_in_use(conn, network_id: str, mac: str) -> bool:
    return conn.execute(sa.select(ports.c.id).where(ports.c.network_id == network_id,
                                                    ports.c.mac_address == mac)
                        ).first() is not None


def allocate(conn, port_id: str, network_id: str, subnet_id: str, address: str) -> bool:
    """Take `address` for the port; False when another port holds it (the primary key
    decides, so concurrent requests cannot both win). A savepoint keeps the failed insert
    from spoiling the transaction."""
    try:
        with conn.begin_nested():
            conn.execute(ip_allocations.insert().values(
                port_id=port_id, network_id=network_id, subnet_id=subnet_id,
                ip_address=address))
    except sa.exc.IntegrityError:
        return False
    return True


def release(conn, port_id: str, keep: list[dict] | None = None) -> None:
    """The port's addresses, all of them or all but `keep`."""
    query = ip_allocations.delete().where(ip_allocations.c.port_id == port_id)
    for item in keep or ():
        query = query.where(sa.not_(sa.and_(ip_allocations.c.subnet_id == item["subnet_id"],
                                            ip_allocations.c.ip_address == item["ip_address"])))
    conn.execute(query)


def update(conn, port_id: str, values: dict) -> None:
    conn.execute(ports.update().where(ports.c.id == port_id).values(
        revision_number=ports.c.revision_number + 1, **values))


def delete(conn, port_id: str) -> None:
    conn.execute(ip_allocations.delete().where(ip_allocations.c.port_id == port_id))
    conn.execute(ports.delete().where(ports.c.id == port_id))
