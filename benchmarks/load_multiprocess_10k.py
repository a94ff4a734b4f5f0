"""Load test: a 10,000-asset graph materialized with the multiprocess executor.

The graph: 10,000 trivial assets in 100 layers of 100; every asset of a layer reads 1-3 assets
of the layer before (deterministic), so the run has 10,000 steps and about 20,000 inputs.
The run is launched as a user launches it (``headwater job launch -f THIS_FILE --job everything
--now``): a ``headwater run-worker`` process executes it with the multiprocess executor
(``max_concurrent=2``, the machine's cores) and the default filesystem IO manager, on PostgreSQL
(a scratch database on the local server; ``--backend sqlite`` for SQLite). The run worker is
the run's single writer: its resident memory (``VmRSS``, from ``/proc``) is sampled every
0.5 s, and the samples are matched to the number of steps done at that moment (from the
STEP_SUCCESS events' timestamps). Prints the wall time, the per-step figure, the memory after
10%, 50%, 90% and 100% of the steps and the peak. Issue 12 asks that it completes and that the
memory does not grow with the number of steps done.

Run: ``.venv/bin/python benchmarks/load_multiprocess_10k.py [--backend postgres|sqlite]``.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import headwater as hw
from headwater.testing.postgres import scratch_database, server_unavailable_reason

LAYERS = 100
WIDTH = 100


def _asset(layer: int, i: int) -> Any:
    name = f"a{layer}_{i}"
    if layer == 0:
        return hw.asset(name=name)(lambda: 1)
    ups = sorted({(i * 7 + k * 31) % WIDTH for k in range(1 + i % 3)})
    ins = {f"in{u}": hw.AssetIn(key=f"a{layer - 1}_{u}") for u in ups}

    def fn(**inputs: int) -> int:
        return 1 + max(inputs.values())

    return hw.asset(name=name, ins=ins)(fn)


ASSETS = [_asset(layer, i) for layer in range(LAYERS) for i in range(WIDTH)]
defs = hw.Definitions(
    assets=ASSETS,
    jobs=[hw.define_asset_job("everything", selection="*", executor_def=(
        hw.multiprocess_executor.configured({"max_concurrent": 2})))],
)  # fmt: skip


def everything_job() -> Any:
    return defs.get_job_def("everything")


@contextlib.contextmanager
def instance_home(backend: str) -> Iterator[str]:
    """A temporary instance directory, on a scratch PostgreSQL database for ``postgres``."""
    with tempfile.TemporaryDirectory() as home:
        if backend == "sqlite":
            yield home
            return
        with scratch_database(prefix="headwater_load") as url:
            Path(home, "headwater.yaml").write_text(f"storage:\n  postgres:\n    url: '{url}'\n")
            yield home


def _rss_of(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def _launch(home: str) -> str:
    env = {**os.environ, "HEADWATER_HOME": home}
    out = subprocess.run(
        [sys.executable, "-m", "headwater", "job", "launch", "-f", __file__, "--job",
         "everything", "--now"], env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return out.split()[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    backend = parser.parse_args().backend
    if backend == "postgres" and (reason := server_unavailable_reason()) is not None:
        print(f"PostgreSQL: skipped ({reason})")
        return
    samples: list[tuple[float, float]] = []
    with instance_home(backend) as home:
        instance = hw.Instance.from_path(home)
        started = time.time()
        run_id = _launch(home)
        pid = None
        while True:
            run = instance.get_run_by_id(run_id)
            if run is not None and run.is_finished:
                break
            if pid is None:
                beat = instance.storage.get_run_worker_heartbeats([run_id]).get(run_id)
                pid = beat.pid if beat is not None else None
            rss = _rss_of(pid) if pid is not None else None
            if rss is not None:
                samples.append((time.time(), rss))
            time.sleep(0.5)
        wall = time.time() - started
        assert run.status is hw.RunStatus.SUCCESS, f"the run ended {run.status}"
        finished = sorted(e.timestamp for e in instance.all_logs(
            run_id, of_type=hw.EventType.STEP_SUCCESS))  # fmt: skip
        instance.dispose()
    steps = len(finished)
    assert steps == LAYERS * WIDTH, steps
    times = [t for t, _ in samples]
    by_share = {}
    for share in (0.1, 0.5, 0.9, 1.0):
        moment = finished[int(share * steps) - 1]
        by_share[share] = samples[min(bisect.bisect_left(times, moment), len(samples) - 1)][1]
    peak = max(rss for _, rss in samples)
    print(
        f"{steps:,} assets launched to a run worker, multiprocess executor (2 workers), "
        f"{backend}: {wall:.1f} s, {wall / steps * 1000:.1f} ms per step; run worker RSS after "
        + ", ".join(f"{int(s * 100)}% {rss:.0f} MiB" for s, rss in by_share.items())
        + f" of the steps; peak {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
