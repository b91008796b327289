"""instances: who locked a server, and system metadata for the lifecycle actions

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 'owner' or 'admin' (Nova's locked_by): an owner may not undo an admin's lock.
    op.add_column("instances", sa.Column("locked_by", sa.String(length=5), nullable=True))
    # What an action must remember for its undo, as Nova's system_metadata: the vm_state
    # before a rescue, the image a shelve made, the admin password a driver set...
    op.add_column("instances", sa.Column("system_metadata", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instances") as batch:
        for column in ("system_metadata", "locked_by"):
            batch.drop_column(column)
