"""Baseline: runs, run tags, event log, asset index, partition index.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-05-09

Valid for SQLite and PostgreSQL. Written out in full (not derived from the current schema
module) so that it keeps describing the baseline when the schema changes later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

_storage_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_asset_key = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def upgrade() -> None:
    """Create the baseline tables and indexes."""
    op.create_table(
        "runs",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(255), nullable=False, unique=True),
        sa.Column("job_name", sa.String(255), nullable=False),
        sa.Column("status", sa.String(63), nullable=False),
        sa.Column("run_body", sa.Text, nullable=False),
        sa.Column("create_timestamp", sa.Double, nullable=False),
        sa.Column("update_timestamp", sa.Double, nullable=False),
        sa.Column("start_time", sa.Double, nullable=True),
        sa.Column("end_time", sa.Double, nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("idx_runs_status", "runs", ["status", "id"])
    op.create_index("idx_runs_job_name", "runs", ["job_name", "id"])
    op.create_index("idx_runs_create_timestamp", "runs", ["create_timestamp"])

    op.create_table(
        "run_tags",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column(
            "run_id",
            sa.String(255),
            sa.ForeignKey("runs.run_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.UniqueConstraint("run_id", "key", name="uq_run_tags_run_id_key"),
    )
    op.create_index("idx_run_tags_key_value", "run_tags", ["key", "value"])

    op.create_table(
        "event_logs",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(255), nullable=False),
        sa.Column("event_type", sa.String(63), nullable=False),
        sa.Column("step_key", sa.Text, nullable=True),
        sa.Column("asset_key", sa.Text, nullable=True),
        sa.Column("partition", sa.Text, nullable=True),
        sa.Column("timestamp", sa.Double, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("idx_event_logs_run_id", "event_logs", ["run_id", "id"])
    op.create_index("idx_event_logs_asset_key", "event_logs", ["asset_key", "event_type", "id"])
    op.create_index("idx_event_logs_event_type", "event_logs", ["event_type", "id"])

    op.create_table(
        "asset_keys",
        sa.Column("asset_key", _asset_key, primary_key=True),
        sa.Column("last_event_storage_id", sa.BigInteger, nullable=True),
        sa.Column("last_materialization_storage_id", sa.BigInteger, nullable=True),
        sa.Column("last_materialization", sa.Text, nullable=True),
        sa.Column("last_observation_storage_id", sa.BigInteger, nullable=True),
        sa.Column("last_observation", sa.Text, nullable=True),
        sa.Column("last_run_id", sa.String(255), nullable=True),
        sa.Column("last_failed_run_id", sa.String(255), nullable=True),
        sa.Column("wipe_timestamp", sa.Double, nullable=True),
        sa.Column("updated_timestamp", sa.Double, nullable=False),
    )

    op.create_table(
        "asset_partitions",
        sa.Column("asset_key", sa.Text, primary_key=True),
        sa.Column("partition", sa.Text, primary_key=True),
        sa.Column("last_materialization_storage_id", sa.BigInteger, nullable=True),
        sa.Column("last_observation_storage_id", sa.BigInteger, nullable=True),
        sa.Column("updated_timestamp", sa.Double, nullable=False),
    )


def downgrade() -> None:
    """Drop every table."""
    for table in ("asset_partitions", "asset_keys", "event_logs", "run_tags", "runs"):
        op.drop_table(table)
