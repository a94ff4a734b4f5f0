"""Asset checks: one row per asset check evaluation.

Revision ID: 0005_asset_checks
Revises: 0004_partition_status
Create Date: 2026-11-29

Valid for SQLite and PostgreSQL. Only adds a table, so older databases upgrade in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_asset_checks"
down_revision = "0004_partition_status"
branch_labels = None
depends_on = None

_storage_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_asset_key = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    """Create the ``asset_check_executions`` table and its index."""
    op.create_table(
        "asset_check_executions",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column("asset_key", _asset_key, nullable=False),
        sa.Column("check_name", sa.Text, nullable=False),
        sa.Column("partition", sa.Text, nullable=True),
        sa.Column("run_id", sa.String(255), nullable=True),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("evaluation_event_storage_id", sa.BigInteger, nullable=False),
        sa.Column("create_timestamp", sa.Double, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "idx_asset_check_executions_key",
        "asset_check_executions",
        ["asset_key", "check_name", "id"],
    )


def downgrade() -> None:
    """Drop the ``asset_check_executions`` table."""
    op.drop_index("idx_asset_check_executions_key", table_name="asset_check_executions")
    op.drop_table("asset_check_executions")
