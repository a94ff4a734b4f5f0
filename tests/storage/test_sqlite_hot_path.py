"""The SQLite hot path: same rows as the SQLAlchemy Core path, and no SQLAlchemy import."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import create_engine, text

from headwater import EventLogEntry, EventType
from headwater.storage.migrations import ensure_schema
from headwater.storage.revisions import HEAD_REVISION
from headwater.storage.sql.storage import SqlStorage
from headwater.storage.sqlite import SqliteStorage
from headwater.testing.storage_suite import make_event, make_run, materialization

# Columns holding the time of the write (not of the event): they differ between two writes.
_WRITE_TIMES = {"create_timestamp", "update_timestamp", "updated_timestamp"}


def _batches() -> list[list[EventLogEntry]]:
    check = {"check_name": "positive", "passed": True, "severity": "ERROR"}
    return [
        [make_event("r", EventType.RUN_START, timestamp=1.0)],
        [
            make_event("r", EventType.STEP_START, step_key="a", timestamp=2.0),
            make_event(
                "r",
                EventType.ASSET_MATERIALIZATION_PLANNED,
                asset_key="a",
                partition="p1",
                timestamp=2.1,
            ),
            materialization("r", "a", timestamp=2.2, rows=3),
            materialization("r", "a", partition="p1", timestamp=2.3),
            make_event("r", EventType.ASSET_OBSERVATION, asset_key="b", timestamp=2.4),
            make_event(
                "r", EventType.ASSET_OBSERVATION, asset_key="b", partition="p2", timestamp=2.5
            ),
            make_event(
                "r", EventType.ASSET_CHECK_EVALUATION, asset_key="a", timestamp=2.6, data=check
            ),
        ],
        [
            make_event("r", EventType.ASSET_MATERIALIZATION_PLANNED, asset_key="c", timestamp=3),
            make_event("r", EventType.STEP_FAILURE, asset_key="c", step_key="c", timestamp=3.1),
        ],
        [make_event("r", EventType.RUN_FAILURE, timestamp=4.0)],
    ]


def _tables(path: Path) -> dict[str, list[dict[str, object]]]:
    engine = create_engine(f"sqlite:///{path}")
    tables = (
        "runs",
        "run_tags",
        "event_logs",
        "asset_keys",
        "asset_partitions",
        "asset_check_executions",
    )
    try:
        with engine.connect() as conn:
            return {
                table: [
                    {k: v for k, v in row.items() if k not in _WRITE_TIMES}
                    for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).mappings()
                ]
                for table in tables
            }
    finally:
        engine.dispose()


def test_the_hot_path_writes_the_same_rows_as_the_core_path(tmp_path: Path) -> None:
    hot_path, core_path = tmp_path / "hot.db", tmp_path / "core.db"
    with SqliteStorage.from_path(hot_path) as hot:
        hot.add_run(make_run("r", tags={"team": "data"}))
        for batch in _batches():
            hot.store_events(batch)
        run = hot.get_run_by_id("r")
    engine = create_engine(f"sqlite:///{core_path}")
    ensure_schema(engine)
    with SqlStorage(engine) as core:
        core.add_run(make_run("r", tags={"team": "data"}))
        for batch in _batches():
            core.store_events(batch)
        assert core.get_run_by_id("r") == run
    hot_tables, core_tables = _tables(hot_path), _tables(core_path)
    assert hot_tables == core_tables
    assert len(hot_tables["event_logs"]) == 11
    assert {row["asset_key"] for row in hot_tables["asset_keys"]} == {"a", "b", "c"}
    assert hot_tables["runs"][0]["status"] == "FAILURE"


_HOT_PATH = textwrap.dedent(
    """
    import sys
    from headwater.events.types import EventType
    from headwater.storage.sqlite import SqliteStorage
    from headwater.testing._storage_helpers import make_event, make_run, materialization

    with SqliteStorage.from_path(sys.argv[1]) as storage:
        storage.add_run(make_run("r2"))
        storage.store_events([make_event("r2", EventType.RUN_START), materialization("r2", "a")])
        storage.store_events([make_event("r2", EventType.RUN_SUCCESS)])
        assert storage.get_run_by_id("r2").status.value == "SUCCESS"
    print(sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic")))
    """
)


def test_a_run_on_an_existing_database_imports_neither_sqlalchemy_nor_alembic(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.db"
    SqliteStorage.from_path(path).dispose()  # created (this may use SQLAlchemy)
    out = subprocess.run(
        [sys.executable, "-c", _HOT_PATH, str(path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_other_queries_use_the_sqlalchemy_engine_on_the_same_database(tmp_path: Path) -> None:
    with SqliteStorage.from_path(tmp_path / "history.db") as storage:
        storage.add_run(make_run("r"))
        storage.store_events([materialization("r", "orders")])
        assert [r.run_id for r in storage.get_runs()] == ["r"]
        assert [str(k.to_user_string()) for k in storage.get_asset_keys()] == ["orders"]
        with storage.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == HEAD_REVISION


def test_the_in_memory_database_is_one_database_for_both_paths() -> None:
    with SqliteStorage.in_memory() as storage:
        storage.add_run(make_run("r"))
        storage.store_events([make_event("r", EventType.RUN_START)])
        assert storage.get_runs_count() == 1
        storage.wipe()
        assert storage.get_run_by_id("r") is None
