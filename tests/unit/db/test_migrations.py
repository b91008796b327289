"""The hand-written migrations build exactly the schema models.py declares (they drift
otherwise), and data from before a migration survives it."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from novalite.db import database, identity_epoch, migration, models


def _database(tmp_path):
    return database.Database(database.default_url(str(tmp_path)))


def test_migrations_match_the_models(tmp_path):
    d = _database(tmp_path)
    try:
        migration.upgrade(d)
        with d.writer_engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), models.metadata)
        assert diffs == []
        assert identity_epoch.read(d) == 0  # the migration seeds the one row
    finally:
        d.dispose()


def test_images_from_before_migration_0004_are_unprotected(tmp_path):
    d = _database(tmp_path)
    try:
        migration.upgrade(d, "0003")
        with d.writer_engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO images (id, name, status, visibility, min_disk, min_ram, "
                "properties) VALUES ('i1', 'old', 'active', 'public', 0, 0, '{}')"))
        migration.upgrade(d)
        with d.writer_engine.connect() as conn:
            row = conn.execute(sa.select(models.images).where(models.images.c.id == "i1")).one()
    finally:
        d.dispose()
    assert row.protected is False and row.checksum is None
