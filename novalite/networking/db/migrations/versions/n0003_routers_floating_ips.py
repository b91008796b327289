"""routers and floating IPs

Revision ID: n0003
Revises: n0002
"""

import sqlalchemy as sa
from alembic import op

from novalite.networking.db.migrations.columns import standard_attributes

revision = "n0003"
down_revision = "n0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("admin_state_up", sa.Boolean(), nullable=False),
        sa.Column("gw_port_id", sa.String(length=36), nullable=True),
        sa.Column("enable_snat", sa.Boolean(), nullable=False),
        *standard_attributes(),
        sa.ForeignKeyConstraint(["gw_port_id"], ["ports.id"],
                                name=op.f("fk_routers_gw_port_id_ports")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routers")),
    )
    op.create_index(op.f("ix_routers_project_id"), "routers", ["project_id"])
    op.create_table(
        "floatingips",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("floating_network_id", sa.String(length=36), nullable=False),
        sa.Column("floating_ip_address", sa.String(length=64), nullable=False),
        sa.Column("floating_port_id", sa.String(length=36), nullable=False),
        sa.Column("fixed_port_id", sa.String(length=36), nullable=True),
        sa.Column("fixed_ip_address", sa.String(length=64), nullable=True),
        sa.Column("router_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        *standard_attributes(),
        sa.ForeignKeyConstraint(["floating_network_id"], ["networks.id"],
                                name=op.f("fk_floatingips_floating_network_id_networks")),
        sa.ForeignKeyConstraint(["floating_port_id"], ["ports.id"], ondelete="CASCADE",
                                name=op.f("fk_floatingips_floating_port_id_ports")),
        sa.ForeignKeyConstraint(["fixed_port_id"], ["ports.id"],
                                name=op.f("fk_floatingips_fixed_port_id_ports")),
        sa.ForeignKeyConstraint(["router_id"], ["routers.id"],
                                name=op.f("fk_floatingips_router_id_routers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_floatingips")),
        sa.UniqueConstraint("floating_network_id", "fixed_port_id", "fixed_ip_address",
                            name="uq_floatingips_fixed_ip"),
    )
    op.create_index(op.f("ix_floatingips_project_id"), "floatingips", ["project_id"])
    op.create_index(op.f("ix_floatingips_fixed_port_id"), "floatingips", ["fixed_port_id"])


def downgrade() -> None:
    op.drop_table("floatingips")
    op.drop_table("routers")
