"""networks, subnets, ports and their IP allocations

Revision ID: n0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from novalite.networking.db.migrations.columns import standard_attributes

revision = "n0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "networks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("admin_state_up", sa.Boolean(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("external", sa.Boolean(), nullable=False),
        sa.Column("mtu", sa.Integer(), nullable=False),
        sa.Column("port_security_enabled", sa.Boolean(), nullable=False),
        sa.Column("network_type", sa.String(length=32), nullable=True),
        sa.Column("physical_network", sa.String(length=64), nullable=True),
        sa.Column("segmentation_id", sa.Integer(), nullable=True),
        *standard_attributes(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networks")),
    )
    op.create_index(op.f("ix_networks_project_id"), "networks", ["project_id"])
    op.create_table(
        "subnets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("network_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("ip_version", sa.Integer(), nullable=False),
        sa.Column("cidr", sa.String(length=64), nullable=False),
        sa.Column("gateway_ip", sa.String(length=64), nullable=True),
        sa.Column("enable_dhcp", sa.Boolean(), nullable=False),
        sa.Column("ipv6_ra_mode", sa.String(length=16), nullable=True),
        sa.Column("ipv6_address_mode", sa.String(length=16), nullable=True),
        sa.Column("allocation_pools", sa.JSON(), nullable=False),
        sa.Column("dns_nameservers", sa.JSON(), nullable=False),
        sa.Column("host_routes", sa.JSON(), nullable=False),
        *standard_attributes(),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"],
                                name=op.f("fk_subnets_network_id_networks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subnets")),
    )
    op.create_index(op.f("ix_subnets_network_id"), "subnets", ["network_id"])
    op.create_index(op.f("ix_subnets_project_id"), "subnets", ["project_id"])
    op.create_table(
        "ports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("network_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("mac_address", sa.String(length=32), nullable=False),
        sa.Column("admin_state_up", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.String(length=255), nullable=False),
        sa.Column("device_owner", sa.String(length=255), nullable=False),
        sa.Column("port_security_enabled", sa.Boolean(), nullable=False),
        sa.Column("binding_host_id", sa.String(length=255), nullable=False),
        sa.Column("binding_vnic_type", sa.String(length=64), nullable=False),
        sa.Column("binding_vif_type", sa.String(length=64), nullable=False),
        sa.Column("binding_profile", sa.JSON(), nullable=False),
        sa.Column("allowed_address_pairs", sa.JSON(), nullable=False),
        *standard_attributes(),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"],
                                name=op.f("fk_ports_network_id_networks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ports")),
        sa.UniqueConstraint("network_id", "mac_address",
                            name=op.f("uq_ports_network_id_mac_address")),
    )
    op.create_index(op.f("ix_ports_network_id"), "ports", ["network_id"])
    op.create_index(op.f("ix_ports_project_id"), "ports", ["project_id"])
    op.create_index(op.f("ix_ports_device_id"), "ports", ["device_id"])
    op.create_table(
        "ipallocations",
        sa.Column("port_id", sa.String(length=36), nullable=False),
        sa.Column("subnet_id", sa.String(length=36), nullable=False),
        sa.Column("network_id", sa.String(length=36), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["port_id"], ["ports.id"], ondelete="CASCADE",
                                name=op.f("fk_ipallocations_port_id_ports")),
        sa.ForeignKeyConstraint(["subnet_id"], ["subnets.id"],
                                name=op.f("fk_ipallocations_subnet_id_subnets")),
        sa.PrimaryKeyConstraint("subnet_id", "ip_address", name=op.f("pk_ipallocations")),
    )
    op.create_index(op.f("ix_ipallocations_port_id"), "ipallocations", ["port_id"])


def downgrade() -> None:
    for table in ("ipallocations", "ports", "subnets", "networks"):
        op.drop_table(table)
