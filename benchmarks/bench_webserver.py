"""The webserver's start and its "all asset keys" query at 1,000 / 5,000 / 10,000 assets.

Budgets (issue 13): start <= 1 / 2 / 3 s; GraphQL all asset keys at 10,000 <= 0.3 s.
Dagster 1.13.27 measured on this kind of machine: start 4.9 / 13.1 / 23.1 s; all asset keys
0.03 / 0.14 / 0.70 s.

For each size a module of that many assets (20 groups, each depending on 1-3 earlier assets)
is written to a temporary directory and served by a real ``headwater webserver -f`` process
on a free port, with a fresh SQLite instance. Figures:

- start: from starting the process to the first answer of ``{ assetKeys { path } }`` listing
  every asset (Python and headwater imported, the code server started and loaded, its snapshot
  fetched and indexed, the API answering);
- start CPU: the CPU seconds (user + system) the webserver and its code server had used by
  then, read from ``/proc``: on the shared 2-core VM wall time is mostly waiting for a CPU;
- all asset keys: the median (and best) of 11 POSTs of ``{ assetKeys { path } }`` over HTTP,
  of ``{ assets { nodes { key { path } groupName } } }``, and of the UI's lineage query (every
  asset with its definition, dependencies, latest materialization, stale status and checks'
  latest evaluations; a check on every tenth asset).

Run: ``python benchmarks/bench_webserver.py [SIZES...]``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

SIZES = (1_000, 5_000, 10_000)
START_BUDGET_S = {1_000: 1.0, 5_000: 2.0, 10_000: 3.0}
KEYS_BUDGET_S = 0.3
REQUESTS = 11

LINEAGE = """{ assets { totalCount nodes { key { path } locationName groupName description kinds
    owners tags { key value } isPartitioned dependencyKeys { path } lastRunId
    latestMaterialization { runId timestamp } staleStatus { status }
    checks { latestEvaluation { passed severity } } } } }"""

MODULE = textwrap.dedent(
    """
    import random
    import headwater as hw

    def _build(n):
        rng = random.Random(13)
        out = []
        for i in range(n):
            picks = range(rng.randint(1, 3))
            deps = sorted({f"asset_{rng.randrange(i)}" for _ in picks}) if i else []

            extra = {}
            if i % 10 == 0:
                extra["check_specs"] = [hw.AssetCheckSpec("not_empty", asset=f"asset_{i}")]

            def fn() -> None:
                return None

            out.append(hw.asset(name=f"asset_{i}", deps=deps, group_name=f"group_{i % 20}",
                                kinds={"duckdb"}, tags={"tier": "gold"}, **extra)(fn))
        return out

    defs = hw.Definitions(assets=_build(N))
    """
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(port: int, query: str, timeout: float = 30.0) -> dict:  # type: ignore[type-arg]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed_queries(port: int, query: str) -> tuple[float, float]:
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        _post(port, query)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def measure(n: int, directory: Path) -> dict[str, float]:
    """Start a webserver on ``n`` assets; its start time and the query times."""
    (directory / "defs.py").write_text(MODULE.replace("N))", f"{n}))"))
    port = _free_port()
    env = {**os.environ, "HEADWATER_HOME": str(directory / "home")}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "headwater", "webserver", "-f", "defs.py", "--port", str(port)],
        cwd=directory, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        while True:
            if time.perf_counter() - started > 120:
                raise TimeoutError(f"the webserver did not list {n} assets within 120 s")
            try:
                keys = _post(port, "{ assetKeys { path } }", timeout=5)["data"]["assetKeys"]
                if len(keys) == n:
                    break
            except OSError:
                pass
            time.sleep(0.01)
        start = time.perf_counter() - started
        code_server = _post(port, "{ codeLocations { pid } }")["data"]["codeLocations"][0]["pid"]
        cpu = _cpu_seconds(process.pid) + _cpu_seconds(code_server)
        keys_median, keys_best = _timed_queries(port, "{ assetKeys { path } }")
        nodes_median, nodes_best = _timed_queries(
            port, "{ assets { nodes { key { path } groupName } } }"
        )
        lineage_median, lineage_best = _timed_queries(port, LINEAGE)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    return {"start": start, "cpu": cpu, "keys": keys_median, "keys_best": keys_best,
            "nodes": nodes_median, "nodes_best": nodes_best,
            "lineage": lineage_median, "lineage_best": lineage_best}  # fmt: skip


def main(sizes: tuple[int, ...]) -> None:
    """Print one line per size."""
    print(f"webserver start and all asset keys (median of {REQUESTS} requests, best in ())")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="hw-bench-web-") as tmp:
            got = measure(n, Path(tmp))
        budget = START_BUDGET_S.get(n)
        verdict = "" if budget is None else (" ok" if got["start"] <= budget else " OVER")
        keys_verdict = ""
        if n == 10_000:
            keys_verdict = " ok" if got["keys"] <= KEYS_BUDGET_S else " OVER"
        ms = {k: round(v * 1000) for k, v in got.items()}
        print(f"{n:>6} assets: start {got['start']:.2f} s (budget {budget} s){verdict}, "
              f"{got['cpu']:.2f} s CPU; "
              f"assetKeys {ms['keys']} ms ({ms['keys_best']}){keys_verdict}; "
              f"assets nodes {ms['nodes']} ms ({ms['nodes_best']}); "
              f"lineage {ms['lineage']} ms ({ms['lineage_best']})")  # fmt: skip


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
