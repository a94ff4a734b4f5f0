"""A running step's events reach storage while it runs (not only when it ends), read from a
second instance on the same SQLite file, as the web UI and ``headwater run show --follow`` do."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import executor_jobs as jobs
import pytest

import headwater as hw
from headwater.events.types import EventType
from headwater.instance.instance import Instance

FACTORIES = {"in_process": jobs.live_in_process_job, "multiprocess": jobs.live_multiprocess_job}


def _seen_live(home: Path, deadline: float) -> tuple[str, list[Any]]:
    """The run's STEP_START and log message as another instance sees them, once both are in."""
    reader = Instance.from_path(home)
    try:
        while time.monotonic() < deadline:
            for run in reader.get_runs():
                records = reader.get_records_for_run(run.run_id).records
                types = [r.event_log_entry.event_type for r in records]
                messages = [r.event_log_entry.message for r in records]
                if EventType.STEP_START in types and "halfway through the long step" in messages:
                    return run.run_id, records
            time.sleep(0.05)
        return "", []
    finally:
        reader.dispose()


@pytest.fixture
def live_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "live"
    folder.mkdir()
    monkeypatch.setenv("HEADWATER_TEST_LIVE_DIR", str(folder))
    return folder


def _run_in_thread(
    factory: Any, instance: Any, **kwargs: Any
) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["result"] = hw.execute_job(
                hw.reconstructable(factory), instance=instance, raise_on_error=False, **kwargs
            )
        except BaseException as exc:  # reported by the test
            out["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    return thread, out


@pytest.mark.parametrize("fails", [False, True], ids=["succeeds", "fails"])
@pytest.mark.parametrize("executor", sorted(FACTORIES))
def test_a_running_steps_start_and_log_message_are_in_storage_while_it_runs(
    executor: str, fails: bool, instance: Any, headwater_home: Path, live_dir: Path
) -> None:
    _check_live_run(FACTORIES[executor], fails, instance, headwater_home, live_dir)


@pytest.mark.dask
def test_a_running_dask_steps_start_and_log_message_are_in_storage_while_it_runs(
    instance: Any, headwater_home: Path, live_dir: Path
) -> None:
    from distributed import LocalCluster

    here = str(Path(__file__).parent)
    path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (here, path) if p)
    try:
        with LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        ) as cluster:  # fmt: skip
            config = {"execution": {"config": {"cluster": {"existing": {
                "address": cluster.scheduler_address}}}}}  # fmt: skip
            _check_live_run(jobs.live_dask_job, True, instance, headwater_home, live_dir,
                            run_config=config)  # fmt: skip
    finally:
        if path is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = path


def _check_live_run(
    factory: Any, fails: bool, instance: Any, home: Path, live_dir: Path, **kwargs: Any
) -> None:
    headwater_home = home
    if fails:
        (live_dir / "fail").touch()
    started = time.monotonic()
    thread, out = _run_in_thread(factory, instance, **kwargs)
    try:
        # The step waits for "go" (at most 10 s): what is seen before it is seen while it runs.
        run_id, live = _seen_live(headwater_home, started + 8.0)
    finally:
        (live_dir / "go").touch()
        thread.join(30)
    assert not thread.is_alive() and "error" not in out, out.get("error")
    assert run_id, "the step's STEP_START and log message never reached storage while it ran"
    live_types = [r.event_log_entry.event_type for r in live]
    assert EventType.STEP_SUCCESS not in live_types and EventType.STEP_FAILURE not in live_types

    result = out["result"]
    assert result.success is not fails
    reader = Instance.from_path(headwater_home)
    try:
        stored = reader.get_records_for_run(run_id).records
    finally:
        reader.dispose()
    ids = [r.storage_id for r in stored]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # Nothing lost, nothing twice, in emit order: after what was stored before the run started
    # (its planned materializations), storage holds exactly the events the run emitted.
    emitted = list(result.all_events)
    assert [r.event_log_entry for r in stored][-len(emitted) :] == emitted
    assert len(stored) - len(emitted) <= 2
    assert [r.storage_id for r in stored[: len(live)]] == [r.storage_id for r in live]
    end = EventType.STEP_FAILURE if fails else EventType.STEP_SUCCESS
    assert end in [r.event_log_entry.event_type for r in stored]
