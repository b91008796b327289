"""Migration 0003 creates the key pair and quota tables exactly as models.py declares them
(hand-written migrations drift otherwise)."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from novalite.db import database, migration, models

TABLES = {"key_pairs", "quotas", "quota_locks"}


def _about_our_tables(diff) -> bool:
    if isinstance(diff, list):  # column changes come as lists of tuples
        return any(_about_our_tables(d) for d in diff)
    for item in diff[1:]:
        table = getattr(item, "table", None)
        name = getattr(table, "name", None) or getattr(item, "name", None)
        if name in TABLES or (isinstance(item, str) and item in TABLES):
            return True
    return False


def test_migration_matches_the_models(tmp_path):
    d = database.Database(database.default_url(str(tmp_path)))
    try:
        migration.upgrade(d)
        with d.writer_engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), models.metadata)
            assert TABLES <= set(conn.dialect.get_table_names(conn))
    finally:
        d.dispose()
    assert [diff for diff in diffs if _about_our_tables(diff)] == []
