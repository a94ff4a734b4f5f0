"""A load test of concurrent writers: many run workers materializing at once on one instance.

:func:`run_concurrent_writers` starts ``workers`` processes on the instance in ``home`` (its
``headwater.yaml`` chooses SQLite or PostgreSQL); each materializes a chain of ``steps`` trivial
assets in process (the same asset keys in every worker, so their writes to the asset index
collide), records the events its run emitted, and reports every error. The parent then checks
the stored history: every run SUCCESS, every emitted event stored (none lost, none extra), the
storage ids of each run in the order its events were emitted, and no "database is locked" or
deadlock anywhere. Used by ``benchmarks/load_concurrent_writers.py`` and by a test.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadResult:
    """What :func:`run_concurrent_writers` found.

    Attributes:
        workers / steps: the load.
        seconds: wall time from the start of the first worker to the end of the last.
        runs_succeeded: runs whose status is SUCCESS.
        events_emitted: events the runs emitted (as their results list them).
        events_stored: events of those runs found in storage.
        lost_events / extra_events: emitted but not stored, stored but not emitted.
        misordered_runs: runs whose storage ids are not in the order their events were emitted.
        locked_errors: errors mentioning "database is locked" or a deadlock.
        errors: every error of every worker (first line each).
    """

    workers: int
    steps: int
    seconds: float
    runs_succeeded: int
    events_emitted: int
    events_stored: int
    lost_events: int
    extra_events: int
    misordered_runs: int
    locked_errors: int
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every run succeeded with every event stored in order and no error."""
        return (
            self.runs_succeeded == self.workers
            and self.lost_events == 0
            and self.extra_events == 0
            and self.misordered_runs == 0
            and not self.errors
        )


def run_concurrent_writers(home: Path, *, workers: int, steps: int) -> LoadResult:
    """Run ``workers`` processes materializing ``steps`` assets each on the instance in ``home``.

    Args:
        home: the instance directory (with the ``headwater.yaml`` to test).
        workers: how many run workers write at once.
        steps: assets (steps) per run.

    Returns:
        The checked result (see :class:`LoadResult`).
    """
    from headwater.instance.instance import Instance

    Instance.from_path(home).dispose()  # create the schema once, before the rush
    context = multiprocessing.get_context("spawn")
    queue: Any = context.Queue()
    start = context.Event()
    processes = [
        context.Process(target=_worker, args=(str(home), steps, start, queue), daemon=True)
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    time.sleep(0.5)  # let them import before they all start at once
    started = time.perf_counter()
    start.set()
    reports = [queue.get(timeout=3600) for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join(timeout=60)
    return _check(home, workers, steps, seconds, reports)


def _worker(home: str, steps: int, start: Any, queue: Any) -> None:
    try:
        import headwater as hw
        from headwater.instance.instance import Instance

        assets = _chain(steps)
        instance = Instance.from_path(home)
        start.wait()
        try:
            result = hw.materialize(
                assets, instance=instance, resources={"io_manager": hw.InMemoryIOManager()}
            )
            emitted = [(e.event_type.value, e.step_key) for e in result.all_events]
            queue.put({"run_id": result.run_id, "emitted": emitted, "errors": []})
        finally:
            instance.dispose()
    except BaseException as exc:
        queue.put({"run_id": None, "emitted": [], "errors": [_describe(exc)]})


def _describe(exc: BaseException) -> str:
    lines = traceback.format_exception(exc)
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} | {lines[-1]}"


def _chain(steps: int) -> list[Any]:
    import headwater as hw

    assets: list[Any] = []
    for i in range(steps):
        if i == 0:

            def first() -> int:
                return 1

            fn: Any = first
            ins: dict[str, Any] = {}
        else:

            def next_(previous: int) -> int:
                return previous + 1

            fn, ins = next_, {"previous": hw.AssetIn(key=hw.AssetKey(f"load_{i - 1}"))}
        assets.append(hw.asset(name=f"load_{i}", ins=ins)(fn))
    return assets


_PLANNED = "ASSET_MATERIALIZATION_PLANNED"


def _check(
    home: Path, workers: int, steps: int, seconds: float, reports: list[dict[str, Any]]
) -> LoadResult:
    from headwater.instance.instance import Instance
    from headwater.storage.records import RunStatus

    errors = [e for r in reports for e in r["errors"]]
    succeeded = emitted_total = stored_total = lost = extra = misordered = 0
    with Instance.from_path(home) as instance:
        for report in reports:
            if report["run_id"] is None:
                continue
            run = instance.get_run_by_id(report["run_id"])
            succeeded += run is not None and run.status is RunStatus.SUCCESS
            everything = [
                (r.event_log_entry.event_type.value, r.event_log_entry.step_key)
                for r in instance.storage.get_logs_for_run(report["run_id"])
            ]
            # Planned materializations are stored when the run is created, before it emits.
            planned = [e for e in everything if e[0] == _PLANNED]
            stored = [e for e in everything if e[0] != _PLANNED]
            emitted = [tuple(e) for e in report["emitted"]]
            lost += max(0, steps - len(planned))
            emitted_total += len(emitted)
            stored_total += len(stored)
            lost += max(0, len(emitted) - len(stored))
            extra += max(0, len(stored) - len(emitted))
            misordered += stored != emitted
    words = ("database is locked", "deadlock")
    return LoadResult(
        workers=workers,
        steps=steps,
        seconds=round(seconds, 2),
        runs_succeeded=succeeded,
        events_emitted=emitted_total,
        events_stored=stored_total,
        lost_events=lost,
        extra_events=extra,
        misordered_runs=misordered,
        locked_errors=sum(any(w in e.lower() for w in words) for e in errors),
        errors=errors,
    )
