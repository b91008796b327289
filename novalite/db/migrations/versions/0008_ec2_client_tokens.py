"""EC2 RunInstances client tokens (idempotent launches)

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
# VARCHAR CHARACTER SET binary is VARBINARY: compared byte for byte, no trailing-space
# padding (ascii_bin would ignore trailing spaces), while str values bind as for VARCHAR.
_TOKEN = sa.String(length=64).with_variant(mysql.VARCHAR(64, charset="binary"), "mysql",
                                           "mariadb")


def upgrade() -> None:
    op.create_table(
        "ec2_client_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("client_token", _TOKEN, nullable=False),
        sa.Column("params_hash", sa.String(length=64), nullable=False),
        sa.Column("reservation_id", sa.String(length=255), nullable=True),
        sa.Column("created_at", _DATETIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ec2_client_tokens")),
        sa.UniqueConstraint("project_id", "client_token",
                            name=op.f("uq_ec2_client_tokens_project_id_client_token")),
    )
    op.create_index(op.f("ix_ec2_client_tokens_reservation_id"), "ec2_client_tokens",
                    ["reservation_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ec2_client_tokens_reservation_id"),
                  table_name="ec2_client_tokens")
    op.drop_table("ec2_client_tokens")
