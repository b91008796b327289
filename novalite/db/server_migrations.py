"""The migrations table: a server's moves between hosts (named so beside the schema's own
migrations/ directory)."""

import uuid as uuid_lib

import sqlalchemy as sa

from novalite import exception
from novalite.db.models import migrations
from novalite.objects.base import utcnow
from novalite.objects.flavor import Flavor
from novalite.objects.migration import FINISHED_STATUSES, Migration

_FLAVORS = ("old_flavor", "new_flavor")


def _from_row(row) -> Migration:
    m = dict(row._mapping)
    m.pop("old_instance_type_id", None)
    m.pop("new_instance_type_id", None)
    for key in _FLAVORS:
        m[key] = Flavor.from_primitive(m[key]) if m[key] else None
    return Migration(**m)


def _to_values(values: dict) -> dict:
    out = dict(values)
    for key, id_key in (("old_flavor", "old_instance_type_id"),
                        ("new_flavor", "new_instance_type_id")):
        flavor = out.get(key)
        if isinstance(flavor, Flavor):
            out[key] = flavor.to_primitive()
            out[id_key] = flavor.id
    return out


def create(database, migration: Migration, conn=None) -> Migration:
    now = utcnow()
    migration.uuid = migration.uuid or str(uuid_lib.uuid4())
    migration.created_at = migration.updated_at = now
    values = {k: v for k, v in migration.to_primitive().items()
              if k not in ("id", "created_at", "updated_at")}
    values.update(old_flavor=migration.old_flavor, new_flavor=migration.new_flavor)
    values = _to_values(values)
    values.update(created_at=now, updated_at=now)
    with database.writer(conn) as conn:
        migration.id = conn.execute(migrations.insert().values(**values)
                                    ).inserted_primary_key[0]
    return migration


def get(database, migration_id: int) -> Migration:
    with database.reader() as conn:
        row = conn.execute(sa.select(migrations).where(migrations.c.id == migration_id)
                           ).first()
    if row is None:
        raise exception.MigrationNotFound(migration_id=migration_id)
    return _from_row(row)


def update(database, migration_id: int, values: dict, expected_status=None,
           conn=None) -> bool:
    """Set values; with expected_status (a status or a list of them) only from those, as a
    compare-and-swap. -> whether the row changed."""
    query = migrations.update().where(migrations.c.id == migration_id)
    if expected_status is not None:
        if isinstance(expected_status, str):
            expected_status = [expected_status]
        query = query.where(migrations.c.status.in_(list(expected_status)))
    with database.writer(conn) as conn:
        return conn.execute(query.values(**_to_values(values), updated_at=utcnow())
                            ).rowcount > 0


def for_instance(database, instance_uuid: str, status=None, types=None) -> list[Migration]:
    """The instance's migrations, newest first, of these statuses and types if given."""
    query = sa.select(migrations).where(migrations.c.instance_uuid == instance_uuid)
    if status is not None:
        query = query.where(migrations.c.status.in_([status] if isinstance(status, str)
                                                    else list(status)))
    if types is not None:
        query = query.where(migrations.c.migration_type.in_(list(types)))
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query.order_by(migrations.c.id.desc()))]


def in_progress_on_host(database, host: str) -> list[Migration]:
    """Unfinished migrations from or to `host`: the claims its tracker must count."""
    c = migrations.c
    query = sa.select(migrations).where(sa.or_(c.source_compute == host,
                                               c.dest_compute == host),
                                        c.status.not_in(sorted(FINISHED_STATUSES)))
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query)]


def finished_before(database, host: str, cutoff) -> list[Migration]:
    """Resizes and migrations to `host` waiting in VERIFY_RESIZE since before cutoff."""
    c = migrations.c
    query = sa.select(migrations).where(c.dest_compute == host, c.status == "finished",
                                        c.migration_type.in_(["resize", "migration"]),
                                        c.updated_at < cutoff)
    with database.reader() as conn:
        return [_from_row(r) for r in conn.execute(query)]


def list_(database, filters: dict | None = None, limit: int | None = None,
          marker: str | None = None, changes_since=None, changes_before=None,
          project_id: str | None = None) -> list[Migration]:
    """os-migrations' listing, newest first (created_at, id), paged by a migration uuid.
    filters: exact matches on status, migration_type, instance_uuid, source_compute,
    dest_compute, user_id, project_id (`host` matches either end)."""
    c = migrations.c
    query = sa.select(migrations)
    for key, value in (filters or {}).items():
        if value is None:
            continue
        if key == "host":
            query = query.where(sa.or_(c.source_compute == value, c.dest_compute == value))
        else:
            query = query.where(getattr(c, key) == value)
    if project_id is not None:
        query = query.where(c.project_id == project_id)
    if changes_since is not None:
        query = query.where(c.updated_at >= changes_since)
    if changes_before is not None:
        query = query.where(c.updated_at <= changes_before)
    with database.reader() as conn:
        if marker is not None:
            mark = conn.execute(sa.select(c.created_at, c.id).where(c.uuid == marker)).first()
            if mark is None:
                raise exception.MarkerNotFound(marker=marker)
            query = query.where(sa.or_(c.created_at < mark.created_at,
                                       sa.and_(c.created_at == mark.created_at,
                                               c.id < mark.id)))
        query = query.order_by(c.created_at.desc(), c.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return [_from_row(r) for r in conn.execute(query)]
