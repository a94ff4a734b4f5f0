"""Schema creation and Alembic migrations of SQL storage."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from headwater import StorageError
from headwater.storage.migrations import (
    HEAD_REVISION,
    REVISIONS,
    alembic_config,
    current_revision,
    upgrade,
)
from headwater.storage.sql.schema import metadata
from headwater.storage.sqlite import SqliteStorage
from headwater.testing.storage_suite import make_run, materialization


def test_revision_list_matches_alembic_history() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    history = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    assert list(REVISIONS) == history
    assert script.get_current_head() == HEAD_REVISION


def test_migrations_build_the_same_schema_as_the_tables(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
    try:
        upgrade(engine)
        with engine.connect() as conn:
            assert current_revision(conn) == HEAD_REVISION
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_a_migrated_database_opens_as_storage(tmp_path: Path) -> None:
    path = tmp_path / "migrated.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    with SqliteStorage.from_path(path) as storage:
        storage.add_run(make_run("r"))
        ids = storage.store_events([materialization("r", "orders")])
        assert [r.storage_id for r in storage.get_logs_for_run("r")] == ids


def test_opening_storage_does_not_import_alembic(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from headwater.storage.sqlite import SqliteStorage\n"
        f"for _ in range(2):\n"
        f"    SqliteStorage.from_path({str(tmp_path / 'h.db')!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_database_with_foreign_tables_and_no_revision_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE runs (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(StorageError, match="no schema revision"):
        SqliteStorage.from_path(path)


def test_baseline_renders_for_postgresql() -> None:
    from alembic import command

    config = alembic_config()
    config.set_main_option("dialect_name", "postgresql")
    config.output_buffer = io.StringIO()
    command.upgrade(config, "head", sql=True)
    sql = config.output_buffer.getvalue()
    for table in ("runs", "run_tags", "event_logs", "asset_keys", "asset_partitions"):
        assert f"CREATE TABLE {table} (" in sql
    assert "id BIGSERIAL NOT NULL" in sql
    assert 'asset_key TEXT COLLATE "C" NOT NULL' in sql
    assert f"INSERT INTO alembic_version (version_num) VALUES ('{REVISIONS[0]}')" in sql
    assert f"UPDATE alembic_version SET version_num='{HEAD_REVISION}'" in sql
