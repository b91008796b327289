"""Schema migrations with Alembic (`novalite db upgrade`)."""

import os

from alembic import command
from alembic.config import Config

_HERE = os.path.join(os.path.dirname(__file__), "migrations")


def _alembic_config(database) -> Config:
    config = Config()
    config.set_main_option("script_location", _HERE)
    config.attributes["engine"] = database.writer_engine
    return config


def upgrade(database, revision: str = "head") -> None:
    command.upgrade(_alembic_config(database), revision)


def current(database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with database.writer_engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
