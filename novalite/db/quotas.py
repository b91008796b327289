"""Quota limits per project, usage counts, and the lock that makes count-then-insert safe.

Usage is counted, never stored: a check counts the rows that exist and inserts the new ones
in the same transaction, under `locked()`, so two requests cannot both see the last free
slot. On SQLite the writer lock already serialises every write transaction; on MariaDB and
PostgreSQL the lock is a row of quota_locks taken with SELECT ... FOR UPDATE.
"""

import contextlib

import sqlalchemy as sa

from novalite.db.models import instances, quota_locks, quotas
from novalite.objects.base import utcnow

PROJECT = "project"
USER = "user"


@contextlib.contextmanager
def locked(database, scope: str, scope_id: str):
    """A write transaction holding the quota lock of one project or user until it ends."""
    if database.is_sqlite:  # BEGIN IMMEDIATE: this transaction is the only writer already
        with database.writer() as conn:
            yield conn
        return
    lock_row = (sa.select(quota_locks.c.scope)
                .where(quota_locks.c.scope == scope, quota_locks.c.scope_id == scope_id)
                .with_for_update())
    for _attempt in range(2):
        with database.writer() as conn:
            if conn.execute(lock_row).first() is not None:
                yield conn
                return
        # The first check of this scope: create its row in a transaction of its own (which
        # never rolls back, so waiters on the same key cannot deadlock), then start over.
        _create_lock_row(database, scope, scope_id)
    raise RuntimeError("quota lock row %s/%s vanished" % (scope, scope_id))


def _create_lock_row(database, scope: str, scope_id: str) -> None:
    try:
        with database.writer() as conn:
            conn.execute(quota_locks.insert().values(scope=scope, scope_id=scope_id,
                                                     created_at=utcnow()))
    except sa.exc.IntegrityError:
        pass  # another request created it first: just as good


@contextlib.contextmanager
def _reading(database, conn):
    if conn is not None:
        yield conn
    else:
        with database.reader() as conn:
            yield conn


def get_limits(database, project_id: str, conn=None) -> dict[str, int]:
    """The project's own limits: {resource: hard_limit} (defaults are not stored)."""
    query = sa.select(quotas.c.resource, quotas.c.hard_limit).where(
        quotas.c.project_id == project_id)
    with _reading(database, conn) as conn:
        return {row.resource: row.hard_limit for row in conn.execute(query)}


def set_limits(conn, project_id: str, limits: dict[str, int]) -> None:
    """Store limits for the project (in the caller's transaction, under its lock)."""
    now = utcnow()
    existing = get_limits(None, project_id, conn=conn)
    for resource, hard_limit in limits.items():
        if resource in existing:
            conn.execute(quotas.update()
                         .where(quotas.c.project_id == project_id,
                                quotas.c.resource == resource)
                         .values(hard_limit=hard_limit, updated_at=now))
        else:
            conn.execute(quotas.insert().values(project_id=project_id, resource=resource,
                                                hard_limit=hard_limit, created_at=now,
                                                updated_at=now))


def delete_limits(database, project_id: str) -> None:
    with database.writer() as conn:
        conn.execute(quotas.delete().where(quotas.c.project_id == project_id))


def count_instances(database, project_id: str, user_id: str | None = None,
                    conn=None) -> dict[str, int]:
    """{instances, cores, ram} of the project's (or one user's) live instances (not the
    soft-deleted); cores and RAM come from the flavor each instance was booted with."""
    c = instances.c
    query = sa.select(sa.func.count(),
                      sa.func.coalesce(sa.func.sum(c.flavor["vcpus"].as_integer()), 0),
                      sa.func.coalesce(sa.func.sum(c.flavor["memory_mb"].as_integer()), 0)
                      ).where(c.project_id == project_id, c.deleted == 0,
                              # As Nova: a soft-deleted server no longer counts.
                              sa.or_(c.vm_state != "soft-delete", c.vm_state.is_(None)))
    if user_id is not None:
        query = query.where(c.user_id == user_id)
    with _reading(database, conn) as conn:
        count, cores, ram = conn.execute(query).one()
    return {"instances": int(count), "cores": int(cores), "ram": int(ram)}
