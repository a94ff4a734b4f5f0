"""A code server's snapshot request for 10,000 assets (budget <= 0.2 s).

A real ``headwater code-server start`` process on a Unix socket serves a module of 10,000
assets in 100 groups (each depending on up to three earlier assets, with tags, kinds and a
description; every other asset daily-partitioned, every third with ``AutomationCondition.eager()``,
a check on every tenth). Figures, each the median of 21 requests (with the best one):

- ``snapshot()``: a client with no cached snapshot asks for it and decodes it into a
  ``DefinitionsSnapshot`` (the HTTP round trip, 2-3 MB over the socket, and msgspec decoding);
  this is the budgeted figure;
- the same bytes without decoding (``snapshot_json()``), and the answer when nothing changed
  (``If-None-Match`` -> 304, what a poller pays);
- building the snapshot from the loaded ``Definitions`` and encoding it (done once when the
  server starts, measured here in this process on the same module);
- the server's start: process start to the first answer of ``/health`` (Python, headwater,
  Starlette and uvicorn imported, the 10,000 assets loaded and their snapshot encoded).

CPU seconds of this process are printed beside the wall time: the 2-core VM is shared, and
wall time there mostly measures waiting for a CPU.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from headwater.orchestration.code_location import load_definitions
from headwater.orchestration.code_server_client import CodeServerClient
from headwater.orchestration.definitions_snapshot import snapshot_definitions

N = 10_000
REQUESTS = 21
BUDGET_S = 0.2

MODULE = textwrap.dedent(
    f"""
    import random
    import headwater as hw

    daily = hw.DailyPartitionsDefinition(start_date="2023-01-01")

    def _build():
        rng = random.Random(7)
        assets, checks = [], []
        for i in range({N}):
            deps = sorted({{f"asset_{{rng.randrange(i)}}" for _ in range(3)}}) if i else []
            extra = {{}}
            if i % 2:
                extra["partitions_def"] = daily
            if i % 3 == 0:
                extra["automation_condition"] = hw.AutomationCondition.eager()
            if i % 10 == 0:
                extra["check_specs"] = [hw.AssetCheckSpec("not_empty", asset=f"asset_{{i}}")]

            def fn() -> None:
                return None

            assets.append(hw.asset(
                name=f"asset_{{i}}", deps=deps, group_name=f"group_{{i // 100}}",
                tags={{"tier": "gold" if i % 2 else "silver"}}, kinds={{"duckdb"}},
                description=f"Asset number {{i}}.", **extra,
            )(fn))
        return assets

    defs = hw.Definitions(assets=_build())
    """
)


def _timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _series(label: str, fn: Callable[[], Any], runs: int = REQUESTS) -> float:
    samples = [_timed(fn)[:2] for _ in range(runs)]
    walls = [w for w, _ in samples]
    cpus = [c for _, c in samples]
    median = statistics.median(walls)
    print(f"  {label:<48} median {median * 1000:7.1f} ms  best {min(walls) * 1000:7.1f} ms  "
          f"(CPU here: median {statistics.median(cpus) * 1000:6.1f} ms)")  # fmt: skip
    return median


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="hwb-"))
    (directory / "big_defs.py").write_text(MODULE)
    socket_path = str(directory / "s.sock")
    log = open(directory / "server.log", "wb")  # noqa: SIM115
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "headwater", "code-server", "start", "-f", "big_defs.py",
         "--socket", socket_path],
        cwd=directory, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        client = CodeServerClient(f"unix:{socket_path}", timeout=120)
        client.wait_until_reachable(timeout=300, poll_seconds=0.02)
        ready = time.perf_counter() - started
        health = client.health()
        if health["status"] != "ok":
            raise SystemExit(f"the location failed to load: {health['error']['message']}")
        size = len(client.snapshot_json())
        print(f"code server, {N:,} assets: snapshot of {size / 1e6:.2f} MB, ready "
              f"{ready:.2f} s after the process started")  # fmt: skip

        def fresh_snapshot() -> Any:
            return CodeServerClient(f"unix:{socket_path}", timeout=120).snapshot()

        snapshot = fresh_snapshot()
        assert len(snapshot.assets) == N, len(snapshot.assets)
        print("requests over the Unix socket:")
        median = _series("snapshot() -> DefinitionsSnapshot", fresh_snapshot)
        _series("snapshot_json() (bytes, not decoded)", client.snapshot_json)
        client.snapshot()
        _series("snapshot() unchanged (304)", client.snapshot)

        saved = list(sys.path)
        defs = load_definitions(file=str(directory / "big_defs.py"))
        sys.path[:] = saved
        print("in this process, once per server start:")
        _series("snapshot_definitions(defs)", lambda: snapshot_definitions(
            defs, location_name="big_defs"), runs=7)  # fmt: skip
        built = snapshot_definitions(defs, location_name="big_defs")
        _series("DefinitionsSnapshot.to_json()", built.to_json, runs=7)
        verdict = "within" if median <= BUDGET_S else "OVER"
        print(f"snapshot request: {median * 1000:.1f} ms median, budget <= "
              f"{BUDGET_S * 1000:.0f} ms: {verdict} budget")  # fmt: skip
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    main()
