"""network quotas per project, and the rows a create locks while it counts

Revision ID: n0004
Revises: n0003
"""

import sqlalchemy as sa
from alembic import op

revision = "n0004"
down_revision = "n0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_quotas",
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("resource", sa.String(length=64), nullable=False),
        sa.Column("limit", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "resource", name=op.f("pk_network_quotas")),
    )
    op.create_table(
        "network_quota_locks",
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_network_quota_locks")),
    )


def downgrade() -> None:
    op.drop_table("network_quota_locks")
    op.drop_table("network_quotas")
