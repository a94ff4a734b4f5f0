"""Steps running in threads of one process each capture only their own output and logs."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from typing import Any

import headwater as hw

THREADS = 4
ROUNDS = 50


def _asset_for(name: str, barrier: threading.Barrier) -> Any:
    @hw.asset(name=name)
    def noisy() -> str:
        barrier.wait(timeout=30)  # every thread is inside its step before anyone prints
        for i in range(ROUNDS):
            print(f"{name} out {i}")
            print(f"{name} err {i}", file=sys.stderr)
            logging.getLogger("user.module").info("%s log %d", name, i)
        barrier.wait(timeout=30)  # ... and nobody leaves its step before all have printed
        return name

    return noisy


def test_steps_in_threads_capture_only_their_own_stdout_and_log_records(
    tmp_path: Path,
) -> None:
    barrier = threading.Barrier(THREADS)
    names = [f"asset_{n}" for n in range(THREADS)]
    results: dict[str, Any] = {}
    failures: list[BaseException] = []
    instances = {name: hw.Instance.from_path(tmp_path / name) for name in names}

    def run(name: str) -> None:
        try:
            results[name] = hw.materialize([_asset_for(name, barrier)], instance=instances[name])
        except BaseException as exc:  # reported below: a thread's error must fail the test
            failures.append(exc)

    stdout_before = sys.stdout
    threads = [threading.Thread(target=run, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert sys.stdout is stdout_before  # the process-wide stream is restored afterwards

    for name in names:
        result = results[name]
        assert result.success
        (captured,) = result.filter_events(hw.EventType.LOGS_CAPTURED)
        logs = instances[name].logs_directory
        out = (logs / captured.data["stdout_path"]).read_text().splitlines()
        err = (logs / captured.data["stderr_path"]).read_text().splitlines()
        assert out == [f"{name} out {i}" for i in range(ROUNDS)]
        assert err == [f"{name} err {i}" for i in range(ROUNDS)]
        messages = [e.message for e in result.filter_events(hw.EventType.LOG_MESSAGE)]
        assert messages == [f"{name} log {i}" for i in range(ROUNDS)]
    for instance in instances.values():
        instance.dispose()
