"""The schema revisions of SQL storage, without importing SQLAlchemy or Alembic.

Opening a SQLite database compares its stored revision with :data:`HEAD_REVISION` before
anything else; this module keeps that comparison free of heavy imports. When adding an Alembic
revision in :mod:`headwater.storage.migrations`, append its id to :data:`REVISIONS` (a test
checks the list against Alembic's history).
"""

from __future__ import annotations

#: Every revision id, oldest first; the last one is the head.
REVISIONS: tuple[str, ...] = (
    "0001_baseline",
    "0002_dynamic_partitions",
    "0003_backfills",
    "0004_partition_status",
    "0005_asset_checks",
    "0006_daemon_heartbeats",
    "0007_snapshots_heartbeats",
    "0008_concurrency_pools",
    "0009_instigators",
    "0010_automation",
)
HEAD_REVISION = REVISIONS[-1]

#: The table (Alembic's) holding the revision a database is stamped with.
VERSION_TABLE = "alembic_version"
