"""host aggregates, hosts' cached images, image pre-distribution jobs

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "aggregates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created_at", _DATETIME, nullable=True),
        sa.Column("updated_at", _DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aggregates")),
        sa.UniqueConstraint("uuid", name=op.f("uq_aggregates_uuid")),
        sa.UniqueConstraint("name", name=op.f("uq_aggregates_name")),
    )
    op.create_table(
        "aggregate_hosts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("aggregate_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("created_at", _DATETIME, nullable=True),
        sa.ForeignKeyConstraint(["aggregate_id"], ["aggregates.id"], ondelete="CASCADE",
                                name=op.f("fk_aggregate_hosts_aggregate_id_aggregates")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aggregate_hosts")),
        sa.UniqueConstraint("aggregate_id", "host",
                            name=op.f("uq_aggregate_hosts_aggregate_id_host")),
    )
    op.create_table(
        "aggregate_metadata",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("aggregate_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(["aggregate_id"], ["aggregates.id"], ondelete="CASCADE",
                                name=op.f("fk_aggregate_metadata_aggregate_id_aggregates")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_aggregate_metadata")),
        sa.UniqueConstraint("aggregate_id", "key",
                            name=op.f("uq_aggregate_metadata_aggregate_id_key")),
    )
    op.create_table(
        "cached_images",
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("image_id", sa.String(length=36), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("precached_until", _DATETIME, nullable=True),
        sa.Column("updated_at", _DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("host", "image_id", name=op.f("pk_cached_images")),
    )
    op.create_table(
        "predistribution_jobs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("image_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", _DATETIME, nullable=True),
        sa.Column("started_at", _DATETIME, nullable=True),
        sa.Column("finished_at", _DATETIME, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predistribution_jobs")),
    )
    op.create_index(op.f("ix_predistribution_jobs_created_at"), "predistribution_jobs",
                    ["created_at"])
    op.create_table(
        "predistribution_hosts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.String(length=36), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("bytes_done", sa.BigInteger(), nullable=False),
        sa.Column("bytes_total", sa.BigInteger(), nullable=True),
        sa.Column("message", sa.String(length=255), nullable=True),
        sa.Column("updated_at", _DATETIME, nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["predistribution_jobs.id"], ondelete="CASCADE",
                                name=op.f("fk_predistribution_hosts_job_id_"
                                          "predistribution_jobs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predistribution_hosts")),
        sa.UniqueConstraint("job_id", "host", name=op.f("uq_predistribution_hosts_job_id_host")),
    )


def downgrade() -> None:
    for table in ("predistribution_hosts", "predistribution_jobs", "cached_images",
                  "aggregate_metadata", "aggregate_hosts", "aggregates"):
        op.drop_table(table)
