"""Partition status: the latest planned materialization per asset partition.

Revision ID: 0004_partition_status
Revises: 0003_backfills
Create Date: 2026-11-22

Valid for SQLite and PostgreSQL. Adds two nullable columns to ``asset_partitions``; existing
rows keep their materialization ids, so older databases upgrade in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_partition_status"
down_revision = "0003_backfills"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``last_planned_storage_id`` and ``last_planned_run_id`` to ``asset_partitions``, and
    an index covering the partition status read."""
    op.add_column("asset_partitions", sa.Column("last_planned_storage_id", sa.BigInteger))
    op.add_column("asset_partitions", sa.Column("last_planned_run_id", sa.String(255)))
    op.create_index(
        "idx_asset_partitions_status",
        "asset_partitions",
        [
            "asset_key",
            "partition",
            "last_materialization_storage_id",
            "last_planned_storage_id",
            "last_planned_run_id",
        ],
    )


def downgrade() -> None:
    """Drop the two columns."""
    op.drop_index("idx_asset_partitions_status", table_name="asset_partitions")
    with op.batch_alter_table("asset_partitions") as batch:
        batch.drop_column("last_planned_run_id")
        batch.drop_column("last_planned_storage_id")
