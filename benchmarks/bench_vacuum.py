"""Retention on 1 million event rows: how fast vacuum deletes and how long writers wait.

Builds an instance with ``--rows`` (default 1,000,000) log and step events in 1,000 runs that
finished long ago (inserted directly, in bulk), then runs ``vacuum`` with ``event_logs:
{purge_after_days: 1}`` while another process keeps writing step events to a run in progress
(a small batch every 20 ms, as a run worker does). Prints rows deleted, rows per second, the
number and longest of the delete transactions, and the writer's latency during the vacuum and,
for comparison, during 10 s before it (median, 99th percentile, max; budget: no write blocked
more than 100 ms). SQLite, then
PostgreSQL (a scratch database on $HEADWATER_TEST_POSTGRES_URL; skipped when none answers).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from headwater.events.types import EventType
from headwater.storage.maintenance import RetentionPolicy
from headwater.storage.sql.rows import EVENT_COLUMNS, event_columns
from headwater.testing._storage_helpers import make_event
from headwater.testing.postgres import scratch_database, server_unavailable_reason
from headwater.testing.storage_suite import make_run

RUNS = 1000
BASELINE_SECONDS = 10.0
LONG_AGO = 1_000_000.0  # 1970-01-12: every run finished long before the retention period


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as home:
            measure("SQLite", f"sqlite:///{Path(home) / 'history.db'}", args.rows)
    if args.backend in ("postgres", "both"):
        reason = server_unavailable_reason()
        if reason is not None:
            print(f"PostgreSQL: skipped ({reason})")
            return
        with scratch_database(prefix="headwater_vacuum") as url:
            measure("PostgreSQL", url, args.rows)


def open_storage(url: str) -> Any:
    if url.startswith("sqlite"):
        from headwater.storage.sqlite import SqliteStorage

        return SqliteStorage.from_path(url.removeprefix("sqlite:///"))
    from headwater.storage.postgres import PostgresStorage

    return PostgresStorage.from_url(url)


def fill(storage: Any, rows: int) -> None:
    """``rows`` step and log events in :data:`RUNS` runs finished long ago, in bulk."""
    from sqlalchemy import insert, update

    from headwater.storage.sql.schema import event_logs, runs

    per_run = rows // RUNS
    for n in range(RUNS):
        storage.add_run(make_run(f"old-{n}"))
    with storage.engine.begin() as conn:
        conn.execute(
            update(runs).values(status="SUCCESS", start_time=LONG_AGO, end_time=LONG_AGO + 60)
        )
    kinds = (EventType.STEP_START, EventType.LOG_MESSAGE, EventType.STEP_SUCCESS)
    for n in range(RUNS):
        batch = []
        for i in range(per_run):
            event = make_event(f"old-{n}", kinds[i % 3], step_key=f"s{i // 3}", timestamp=LONG_AGO)
            batch.append(
                dict(zip(EVENT_COLUMNS, event_columns(event, event.to_json()), strict=True))
            )
        with storage.engine.begin() as conn:
            conn.execute(insert(event_logs), batch)


def writer(url: str, stop: Any, latencies: Any) -> None:
    """Store a small batch every 20 ms to a run in progress; record each store's latency."""
    storage = open_storage(url)
    storage.add_run(make_run("live"))
    storage.store_events([make_event("live", EventType.RUN_START)])
    step = 0
    while not stop.is_set():
        batch = [
            make_event("live", t, step_key=f"live{step}")
            for t in (EventType.STEP_START, EventType.STEP_SUCCESS)
        ]
        started = time.perf_counter()
        storage.store_events(batch)
        latencies.put((time.perf_counter() - started) * 1000)
        step += 1
        time.sleep(0.02)
    storage.dispose()


def measure(backend: str, url: str, rows: int) -> None:
    """Fill, vacuum with a writer running, print the figures."""
    storage = open_storage(url)
    started = time.perf_counter()
    fill(storage, rows)
    filled = time.perf_counter() - started
    context = multiprocessing.get_context("spawn")
    stop, latencies = context.Event(), context.Queue()
    process = context.Process(target=writer, args=(url, stop, latencies))
    process.start()
    time.sleep(2.0)  # the writer is up and writing
    drain(latencies)
    time.sleep(BASELINE_SECONDS)  # the writer alone: what its latency is without a vacuum
    alone = drain(latencies)
    report = storage.vacuum(RetentionPolicy(event_logs_days=1))
    stop.set()
    process.join(timeout=60)
    waits = drain(latencies)
    storage.dispose()
    print(
        f"{backend}: vacuum of {rows:,} event rows ({filled:.0f} s to fill): deleted "
        f"{report.events_deleted:,} in {report.seconds:.1f} s "
        f"({report.events_deleted / max(report.seconds, 1e-9):,.0f} rows/s), "
        f"{report.batches} transactions, longest {report.longest_batch_ms:.0f} ms; "
        f"a concurrent writer during the vacuum: {summary(waits)}; the same writer alone "
        f"before it: {summary(alone)} (budget: no write blocked > 100 ms)"
    )


def drain(queue: Any) -> list[float]:
    """Everything in ``queue`` now, sorted."""
    found = []
    while not queue.empty():
        found.append(queue.get())
    return sorted(found)


def summary(waits: list[float]) -> str:
    """``n stores: median, p99, max`` of sorted latencies in ms."""
    if not waits:
        return "no stores"
    p99 = waits[max(0, int(len(waits) * 0.99) - 1)]
    return (
        f"{len(waits)} stores, median {statistics.median(waits):.1f} ms, p99 {p99:.1f} ms, "
        f"max {waits[-1]:.1f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
