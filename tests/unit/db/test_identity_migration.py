"""Migration 0002 creates the identity tables exactly as models.py declares them."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from novalite.db import database, identity_epoch, migration, models

IDENTITY_TABLES = {"projects", "users", "roles", "implied_roles", "role_assignments",
                   "token_revocations", "identity_epoch"}


def _table_of(diff) -> str | None:
    for item in diff if isinstance(diff, list) else [diff]:
        for part in item:
            name = getattr(part, "name", None)
            table = getattr(part, "table", None)
            if table is not None and getattr(table, "name", None):
                return table.name
            if isinstance(part, sa.Table):
                return name
            if isinstance(part, str) and part in IDENTITY_TABLES:
                return part
    return None


def test_migrated_identity_tables_match_the_models(tmp_path):
    db = database.Database(database.default_url(str(tmp_path)))
    try:
        migration.upgrade(db)
        with db.writer_engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), models.metadata)
        ours = [d for d in diffs if _table_of(d) in IDENTITY_TABLES]
        assert ours == []
        assert IDENTITY_TABLES <= set(sa.inspect(db.writer_engine).get_table_names())
        assert identity_epoch.read(db) == 0  # the one row exists
    finally:
        db.dispose()
