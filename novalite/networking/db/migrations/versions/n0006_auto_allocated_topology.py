"""networks' is_default and each project's auto-allocated topology

Revision ID: n0006
Revises: n0005
"""

import sqlalchemy as sa
from alembic import op

revision = "n0006"
down_revision = "n0005"
branch_labels = None
depends_on = None

_LOCKS = sa.table("network_quota_locks", sa.column("project_id", sa.String))
_LOCK_KEYS = ("network:is_default", "network:auto_allocate")


def upgrade() -> None:
    with op.batch_alter_table("networks") as batch:
        batch.add_column(sa.Column("is_default", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    op.create_table(
        "auto_allocated_topologies",
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("network_id", sa.String(length=36), nullable=False),
        sa.Column("router_id", sa.String(length=36), nullable=True),
        sa.Column("cidr", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"], ondelete="CASCADE",
                                name=op.f("fk_auto_allocated_topologies_network_id_networks")),
        sa.ForeignKeyConstraint(["router_id"], ["routers.id"], ondelete="SET NULL",
                                name=op.f("fk_auto_allocated_topologies_router_id_routers")),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_auto_allocated_topologies")),
        sa.UniqueConstraint("cidr", name=op.f("uq_auto_allocated_topologies_cidr")),
    )
    # The rows the default external network's changes and the topologies' making lock
    # (db/networks.py, db/auto_allocate.py), there from the start: made on first use, by
    # many requests at once, each would need a second connection while holding one.
    op.bulk_insert(_LOCKS, [{"project_id": key} for key in _LOCK_KEYS])


def downgrade() -> None:
    op.execute(_LOCKS.delete().where(_LOCKS.c.project_id.in_(_LOCK_KEYS)))
    op.drop_table("auto_allocated_topologies")
    with op.batch_alter_table("networks") as batch:
        batch.drop_column("is_default")
