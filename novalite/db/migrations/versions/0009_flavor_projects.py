"""Flavor access: the projects that may use a private flavor

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "flavor_projects",
        sa.Column("flavor_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("created_at", _DATETIME, nullable=True),
        sa.ForeignKeyConstraint(["flavor_id"], ["flavors.id"],
                                name=op.f("fk_flavor_projects_flavor_id_flavors"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("flavor_id", "project_id", name=op.f("pk_flavor_projects")),
    )


def downgrade() -> None:
    op.drop_table("flavor_projects")
