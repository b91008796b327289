"""Host aggregates: rows, their hosts and metadata, and the availability zone of hosts."""

import uuid as uuidlib

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import aggregate_hosts, aggregate_metadata, aggregates
from novalite.objects.aggregate import Aggregate
from novalite.objects.base import utcnow

AZ_KEY = "availability_zone"


def _load(conn, rows) -> list[Aggregate]:
    found = [Aggregate(id=r.id, uuid=r.uuid, name=r.name, created_at=r.created_at,
                       updated_at=r.updated_at) for r in rows]
    if not found:
        return found
    by_id = {a.id: a for a in found}
    ids = list(by_id)
    for row in conn.execute(sa.select(aggregate_hosts.c.aggregate_id, aggregate_hosts.c.host)
                            .where(aggregate_hosts.c.aggregate_id.in_(ids))
                            .order_by(aggregate_hosts.c.id)):
        by_id[row.aggregate_id].hosts.append(row.host)
    for row in conn.execute(sa.select(aggregate_metadata)
                            .where(aggregate_metadata.c.aggregate_id.in_(ids))):
        by_id[row.aggregate_id].metadata[row.key] = row.value
    return found


def list_(database) -> list[Aggregate]:
    with database.reader() as conn:
        return _load(conn, conn.execute(sa.select(aggregates).order_by(aggregates.c.id)))


def get(database, aggregate_id: int) -> Aggregate:
    with database.reader() as conn:
        found = _load(conn, conn.execute(
            sa.select(aggregates).where(aggregates.c.id == aggregate_id)))
    if not found:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return found[0]


def _name_taken(conn, name, but=None) -> bool:
    query = sa.select(aggregates.c.id).where(aggregates.c.name == name)
    if but is not None:
        query = query.where(aggregates.c.id != but)
    return conn.execute(query).first() is not None


def create(database, name: str, metadata: dict) -> Aggregate:
    now = utcnow()
    with database.writer() as conn:
        if _name_taken(conn, name):
            raise exception.AggregateNameExists(aggregate_name=name)
        new_id = conn.execute(aggregates.insert().values(
            uuid=str(uuidlib.uuid4()), name=name, created_at=now)).inserted_primary_key[0]
        if metadata:
            conn.execute(aggregate_metadata.insert(), [
                {"aggregate_id": new_id, "key": k, "value": v} for k, v in metadata.items()])
    return get(database, new_id)


def update(database, aggregate_id: int, name: str | None = None,
           metadata: dict | None = None) -> None:
    """Rename, and/or set metadata (a None value removes that key)."""
    with database.writer() as conn:
        values = {"updated_at": utcnow()}
        if name is not None:
            if _name_taken(conn, name, but=aggregate_id):
                raise exception.AggregateNameExists(aggregate_name=name)
            values["name"] = name
        conn.execute(aggregates.update().where(aggregates.c.id == aggregate_id)
                     .values(**values))
        for key, value in (metadata or {}).items():
            conn.execute(aggregate_metadata.delete().where(
                aggregate_metadata.c.aggregate_id == aggregate_id,
                aggregate_metadata.c.key == key))
            if value is not None:
                conn.execute(aggregate_metadata.insert().values(
                    aggregate_id=aggregate_id, key=key, value=value))


def delete(database, aggregate_id: int) -> None:
    with database.writer() as conn:
        for table in (aggregate_hosts, aggregate_metadata):
            conn.execute(table.delete().where(table.c.aggregate_id == aggregate_id))
        conn.execute(aggregates.delete().where(aggregates.c.id == aggregate_id))


def add_host(database, aggregate_id: int, host: str) -> None:
    with database.writer() as conn:
        exists = conn.execute(sa.select(aggregate_hosts.c.id).where(
            aggregate_hosts.c.aggregate_id == aggregate_id,
            aggregate_hosts.c.host == host)).first()
        if exists:
            raise exception.AggregateHostExists(aggregate_id=aggregate_id, host=host)
        conn.execute(aggregate_hosts.insert().values(aggregate_id=aggregate_id, host=host,
                                                     created_at=utcnow()))


def remove_host(database, aggregate_id: int, host: str) -> None:
    with database.writer() as conn:
        done = conn.execute(aggregate_hosts.delete().where(
            aggregate_hosts.c.aggregate_id == aggregate_id, aggregate_hosts.c.host == host))
        if not done.rowcount:
            raise exception.AggregateHostNotFound(aggregate_id=aggregate_id, host=host)


def host_zones(database) -> dict[str, str]:
    """host -> the availability zone its aggregates give it (hosts without one: absent).
    One query, for the scheduler and the zone listings."""
    query = (sa.select(aggregate_hosts.c.host, aggregate_metadata.c.value)
             .join(aggregate_metadata,
                   aggregate_metadata.c.aggregate_id == aggregate_hosts.c.aggregate_id)
             .where(aggregate_metadata.c.key == AZ_KEY)
             .order_by(aggregate_hosts.c.id))
    zones: dict[str, str] = {}
    with database.reader() as conn:
        for host, zone in conn.execute(query):
            zones.setdefault(host, zone)
    return zones
