import uuid as uuidlib

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import compute_nodes
from novalite.objects.base import utcnow
from novalite.objects.host import ComputeNode

_FIELDS = ("id", "uuid", "host", "hypervisor_hostname", "hypervisor_type",
           "hypervisor_version", "host_ip", "vcpus", "memory_mb", "local_gb", "vcpus_used",
           "memory_mb_used", "local_gb_used", "running_vms", "cpu_allocation_ratio",
           "ram_allocation_ratio", "disk_allocation_ratio", "updated_at")


def _from_row(row) -> ComputeNode:
    m = row._mapping
    return ComputeNode(**{k: m[k] for k in _FIELDS})


def save(database, node: ComputeNode) -> ComputeNode:
    """Create or update the row of this host's node (the resource tracker's write)."""
    values = {k: getattr(node, k) for k in _FIELDS if k not in ("id", "uuid", "updated_at")}
    now = utcnow()
    with database.writer() as conn:
        row = conn.execute(sa.select(compute_nodes.c.id, compute_nodes.c.uuid)
                           .where(compute_nodes.c.host == node.host)).first()
        if row is None:
            node.uuid = node.uuid or str(uuidlib.uuid4())
            node.id = conn.execute(compute_nodes.insert().values(
                uuid=node.uuid, created_at=now, updated_at=now, **values)
            ).inserted_primary_key[0]
        else:
            node.id, node.uuid = row.id, row.uuid
            conn.execute(compute_nodes.update().where(compute_nodes.c.id == row.id)
                         .values(updated_at=now, **values))
    node.updated_at = now
    return node


def list_(database) -> list[ComputeNode]:
    with database.reader() as conn:
        return [_from_row(r) for r in
                conn.execute(sa.select(compute_nodes).order_by(compute_nodes.c.id))]


def get_by_uuid(database, node_uuid: str) -> ComputeNode:
    with database.reader() as conn:
        row = conn.execute(sa.select(compute_nodes)
                           .where(compute_nodes.c.uuid == node_uuid)).first()
    if row is None:
        raise exception.HypervisorNotFound(hypervisor_id=node_uuid)
    return _from_row(row)
