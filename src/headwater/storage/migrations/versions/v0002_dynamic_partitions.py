"""Dynamic partitions: the keys of each dynamic partitions definition.

Revision ID: 0002_dynamic_partitions
Revises: 0001_baseline
Create Date: 2026-05-10

Valid for SQLite and PostgreSQL. Only adds a table, so a v0001 database upgrades in place
without rewriting existing tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_dynamic_partitions"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

_storage_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Create the ``dynamic_partitions`` table and its indexes."""
    op.create_table(
        "dynamic_partitions",
        sa.Column("id", _storage_id, primary_key=True, autoincrement=True),
        sa.Column("partitions_def_name", sa.Text, nullable=False),
        sa.Column("partition", sa.Text, nullable=False),
        sa.Column("create_timestamp", sa.Double, nullable=False),
        sa.UniqueConstraint(
            "partitions_def_name", "partition", name="uq_dynamic_partitions_name_partition"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "idx_dynamic_partitions_name_id", "dynamic_partitions", ["partitions_def_name", "id"]
    )


def downgrade() -> None:
    """Drop the ``dynamic_partitions`` table."""
    op.drop_index("idx_dynamic_partitions_name_id", table_name="dynamic_partitions")
    op.drop_table("dynamic_partitions")
