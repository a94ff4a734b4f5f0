"""Daemon heartbeats: one row per daemon loop, naming the daemon that runs it.

Revision ID: 0006_daemon_heartbeats
Revises: 0005_asset_checks
Create Date: 2026-12-04

Valid for SQLite and PostgreSQL. Only adds a table, so older databases upgrade in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_daemon_heartbeats"
down_revision = "0005_asset_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the ``daemon_heartbeats`` table."""
    op.create_table(
        "daemon_heartbeats",
        sa.Column("loop_name", sa.String(255), primary_key=True),
        sa.Column("daemon_id", sa.String(255), nullable=False),
        sa.Column("timestamp", sa.Double, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("last_error_timestamp", sa.Double, nullable=True),
        sa.Column("cursor", sa.Text, nullable=True),
        sa.Column("info", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop the ``daemon_heartbeats`` table."""
    op.drop_table("daemon_heartbeats")
