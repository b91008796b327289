"""security groups, their rules, each project's default group, and ports' groups

Revision ID: n0002
Revises: n0001
"""

import sqlalchemy as sa
from alembic import op

from novalite.networking.db.migrations.columns import standard_attributes

revision = "n0002"
down_revision = "n0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "securitygroups",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("stateful", sa.Boolean(), nullable=False),
        *standard_attributes(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_securitygroups")),
    )
    op.create_index(op.f("ix_securitygroups_project_id"), "securitygroups", ["project_id"])
    op.create_table(
        "securitygrouprules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("security_group_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("ethertype", sa.String(length=8), nullable=False),
        sa.Column("protocol", sa.String(length=40), nullable=True),
        sa.Column("port_range_min", sa.Integer(), nullable=True),
        sa.Column("port_range_max", sa.Integer(), nullable=True),
        sa.Column("remote_ip_prefix", sa.String(length=64), nullable=True),
        sa.Column("remote_group_id", sa.String(length=36), nullable=True),
        *standard_attributes(),
        sa.ForeignKeyConstraint(["security_group_id"], ["securitygroups.id"],
                                ondelete="CASCADE",
                                name=op.f("fk_securitygrouprules_security_group_id_"
                                          "securitygroups")),
        sa.ForeignKeyConstraint(["remote_group_id"], ["securitygroups.id"],
                                ondelete="CASCADE",
                                name=op.f("fk_securitygrouprules_remote_group_id_"
                                          "securitygroups")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_securitygrouprules")),
    )
    op.create_index(op.f("ix_securitygrouprules_security_group_id"), "securitygrouprules",
                    ["security_group_id"])
    op.create_index(op.f("ix_securitygrouprules_project_id"), "securitygrouprules",
                    ["project_id"])
    op.create_table(
        "default_security_group",
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("security_group_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["security_group_id"], ["securitygroups.id"],
                                ondelete="CASCADE",
                                name=op.f("fk_default_security_group_security_group_id_"
                                          "securitygroups")),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_default_security_group")),
    )
    op.create_table(
        "securitygroupportbindings",
        sa.Column("port_id", sa.String(length=36), nullable=False),
        sa.Column("security_group_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["port_id"], ["ports.id"], ondelete="CASCADE",
                                name=op.f("fk_securitygroupportbindings_port_id_ports")),
        sa.ForeignKeyConstraint(["security_group_id"], ["securitygroups.id"],
                                name=op.f("fk_securitygroupportbindings_security_group_id_"
                                          "securitygroups")),
        sa.PrimaryKeyConstraint("port_id", "security_group_id",
                                name=op.f("pk_securitygroupportbindings")),
    )
    op.create_index(op.f("ix_securitygroupportbindings_security_group_id"),
                    "securitygroupportbindings", ["security_group_id"])


def downgrade() -> None:
    for table in ("securitygroupportbindings", "default_security_group",
                  "securitygrouprules", "securitygroups"):
        op.drop_table(table)
