"""The network service's schema migrations: an Alembic chain of its own, with its own
version table, in whatever database the service is given (the cloud's, by default)."""

import os

from alembic import command
from alembic.config import Config

_HERE = os.path.join(os.path.dirname(__file__), "migrations")
VERSION_TABLE = "alembic_version_network"


def _alembic_config(database) -> Config:
    config = Config()
    config.set_main_option("script_location", _HERE)
    config.attributes["engine"] = database.writer_engine
    return config


def upgrade(database, revision: str = "head") -> None:
    command.upgrade(_alembic_config(database), revision)
