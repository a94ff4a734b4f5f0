"""Schedules and sensors: their state, their tick history and the run keys they launched.

Revision ID: 0009_instigators
Revises: 0008_concurrency_pools
Create Date: 2026-12-06

Valid for SQLite and PostgreSQL. Only adds tables, so older databases upgrade in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_instigators"
down_revision = "0008_concurrency_pools"
branch_labels = None
depends_on = None

_storage_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _instigator_columns() -> list[sa.Column[str]]:
    return [
        sa.Column("instigator_type", sa.String(31), primary_key=True),
        sa.Column("location_name", sa.String(255), primary_key=True),
        sa.Column("name", sa.String(255), primary_key=True),
    ]


def upgrade() -> None:
    """Create ``instigator_states``, ``instigator_ticks`` and ``instigator_run_keys``."""
    op.create_table(
        "instigator_states",
        *_instigator_columns(),
        sa.Column("status", sa.String(31), nullable=True),
        sa.Column("cursor", sa.Text, nullable=True),
        sa.Column("last_tick_timestamp", sa.Double, nullable=True),
        sa.Column("update_timestamp", sa.Double, nullable=False),
    )
    op.create_table(
        "instigator_ticks",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column("instigator_type", sa.String(31), nullable=False),
        sa.Column("location_name", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Double, nullable=False),
        sa.Column("status", sa.String(31), nullable=False),
        sa.Column("end_timestamp", sa.Double, nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "idx_instigator_ticks_instigator",
        "instigator_ticks",
        ["instigator_type", "location_name", "name", "id"],
    )
    op.create_table(
        "instigator_run_keys",
        *_instigator_columns(),
        sa.Column("run_key", sa.Text, primary_key=True),
        sa.Column("run_id", sa.String(255), nullable=False),
        sa.Column("create_timestamp", sa.Double, nullable=False),
    )


def downgrade() -> None:
    """Drop the instigator tables."""
    op.drop_table("instigator_run_keys")
    op.drop_index("idx_instigator_ticks_instigator", table_name="instigator_ticks")
    op.drop_table("instigator_ticks")
    op.drop_table("instigator_states")
