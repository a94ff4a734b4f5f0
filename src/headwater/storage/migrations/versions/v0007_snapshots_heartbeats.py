"""Run snapshots and run worker heartbeats: two new tables.

Revision ID: 0007_snapshots_heartbeats
Revises: 0006_daemon_heartbeats
Create Date: 2026-12-04

Valid for SQLite and PostgreSQL. Only adds tables, so older databases upgrade in place; runs
stored before have no origin and no plan snapshot (their JSON body simply lacks the keys).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_snapshots_heartbeats"
down_revision = "0006_daemon_heartbeats"
branch_labels = None
depends_on = None

_storage_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the ``snapshots`` and ``run_worker_heartbeats`` tables."""
    op.create_table(
        "snapshots",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column("snapshot_id", sa.String(255), nullable=False, unique=True),
        sa.Column("kind", sa.String(63), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("create_timestamp", sa.Double, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "run_worker_heartbeats",
        sa.Column("run_id", sa.String(255), primary_key=True),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("hostname", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Double, nullable=False),
    )


def downgrade() -> None:
    """Drop the two tables."""
    op.drop_table("run_worker_heartbeats")
    op.drop_table("snapshots")
