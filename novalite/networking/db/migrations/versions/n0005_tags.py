"""tags of every network resource

Revision ID: n0005
Revises: n0004
"""

import sqlalchemy as sa
from alembic import op

revision = "n0005"
down_revision = "n0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_tags",
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("tag", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("resource_id", "tag", name=op.f("pk_network_tags")),
    )


def downgrade() -> None:
    op.drop_table("network_tags")
