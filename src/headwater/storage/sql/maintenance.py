"""Data access for ``headwater instance info``: row counts, size on disk, revision."""

from __future__ import annotations

import os

from sqlalchemy import Connection, func, select, text

from headwater.storage.maintenance import StorageInfo
from headwater.storage.revisions import HEAD_REVISION
from headwater.storage.sql.schema import metadata


def storage_info(conn: Connection) -> StorageInfo:
    """What the database of ``conn`` is and holds (its password masked)."""
    from headwater.storage.migrations import current_revision

    dialect = conn.dialect.name
    counts = {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in metadata.sorted_tables
        if conn.dialect.has_table(conn, table.name)
    }
    url = conn.engine.url
    if dialect == "sqlite":
        database = url.database or ""
        files = [database, f"{database}-wal"] if database and database != ":memory:" else []
        size = sum(os.path.getsize(f) for f in files if os.path.exists(f)) if files else None
        location = database or "(in memory)"
    else:
        size = int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
        location = url.render_as_string(hide_password=True)
    return StorageInfo(
        kind="sqlite" if dialect == "sqlite" else "postgres",
        location=location,
        revision=current_revision(conn),
        head_revision=HEAD_REVISION,
        row_counts=counts,
        size_bytes=size,
    )
