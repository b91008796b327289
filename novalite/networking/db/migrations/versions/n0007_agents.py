"""the hosts' network agents and their heartbeats

Revision ID: n0007
Revises: n0006
"""

import sqlalchemy as sa
from alembic import op

from novalite.networking.db.migrations.columns import DATETIME

revision = "n0007"
down_revision = "n0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_agents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("agent_type", sa.String(length=255), nullable=False),
        sa.Column("binary", sa.String(length=255), nullable=False),
        sa.Column("topic", sa.String(length=255), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("admin_state_up", sa.Boolean(), nullable=False),
        sa.Column("availability_zone", sa.String(length=255), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("configurations", sa.JSON(), nullable=False),
        sa.Column("created_at", DATETIME, nullable=False),
        sa.Column("started_at", DATETIME, nullable=False),
        sa.Column("heartbeat_timestamp", DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_agents")),
        sa.UniqueConstraint("agent_type", "host",
                            name=op.f("uq_network_agents_agent_type_host")),
    )


def downgrade() -> None:
    op.drop_table("network_agents")
