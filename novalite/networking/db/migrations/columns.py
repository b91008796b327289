"""Column definitions the network service's migrations share (each migration still states
its own tables)."""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# Microseconds on MySQL/MariaDB too, as the models declare.
DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def standard_attributes() -> list:
    """Neutron's standard attributes, on every resource."""
    return [sa.Column("description", sa.String(length=255), nullable=False),
            sa.Column("created_at", DATETIME, nullable=False),
            sa.Column("updated_at", DATETIME, nullable=False),
            sa.Column("revision_number", sa.Integer(), nullable=False)]
