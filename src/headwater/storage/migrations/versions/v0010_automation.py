"""Declarative automation evaluations and freshness states.

Revision ID: 0010_automation
Revises: 0009_instigators
Create Date: 2026-12-06

Valid for SQLite and PostgreSQL. Only adds tables, so older databases upgrade in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_automation"
down_revision = "0009_instigators"
branch_labels = None
depends_on = None

_storage_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_asset_key = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    """Create ``asset_condition_evaluations`` and ``freshness_states``."""
    op.create_table(
        "asset_condition_evaluations",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column("asset_key", _asset_key, nullable=False),
        sa.Column("sensor_name", sa.String(511), nullable=False),
        sa.Column("evaluation_id", sa.BigInteger, nullable=False),
        sa.Column("timestamp", sa.Double, nullable=False),
        sa.Column("num_requested", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "idx_asset_condition_evaluations_key", "asset_condition_evaluations", ["asset_key", "id"]
    )
    op.create_table(
        "freshness_states",
        sa.Column("asset_key", _asset_key, primary_key=True),
        sa.Column("state", sa.String(15), nullable=False),
        sa.Column("updated_timestamp", sa.Double, nullable=False),
        sa.Column("changed_timestamp", sa.Double, nullable=False),
        sa.Column("info", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop the automation tables."""
    op.drop_table("freshness_states")
    op.drop_index("idx_asset_condition_evaluations_key", table_name="asset_condition_evaluations")
    op.drop_table("asset_condition_evaluations")
