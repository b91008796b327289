"""Auto-allocated topology rows (one per project) and the IPv4 CIDRs already taken."""

import sqlalchemy as sa

from novalite.networking.db import quotas as db_quotas
from novalite.networking.db.models import auto_allocated_topologies as topologies
from novalite.networking.db.models import subnets

# The lock row making topologies one at a time (no project has this id: project ids have
# no colon; migration n0006 makes the row). Without it, requests racing on MariaDB insert
# the same keys at once and InnoDB's duplicate-key locks deadlock them.
_LOCK = "network:auto_allocate"


def lock(database, conn) -> None:
    """Hold the lock until `conn`'s transaction ends (SQLite's writers already take
    turns)."""
    db_quotas.lock(database, conn, _LOCK)


def get(conn, project_id: str):
    return conn.execute(sa.select(topologies)
                        .where(topologies.c.project_id == project_id)).first()


def claim(conn, project_id: str, network_id: str, cidr: str) -> bool:
    """Record the project's topology with its CIDR; False when either is already taken
    (the keys decide, waiting for a concurrent claimer to commit). A savepoint keeps the
    failed insert from spoiling the transaction."""
    try:
        with conn.begin_nested():
            conn.execute(topologies.insert().values(project_id=project_id,
                                                    network_id=network_id, cidr=cidr))
    except sa.exc.IntegrityError:
        return False
    return True


def set_router(conn, project_id: str, router_id: str) -> None:
    conn.execute(topologies.update().where(topologies.c.project_id == project_id)
                 .values(router_id=router_id))


def delete(conn, project_id: str) -> None:
    conn.execute(topologies.delete().where(topologies.c.project_id == project_id))


def taken_ipv4(conn) -> list[str]:
    """Every IPv4 subnet's CIDR, and every topology's (claimed before its subnet is made)."""
    found = conn.execute(sa.select(subnets.c.cidr).where(subnets.c.ip_version == 4))
    return list(found.scalars()) + list(conn.execute(sa.select(topologies.c.cidr)).scalars())
