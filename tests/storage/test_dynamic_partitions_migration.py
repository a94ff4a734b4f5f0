"""Revision 0002 (dynamic partitions): a v0001 database upgrades in place, on SQLite and
PostgreSQL, keeping its history."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, make_url, text
from sqlalchemy.exc import OperationalError

from headwater import AssetKey
from headwater.storage.migrations import (
    HEAD_REVISION,
    REVISIONS,
    alembic_config,
    current_revision,
    ensure_schema,
    upgrade,
)
from headwater.storage.sql.schema import metadata
from headwater.storage.sql.storage import SqlStorage
from headwater.storage.sqlite import SqliteStorage
from headwater.testing.storage_suite import make_run, materialization

V0001 = "0001_baseline"
V0002 = "0002_dynamic_partitions"


def _write_v0001_history(engine: Engine) -> None:
    """Create a v0001 database (with the baseline revision itself) holding one run."""
    upgrade(engine, V0001)
    with engine.connect() as conn:
        assert current_revision(conn) == V0001
        assert not inspect(conn).has_table("dynamic_partitions")
    v0001 = SqlStorage(engine)  # the v0001 tables are all the run/event code uses
    v0001.add_run(make_run("old-run"))
    v0001.store_events([materialization("old-run", "orders", partition="2024-01-01")])


def _assert_upgraded(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        assert current_revision(conn) == HEAD_REVISION
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    storage = SqlStorage(engine)
    assert storage.get_run_by_id("old-run") is not None
    assert storage.get_materialized_partitions(AssetKey("orders")) == {"2024-01-01"}
    storage.add_dynamic_partitions("customers", ["acme", "globex"])
    assert storage.get_dynamic_partitions("customers") == ["acme", "globex"]


def test_revision_0002_follows_the_baseline() -> None:
    assert REVISIONS.index(V0002) == REVISIONS.index(V0001) + 1


def test_a_v0001_sqlite_file_is_upgraded_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "history.db"
    engine = create_engine(f"sqlite:///{path}")
    try:
        _write_v0001_history(engine)
    finally:
        engine.dispose()
    with SqliteStorage.from_path(path) as storage:
        _assert_upgraded(storage.engine)
    with SqliteStorage.from_path(path) as storage:  # reopening: already at the head
        assert storage.get_dynamic_partitions("customers") == ["acme", "globex"]


def test_downgrade_to_v0001_drops_dynamic_partitions_and_keeps_runs(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "history.db"
    with SqliteStorage.from_path(path) as storage:
        storage.add_run(make_run("kept"))
        storage.add_dynamic_partitions("c", ["a"])
        config = alembic_config()
        with storage.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, V0001)
        with storage.engine.connect() as conn:
            assert current_revision(conn) == V0001
            assert not inspect(conn).has_table("dynamic_partitions")
        assert storage.get_run_by_id("kept") is not None


def test_revision_0002_renders_for_postgresql() -> None:
    from alembic import command

    config = alembic_config()
    config.set_main_option("dialect_name", "postgresql")
    config.output_buffer = io.StringIO()
    command.upgrade(config, f"{V0001}:{V0002}", sql=True)
    sql = config.output_buffer.getvalue()
    assert "CREATE TABLE dynamic_partitions (" in sql
    assert "id BIGSERIAL NOT NULL" in sql
    assert "CONSTRAINT uq_dynamic_partitions_name_partition UNIQUE" in sql
    assert "CREATE INDEX idx_dynamic_partitions_name_id" in sql
    assert f"UPDATE alembic_version SET version_num='{V0002}'" in sql


# -- PostgreSQL ------------------------------------------------------------------------------
SERVER_URL = os.environ.get(
    "HEADWATER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgres_engine() -> Iterator[Engine]:
    if not os.environ.get("CI"):
        pytest.importorskip("psycopg")
    server = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    name = f"headwater_test_{uuid.uuid4().hex[:12]}"
    try:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        server.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server at {SERVER_URL}: {exc.orig}")
    engine = create_engine(make_url(SERVER_URL).set(database=name))
    try:
        yield engine
    finally:
        engine.dispose()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.mark.postgres
def test_a_v0001_postgres_database_is_upgraded_when_opened(postgres_engine: Engine) -> None:
    _write_v0001_history(postgres_engine)
    ensure_schema(postgres_engine)
    _assert_upgraded(postgres_engine)
