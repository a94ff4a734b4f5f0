"""Concurrency pools: slot limits per pool and the slots steps hold.

Revision ID: 0008_concurrency_pools
Revises: 0007_snapshots_heartbeats
Create Date: 2026-12-04

Valid for SQLite and PostgreSQL. Only adds tables, so older databases upgrade in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_concurrency_pools"
down_revision = "0007_snapshots_heartbeats"
branch_labels = None
depends_on = None

_storage_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create ``concurrency_limits`` and ``concurrency_slots``."""
    op.create_table(
        "concurrency_limits",
        sa.Column("pool", sa.String(255), primary_key=True),
        sa.Column("slot_limit", sa.Integer, nullable=False),
        sa.Column("update_timestamp", sa.Double, nullable=False),
    )
    op.create_table(
        "concurrency_slots",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column("pool", sa.String(255), nullable=False),
        sa.Column("run_id", sa.String(255), nullable=False),
        sa.Column("step_key", sa.Text, nullable=False),
        sa.Column("claim_timestamp", sa.Double, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("idx_concurrency_slots_pool", "concurrency_slots", ["pool", "run_id"])
    op.create_index("idx_concurrency_slots_run_id", "concurrency_slots", ["run_id"])


def downgrade() -> None:
    """Drop the concurrency tables."""
    op.drop_index("idx_concurrency_slots_run_id", table_name="concurrency_slots")
    op.drop_index("idx_concurrency_slots_pool", table_name="concurrency_slots")
    op.drop_table("concurrency_slots")
    op.drop_table("concurrency_limits")
