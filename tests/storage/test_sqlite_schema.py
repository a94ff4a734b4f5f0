"""The pinned SQLite DDL creates the schema SQLAlchemy would create from ``schema.metadata``."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateIndex, CreateTable

from headwater.storage.migrations import _create_fresh, _version_table
from headwater.storage.revisions import HEAD_REVISION
from headwater.storage.sql.schema import metadata
from headwater.storage.sql.sqlite_schema import create_schema
from headwater.storage.sqlite import SqliteStorage


def _schema(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master"
            " WHERE sql IS NOT NULL AND name != 'sqlite_sequence'"
        ).fetchall()
    finally:
        conn.close()
    return {name: _normalized(sql) for name, sql in rows}


def _normalized(sql: str) -> str:
    return re.sub(r"\s*([(),])\s*", r"\1", re.sub(r"\s+", " ", sql)).strip()


def _sqlalchemy_ddl() -> str:
    dialect = sqlite.dialect()
    statements = []
    for table in [*metadata.sorted_tables, _version_table]:
        statements.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        statements += [
            str(CreateIndex(index).compile(dialect=dialect))
            for index in sorted(table.indexes, key=lambda i: str(i.name))
        ]
    return "\n".join(statements)


def test_the_pinned_ddl_creates_the_schema_of_the_sqlalchemy_tables(tmp_path: Path) -> None:
    pinned, core = tmp_path / "pinned.db", tmp_path / "core.db"
    conn = sqlite3.connect(pinned, isolation_level=None)
    create_schema(conn)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
    conn.close()
    engine = create_engine(f"sqlite:///{core}")
    _create_fresh(engine)
    engine.dispose()
    assert _schema(pinned) == _schema(core), (
        "storage/sql/schema.py changed: update DDL in storage/sql/sqlite_schema.py to:\n"
        + _sqlalchemy_ddl()
    )


def test_creating_the_schema_twice_keeps_the_first(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "history.db", isolation_level=None)
    create_schema(conn)
    create_schema(conn)  # a second process that lost the race
    assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    conn.close()


_NEW_HOME = textwrap.dedent(
    """
    import sys
    from headwater.storage.sqlite import SqliteStorage
    from headwater.testing._storage_helpers import make_run

    for storage in (SqliteStorage.from_path(sys.argv[1]), SqliteStorage.in_memory()):
        storage.add_run(make_run("r"))
        assert storage.get_run_by_id("r") is not None
        storage.dispose()
    print("sqlalchemy" in sys.modules)
    """
)


def test_a_new_database_is_created_without_sqlalchemy(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _NEW_HOME, str(tmp_path / "new" / "history.db")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
    with SqliteStorage.from_path(tmp_path / "new" / "history.db") as storage:
        assert storage.get_runs_count() == 1
