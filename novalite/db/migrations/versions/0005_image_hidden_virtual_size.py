"""images: os_hidden and virtual_size

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows are not hidden: the server default fills them in.
    op.add_column("images", sa.Column("os_hidden", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.add_column("images", sa.Column("virtual_size", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("images") as batch:
        for column in ("virtual_size", "os_hidden"):
            batch.drop_column(column)
