"""identity: projects, users, roles, assignments, token revocations

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# As models.DateTime: microseconds on MySQL/MariaDB too.
DateTime = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("domain_id", sa.String(64), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", DateTime, nullable=True),
        sa.Column("updated_at", DateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("domain_id", "name", name=op.f("uq_projects_domain_id_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("domain_id", sa.String(64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("token_generation", sa.Integer(), nullable=False),
        sa.Column("default_project_id", sa.String(64), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("created_at", DateTime, nullable=True),
        sa.Column("updated_at", DateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("domain_id", "name", name=op.f("uq_users_domain_id_name")),
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", DateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint("name", name=op.f("uq_roles_name")),
    )
    op.create_table(
        "implied_roles",
        sa.Column("prior_role_id", sa.String(64), nullable=False),
        sa.Column("implied_role_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["prior_role_id"], ["roles.id"], ondelete="CASCADE",
                                name=op.f("fk_implied_roles_prior_role_id_roles")),
        sa.ForeignKeyConstraint(["implied_role_id"], ["roles.id"], ondelete="CASCADE",
                                name=op.f("fk_implied_roles_implied_role_id_roles")),
        sa.PrimaryKeyConstraint("prior_role_id", "implied_role_id",
                                name=op.f("pk_implied_roles")),
    )
    op.create_table(
        "role_assignments",
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("project_id", sa.String(64), nullable=False),
        sa.Column("role_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_role_assignments_user_id_users")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE",
                                name=op.f("fk_role_assignments_project_id_projects")),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], ondelete="CASCADE",
                                name=op.f("fk_role_assignments_role_id_roles")),
        sa.PrimaryKeyConstraint("user_id", "project_id", "role_id",
                                name=op.f("pk_role_assignments")),
    )
    op.create_index(op.f("ix_role_assignments_project_id"), "role_assignments",
                    ["project_id"])
    op.create_table(
        "token_revocations",
        sa.Column("audit_id", sa.String(64), nullable=False),
        sa.Column("expires_at", DateTime, nullable=False),
        sa.Column("revoked_at", DateTime, nullable=False),
        sa.PrimaryKeyConstraint("audit_id", name=op.f("pk_token_revocations")),
    )
    op.create_index(op.f("ix_token_revocations_expires_at"), "token_revocations",
                    ["expires_at"])
    epoch = op.create_table(
        "identity_epoch",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("epoch", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_epoch")),
    )
    op.bulk_insert(epoch, [{"id": 1, "epoch": 0}])


def downgrade() -> None:
    op.drop_table("identity_epoch")
    op.drop_index(op.f("ix_token_revocations_expires_at"), table_name="token_revocations")
    op.drop_table("token_revocations")
    op.drop_index(op.f("ix_role_assignments_project_id"), table_name="role_assignments")
    op.drop_table("role_assignments")
    op.drop_table("implied_roles")
    op.drop_table("roles")
    op.drop_table("users")
    op.drop_table("projects")
