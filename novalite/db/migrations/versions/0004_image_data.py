"""image data: hashes, protection, tags and members

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# As models.DateTime: microseconds on MySQL/MariaDB too.
_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.add_column("images", sa.Column("checksum", sa.String(length=32), nullable=True))
    op.add_column("images", sa.Column("os_hash_algo", sa.String(length=64), nullable=True))
    op.add_column("images", sa.Column("os_hash_value", sa.String(length=128), nullable=True))
    # Existing rows are unprotected: the server default fills them in.
    op.add_column("images", sa.Column("protected", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        "image_tags",
        sa.Column("image_id", sa.String(length=36), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["image_id"], ["images.id"],
                                name=op.f("fk_image_tags_image_id_images"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("image_id", "value", name=op.f("pk_image_tags")),
    )
    op.create_table(
        "image_members",
        sa.Column("image_id", sa.String(length=36), nullable=False),
        sa.Column("member", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", _DATETIME, nullable=True),
        sa.Column("updated_at", _DATETIME, nullable=True),
        sa.ForeignKeyConstraint(["image_id"], ["images.id"],
                                name=op.f("fk_image_members_image_id_images"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("image_id", "member", name=op.f("pk_image_members")),
    )


def downgrade() -> None:
    op.drop_table("image_members")
    op.drop_table("image_tags")
    with op.batch_alter_table("images") as batch:
        for column in ("protected", "os_hash_value", "os_hash_algo", "checksum"):
            batch.drop_column(column)
