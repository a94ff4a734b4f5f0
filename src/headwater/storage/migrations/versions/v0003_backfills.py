"""Backfills: one row per persisted backfill.

Revision ID: 0003_backfills
Revises: 0002_dynamic_partitions
Create Date: 2026-05-10

Valid for SQLite and PostgreSQL. Only adds a table, so older databases upgrade in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_backfills"
down_revision = "0002_dynamic_partitions"
branch_labels = None
depends_on = None

_storage_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the ``backfills`` table and its indexes."""
    op.create_table(
        "backfills",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column("backfill_id", sa.String(255), nullable=False, unique=True),
        sa.Column("status", sa.String(63), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("create_timestamp", sa.Double, nullable=False),
        sa.Column("update_timestamp", sa.Double, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("idx_backfills_status", "backfills", ["status", "id"])
    op.create_index("idx_backfills_create_timestamp", "backfills", ["create_timestamp"])


def downgrade() -> None:
    """Drop the ``backfills`` table."""
    op.drop_index("idx_backfills_create_timestamp", table_name="backfills")
    op.drop_index("idx_backfills_status", table_name="backfills")
    op.drop_table("backfills")
