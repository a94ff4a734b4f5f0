"""SQLite upgrades an older schema by itself and refuses one from a newer headwater."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from headwater import StorageError
from headwater.cli.main import cli
from headwater.storage.migrations import REVISIONS, current_revision, upgrade
from headwater.storage.revisions import HEAD_REVISION
from headwater.storage.sqlite import SqliteStorage


def test_an_older_sqlite_schema_is_upgraded_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, REVISIONS[0])
    engine.dispose()
    SqliteStorage.from_path(path).dispose()
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION
    engine.dispose()


def test_a_sqlite_schema_from_a_newer_headwater_is_refused_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    SqliteStorage.from_path(path).dispose()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    engine.dispose()
    with pytest.raises(StorageError) as info:
        SqliteStorage.from_path(path)
    assert "9999_from_the_future" in str(info.value) and HEAD_REVISION in str(info.value)


def test_instance_migrate_on_sqlite_reports_the_upgrade(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    engine = create_engine(f"sqlite:///{home / 'history.db'}")
    upgrade(engine, REVISIONS[0])
    engine.dispose()
    result = CliRunner().invoke(cli, ["--home", str(home), "instance", "migrate"])
    assert result.exit_code == 0, result.output
    assert f"upgraded from {REVISIONS[0]} to {HEAD_REVISION}" in result.output
