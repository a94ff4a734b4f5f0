"""Launch -> RUN_START: how long a launched run takes to start executing in its run worker.

A code location of one trivial asset in a temporary project, a real SQLite instance in a
temporary HEADWATER_HOME. Three figures, each the median of 7 launches:

- ``job launch --now`` from the command line: from starting the command to the RUN_START
  event the worker records (the command loads the location, validates and records the run,
  starts the worker; the worker starts Python, imports headwater, loads the location again and
  plans the run);
- ``launch_run()`` from Python, for a run already created: to RUN_START (the worker alone);
- the code location's own import time in a fresh process (``python -c`` loading it), which the
  budget allows on top: <= 0.3 s plus that.

Processes run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed from their
environment, one launch first to warm the caches), as an installed package runs: compiling
headwater's sources anew costs a fresh process ~0.5 s on its own.

Dagster 1.13: launch -> RUN_START 3-10 s in users' reports (#26194, #19607).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import headwater as hw
from headwater.events.types import EventType
from headwater.orchestration.code_location import load_definitions, resolve_code_location
from headwater.orchestration.launcher import launch_run, wait_for_run
from headwater.orchestration.submission import create_run_for_job

RUNS = 7
DEFS = """
    from headwater import Definitions, asset, define_asset_job

    @asset
    def one() -> int:
        return 1

    defs = Definitions(assets=[one], jobs=[define_asset_job("one_job", selection="*")])
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project, home = Path(tmp) / "project", Path(tmp) / "home"
        project.mkdir()
        (project / "defs.py").write_text(textwrap.dedent(DEFS))
        env = {**os.environ, "HEADWATER_HOME": str(home)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the workers inherit this environment
        import_time = _location_import_time(project, env)
        instance = hw.Instance.from_path(home)
        try:
            _cli_launch(project, env, instance)  # warm-up: bytecode caches, schema
            cli = [_cli_launch(project, env, instance) for _ in range(RUNS)]
            api = [_api_launch(project, instance) for _ in range(RUNS)]
        finally:
            instance.dispose()
    budget = 0.3 + import_time
    print(
        f"job launch --now -> RUN_START (CLI, two processes): {statistics.median(cli):.3f} s "
        f"(best {min(cli):.3f} s); launch_run() -> RUN_START (the worker alone): "
        f"{statistics.median(api):.3f} s (best {min(api):.3f} s); code location import in a "
        f"fresh process {import_time:.3f} s; budget 0.3 s + import = {budget:.3f} s"
    )


def _location_import_time(project: Path, env: dict[str, str]) -> float:
    """Median wall time of a fresh interpreter loading the location, minus a bare interpreter
    (what a worker pays on top of starting Python)."""
    load = [sys.executable, "-c", "from headwater.orchestration.code_location import "
            "load_definitions; load_definitions(file='defs.py')"]  # fmt: skip
    bare = [sys.executable, "-c", "pass"]
    loads, bares = [], []
    for _ in range(RUNS):
        loads.append(_timed(load, project, env))
        bares.append(_timed(bare, project, env))
    return statistics.median(loads) - statistics.median(bares)


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _cli_launch(project: Path, env: dict[str, str], instance: hw.Instance) -> float:
    command = [sys.executable, "-m", "headwater", "job", "launch", "-f", "defs.py",
               "--job", "one_job", "--now"]  # fmt: skip
    started = time.time()
    done = subprocess.run(command, cwd=project, env=env, check=True, capture_output=True,
                          text=True)  # fmt: skip
    return _run_start(instance, done.stdout.strip()) - started


def _api_launch(project: Path, instance: hw.Instance) -> float:
    location = resolve_code_location(file="defs.py", working_directory=project)
    job = load_definitions(file="defs.py", working_directory=project).get_job_def("one_job")
    run = create_run_for_job(instance, job, location=location.to_origin(), queued=False)
    started = time.time()
    launch_run(instance, run.run_id)
    return _run_start(instance, run.run_id) - started


def _run_start(instance: hw.Instance, run_id: str) -> float:
    run = wait_for_run(instance, run_id, timeout=120, poll_interval=0.02)
    assert run.is_success, run.status
    [start] = instance.all_logs(run_id, of_type=EventType.RUN_START)
    return start.timestamp


if __name__ == "__main__":
    main()
