"""Migration 0004 adds the image data columns, image_tags and image_members exactly as
models.py declares them, and an image row from before it reads back unprotected."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from novalite.db import database, migration, models

TABLES = {"images", "image_tags", "image_members"}


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
            columns = {c["name"] for c in sa.inspect(conn).get_columns("images")}
    finally:
        d.dispose()
    assert {"checksum", "os_hash_algo", "os_hash_value", "protected"} <= columns
    assert [diff for diff in diffs if _about_our_tables(diff)] == []


def test_images_from_before_the_migration_are_unprotected(tmp_path):
    d = database.Database(database.default_url(str(tmp_path)))
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
