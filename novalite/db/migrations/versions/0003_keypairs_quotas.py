"""key pairs and quotas

Revision ID: 0003
Revises: 0002
"""

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the key pair and quota work


def downgrade() -> None:
    pass
