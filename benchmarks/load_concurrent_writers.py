"""Load test: concurrent run workers on one instance, SQLite and PostgreSQL.

8 processes on SQLite and 32 on PostgreSQL (by default) each materialize a chain of 1,000
trivial assets in process, all starting at once, all writing the same asset keys. Afterwards
every run must be SUCCESS, every event each run emitted must be stored, in the order it was
emitted, and no writer may have seen "database is locked" or a deadlock. Prints one line per
backend; exits 1 if a check failed.

    python benchmarks/load_concurrent_writers.py [--backend sqlite|postgres|both]
        [--sqlite-workers 8] [--postgres-workers 32] [--steps 1000]

PostgreSQL: a scratch database on $HEADWATER_TEST_POSTGRES_URL (default: the local server).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from headwater.testing.load import LoadResult, run_concurrent_writers
from headwater.testing.postgres import scratch_database, server_unavailable_reason


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sqlite-workers", type=int, default=8)
    parser.add_argument("--postgres-workers", type=int, default=32)
    parser.add_argument("--steps", type=int, default=1000)
    args = parser.parse_args()
    ok = True
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as home:
            ok &= report("SQLite", run_concurrent_writers(
                Path(home), workers=args.sqlite_workers, steps=args.steps))  # fmt: skip
    if args.backend in ("postgres", "both"):
        reason = server_unavailable_reason()
        if reason is not None:
            print(f"PostgreSQL: skipped ({reason})")
        else:
            with (
                scratch_database(prefix="headwater_load") as url,
                tempfile.TemporaryDirectory() as home,
            ):
                Path(home, "headwater.yaml").write_text(
                    f"storage:\n  postgres:\n    url: '{url}'\n    pool_size: 2\n"
                )
                ok &= report("PostgreSQL", run_concurrent_writers(
                    Path(home), workers=args.postgres_workers, steps=args.steps))  # fmt: skip
    return 0 if ok else 1


def report(backend: str, result: LoadResult) -> bool:
    """Print the result on one line; whether every check passed."""
    print(
        f"{backend}: {result.workers} concurrent run workers x {result.steps} steps: "
        f"{result.runs_succeeded}/{result.workers} SUCCESS, {result.events_stored:,} of "
        f"{result.events_emitted:,} events stored ({result.lost_events} lost, "
        f"{result.extra_events} extra), {result.misordered_runs} runs out of order, "
        f"{result.locked_errors} locked/deadlock errors, {result.seconds:.1f} s "
        f"({result.events_stored / max(result.seconds, 1e-9):,.0f} events/s)"
    )
    for error in result.errors[:5]:
        print(f"  error: {error}")
    return result.ok


if __name__ == "__main__":
    sys.exit(main())
