"""Router and floating IP rows. A router's interfaces and gateway are ports (device_id the
router's id, device_owner network:router_interface / network:router_gateway)."""

import sqlalchemy as sa

from novalite.networking import exceptions
from novalite.networking.db import query as db_query
from novalite.networking.db.models import floating_ips, ip_allocations, ports, routers

INTERFACE = "network:router_interface"
GATEWAY = "network:router_gateway"
FLOATING = "network:floatingip"


def create(conn, values: dict) -> None:
    conn.execute(routers.insert().values(**values))


def get(conn, router_id: str):
    row = conn.execute(sa.select(routers).where(routers.c.id == router_id)).first()
    if row is None:
        raise exceptions.RouterNotFound(router_id=router_id)
    return row


def list_(conn, visible_to, filters, sorts, limit, marker):
    query = sa.select(routers)
    if visible_to is not None:
        query = query.where(routers.c.project_id == visible_to)
    marker_row = get(conn, marker) if marker else None
    return conn.execute(db_query.apply(query, routers, filters, sorts, limit,
                                       marker_row)).all()


def update(conn, router_id: str, values: dict) -> None:
    conn.execute(routers.update().where(routers.c.id == router_id).values(
        revision_number=routers.c.revision_number + 1, **values))


def delete(conn, router_id: str) -> None:
    conn.execute(routers.delete().where(routers.c.id == router_id))


def interfaces(conn, router_id: str) -> list:
    """(port row, [(subnet_id, ip_address)]) of the router's interfaces."""
    rows = conn.execute(sa.select(ports).where(ports.c.device_id == router_id,
                                               ports.c.device_owner == INTERFACE)).all()
    out = []
    for row in rows:
        ips = conn.execute(sa.select(ip_allocations.c.subnet_id, ip_allocations.c.ip_address)
                           .where(ip_allocations.c.port_id == row.id)).all()
        out.append((row, [(i.subnet_id, i.ip_address) for i in ips]))
    return out


def routers_on_subnet(conn, subnet_id: str) -> list[str]:
    """Routers with an interface on the subnet."""
    query = (sa.select(ports.c.device_id).join(ip_allocations,
                                               ip_allocations.c.port_id == ports.c.id)
             .where(ports.c.device_owner == INTERFACE,
                    ip_allocations.c.subnet_id == subnet_id))
    return list(conn.execute(query).scalars())


# -- floating IPs -----------------------------------------------------------------------------

def create_fip(conn, values: dict) -> None:
    conn.execute(floating_ips.insert().values(**values))


def get_fip(conn, fip_id: str):
    row = conn.execute(sa.select(floating_ips).where(floating_ips.c.id == fip_id)).first()
    if row is None:
        raise exceptions.FloatingIPNotFound(floatingip_id=fip_id)
    return row


_FIP_COLUMNS = {"port_id": "fixed_port_id"}


def list_fips(conn, visible_to, filters, sorts, limit, marker):
    query = sa.select(floating_ips)
    if visible_to is not None:
        query = query.where(floating_ips.c.project_id == visible_to)
    filters = {_FIP_COLUMNS.get(k, k): v for k, v in filters.items()}
    marker_row = get_fip(conn, marker) if marker else None
    return conn.execute(db_query.apply(query, floating_ips, filters, sorts, limit,
                                       marker_row)).all()


def update_fip(conn, fip_id: str, values: dict) -> bool:
    """False when another floating IP of the network holds that fixed address (the unique
    key decides a race)."""
    try:
        with conn.begin_nested():
            conn.execute(floating_ips.update().where(floating_ips.c.id == fip_id).values(
                revision_number=floating_ips.c.revision_number + 1, **values))
    except sa.exc.IntegrityError:
        return False
    return True


def fips_of_port(conn, port_id: str) -> list:
    return conn.execute(sa.select(floating_ips)
                        .where(floating_ips.c.fixed_port_id == port_id)).all()


def fips_through_router(conn, router_id: str, network_id: str | None = None) -> list:
    query = sa.select(floating_ips).where(floating_ips.c.router_id == router_id)
    if network_id:
        query = query.where(floating_ips.c.floating_network_id == network_id)
    return conn.execute(query).all()


def delete_fip(conn, fip_id: str) -> None:
    conn.execute(floating_ips.delete().where(floating_ips.c.id == fip_id))
