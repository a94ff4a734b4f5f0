"""``headwater dev``: webserver + daemon + code server, hot reload of edits, the last good
definitions kept beside a load error, and nothing left running after it stops.

How fast a reload is (the 2 s budget) is measured by ``benchmarks/bench_dev_reload.py``, not
asserted here: a timed assertion fails on a loaded machine without anything being wrong."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from server_helpers import DEFS, Server, free_port

pytestmark = pytest.mark.slow

#: Generous: only whether the edit is picked up is tested (its speed is a benchmark's).
RELOAD_TIMEOUT_S = 60.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait(predicate, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError("condition not met")


def _daemon(server: Server) -> dict:  # type: ignore[type-arg]
    return server.data("{ daemonHealth { running pid } }")["daemonHealth"]  # type: ignore[no-any-return]


def _keys(server: Server) -> list[str]:
    return [k["userString"] for k in server.data("{ assetKeys { userString } }")["assetKeys"]]


def test_dev_reloads_edits_keeps_good_definitions_on_error_and_stops_everything(
    tmp_path: Path,
) -> None:
    (tmp_path / "defs.py").write_text(DEFS)
    home = tmp_path / "home"
    port = free_port()
    server = Server(["dev", "-f", "defs.py", "--port", str(port)], home=home, cwd=tmp_path,
                    port=port)  # fmt: skip
    try:
        server.wait_ready()
        assert f"http://127.0.0.1:{port}/" in server.log.read_text()
        daemon = _wait(lambda: d if (d := _daemon(server))["running"] else None)
        code_server_pid = server.data("{ codeLocations { pid } }")["codeLocations"][0]["pid"]

        for i in range(3):
            source = DEFS.replace(
                "defs = Definitions(assets=[orders, report, daily]",
                f"@asset\ndef extra_{i}() -> int:\n    return {i}\n\n"
                f"defs = Definitions(assets=[orders, report, daily, extra_{i}]",
            )
            (tmp_path / "defs.py").write_text(source)
            _wait(lambda i=i: f"extra_{i}" in _keys(server), timeout=RELOAD_TIMEOUT_S)
            time.sleep(0.5)

        (tmp_path / "defs.py").write_text(source + "\nraise RuntimeError('broken on purpose')\n")
        location = _wait(
            lambda: next(
                (
                    loc
                    for loc in server.data(
                        "{ codeLocations { status definitionsAreStale error { message } } }"
                    )["codeLocations"]
                    if loc["status"] == "LOAD_ERROR"
                ),
                None,
            )
        )
        assert "broken on purpose" in location["error"]["message"]
        assert location["definitionsAreStale"] is True
        assert "extra_2" in _keys(server)  # the last good definitions stay visible

        (tmp_path / "defs.py").write_text(DEFS)
        _wait(lambda: "extra_2" not in _keys(server))
        assert server.data("{ codeLocations { status } }")["codeLocations"][0]["status"] == "LOADED"
        first_pid = daemon["pid"]  # the daemon is restarted after a change:
        daemon = _wait(
            lambda: d if (d := _daemon(server))["pid"] not in (None, first_pid) else None
        )
        pids = [daemon["pid"], server.data("{ codeLocations { pid } }")["codeLocations"][0]["pid"]]
    finally:
        server.stop()
    assert not _alive(code_server_pid)
    # the daemon has 15 s after SIGTERM before `dev` kills it; a loaded machine needs longer
    _wait(lambda: not any(_alive(pid) for pid in pids), timeout=60)
