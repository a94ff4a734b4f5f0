"""Every Alembic revision upgrades from each earlier one with data in place, on SQLite and
PostgreSQL.

For each start revision: a new database is migrated to it, then, one revision at a time up to
the head, every table present gets a row (a "generation"), the next revision is applied and
every row of every earlier generation must still be there with the same values. At the head the
database opens as storage, its old runs and events read back, and new ones are written after
them. Revisions are read from Alembic's history, so new ones are covered without editing this
file (a revision that drops or renames a column on purpose adapts :func:`_row`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Engine, MetaData, Table, and_, create_engine, func, select

from headwater.events.types import EventType
from headwater.storage.migrations import REVISIONS, current_revision, upgrade
from headwater.storage.records import Run, RunStatus
from headwater.storage.revisions import VERSION_TABLE
from headwater.storage.sql.rows import EVENT_COLUMNS, event_columns, run_to_body
from headwater.testing.storage_suite import make_run, materialization

Rows = dict[str, list[dict[str, Any]]]


def _alembic_history() -> list[str]:
    from alembic.script import ScriptDirectory

    from headwater.storage.migrations import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


HISTORY = _alembic_history()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(dialect, URL) of an empty database."""
    if request.param == "sqlite":
        yield "sqlite", f"sqlite:///{tmp_path / 'history.db'}"
    else:
        yield "postgres", request.getfixturevalue("postgres_url")


def test_the_history_is_the_revision_list() -> None:
    assert list(REVISIONS) == HISTORY


@pytest.mark.parametrize("start", HISTORY[:-1])
def test_every_later_revision_upgrades_from_start_with_data_in_place(
    database: tuple[str, str], start: str
) -> None:
    dialect, url = database
    engine = create_engine(url)
    inserted: Rows = {}
    try:
        upgrade(engine, start)
        _insert_generation(engine, 0, inserted)
        for generation, target in enumerate(HISTORY[HISTORY.index(start) + 1 :], start=1):
            upgrade(engine, target)
            with engine.connect() as conn:
                assert current_revision(conn) == target
            _assert_rows_kept(engine, inserted, target)
            _insert_generation(engine, generation, inserted)
    finally:
        engine.dispose()
    _assert_storage_reads_and_writes(dialect, url, generations=len(HISTORY) - HISTORY.index(start))


def _insert_generation(engine: Engine, generation: int, inserted: Rows) -> None:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:  # referenced tables (runs) first
            if table.name == VERSION_TABLE:
                continue
            row = _row(table, generation)
            conn.execute(table.insert().values(**row))
            inserted.setdefault(table.name, []).append(row)


def _row(table: Table, generation: int) -> dict[str, Any]:
    """A row for ``table`` as its current columns allow; runs and events are real ones."""
    run_id = f"run-{generation}"
    if table.name == "runs":
        run = Run(run_id=run_id, job_name="etl", status=RunStatus.SUCCESS, tags={"g": "x"})
        known = {"run_body": run_to_body(run), "status": "SUCCESS", "job_name": "etl"}
    elif table.name == "event_logs":
        event = materialization(run_id, f"asset_{generation}", timestamp=1_000.0 + generation)
        known = dict(zip(EVENT_COLUMNS, event_columns(event, event.to_json()), strict=True))
    else:
        known = {}
    row: dict[str, Any] = {}
    for column in table.columns:
        if _is_generated_id(table, column):
            continue
        if column.name in known:
            row[column.name] = known[column.name]
        elif column.foreign_keys or column.name == "run_id":
            row[column.name] = run_id
        else:
            row[column.name] = _value(column, table.name, generation)
    return row


def _is_generated_id(table: Table, column: Column[Any]) -> bool:
    return (
        column.primary_key and len(table.primary_key.columns) == 1 and _python_type(column) is int
    )


def _python_type(column: Column[Any]) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def _value(column: Column[Any], table: str, generation: int) -> Any:
    kind = _python_type(column)
    if kind is bool:
        return True
    if kind is int:
        return generation + 1
    if kind is float:
        return 1_000.0 + generation
    text = f"g{generation}:{table}.{column.name}"  # the generation first: values stay unique
    length = getattr(column.type, "length", None)
    return text[:length] if length else text


def _assert_rows_kept(engine: Engine, inserted: Rows, revision: str) -> None:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as conn:
        for name, rows in inserted.items():
            assert name in metadata.tables, f"{revision} dropped table {name} with data in it"
            table = metadata.tables[name]
            for row in rows:
                present = {k: v for k, v in row.items() if k in table.c}
                matching = and_(*(table.c[k] == v for k, v in present.items()))
                count = conn.execute(select(func.count()).select_from(table).where(matching))
                assert count.scalar_one() == 1, f"{revision} lost or changed a row of {name}: {row}"


def _assert_storage_reads_and_writes(dialect: str, url: str, *, generations: int) -> None:
    if dialect == "sqlite":
        from headwater.storage.sqlite import SqliteStorage

        storage: Any = SqliteStorage.from_path(url.removeprefix("sqlite:///"))
    else:
        from headwater.storage.postgres import PostgresStorage

        storage = PostgresStorage.from_url(url)
    try:
        for generation in range(generations):
            run = storage.get_run_by_id(f"run-{generation}")
            assert run is not None and run.job_name == "etl" and run.tags == {"g": "x"}
            (record,) = storage.get_logs_for_run(f"run-{generation}")
            assert record.event_log_entry.event_type is EventType.ASSET_MATERIALIZATION
        old_ids = [
            r.storage_id for g in range(generations) for r in storage.get_logs_for_run(f"run-{g}")
        ]
        storage.add_run(make_run("after-upgrade"))
        (new_id,) = storage.store_events(
            [materialization("after-upgrade", "fresh", timestamp=time.time())]
        )
        assert new_id > max(old_ids)  # ids continue after the old rows (sequences intact)
        assert storage.get_latest_materialization_records()
    finally:
        storage.dispose()
