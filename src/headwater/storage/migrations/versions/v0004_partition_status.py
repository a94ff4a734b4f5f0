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
    """Add ``last_planned_storage_id`` and ``last_planned_run_id`` to ``asset_partitions``."""
    op.add_column("asset_partitions", sa.Column("last_planned_storage_id", sa.BigInteger))
    op.add_column("asset_partitions", sa.Column("last_planned_run_id", sa.String(255)))


def downgrade() -> None:
    """Drop the two columns."""
    with op.batch_alter_table("asset_partitions") as batch:
        batch.drop_column("last_planned_run_id")
        batch.drop_column("last_planned_storage_id")
