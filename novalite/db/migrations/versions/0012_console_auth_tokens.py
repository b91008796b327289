"""console_auth_tokens: the one-time tokens of remote console URLs

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "console_auth_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("console_type", sa.String(length=32), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("internal_access_path", sa.String(length=255), nullable=True),
        sa.Column("instance_uuid", sa.String(length=36), nullable=False),
        sa.Column("expires", sa.BigInteger(), nullable=False),
        sa.Column("created_at", _DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_auth_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_console_auth_tokens_token_hash")),
    )
    op.create_index(op.f("ix_console_auth_tokens_instance_uuid"), "console_auth_tokens",
                    ["instance_uuid"])
    op.create_index(op.f("ix_console_auth_tokens_expires"), "console_auth_tokens",
                    ["expires"])


def downgrade() -> None:
    op.drop_table("console_auth_tokens")
