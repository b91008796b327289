"""The network service's own migrations build exactly the tables its models declare, in
a database the cloud's migrations share (each chain its own version table)."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from novalite.db import database, migration
from novalite.networking.db import migration as network_migration
from novalite.networking.db import models


def test_network_migrations_match_the_models(tmp_path):
    d = database.Database(database.default_url(str(tmp_path)))
    try:
        migration.upgrade(d)
        network_migration.upgrade(d)
        network_migration.upgrade(d)  # again: nothing to do
        with d.writer_engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "include_name": lambda name, type_, parent: type_ != "table"
                or name in models.metadata.tables})
            assert compare_metadata(context, models.metadata) == []
            tables = set(d.writer_engine.dialect.get_table_names(conn))
    finally:
        d.dispose()
    assert {"alembic_version", network_migration.VERSION_TABLE} <= tables
