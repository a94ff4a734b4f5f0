"""A real ``headwater webserver`` (or ``headwater dev``) process on a free port, for tests and
benchmarks: started, waited for, queried over HTTP and websocket, stopped by its pid."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

DEFS = """
from headwater import (AssetCheckResult, DailyPartitionsDefinition, Definitions,
                       ScheduleDefinition, asset, asset_check, define_asset_job, sensor)


@asset(group_name="raw", kinds={"python"}, code_version="1", owners=["team:data"],
       tags={"tier": "gold"}, description="Orders from the shop.")
def orders() -> int:
    print("hello from orders")
    return 3


@asset(group_name="mart")
def report(orders: int) -> int:
    return orders + 1


@asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-04-01"))
def daily() -> None:
    return None


@asset_check(asset=orders)
def orders_positive(orders: int) -> AssetCheckResult:
    return AssetCheckResult(passed=orders > 0)


nightly = define_asset_job("nightly", selection=["orders", "report"])


@sensor(job=nightly, minimum_interval_seconds=3600)
def new_orders(context):
    return None


defs = Definitions(assets=[orders, report, daily], asset_checks=[orders_positive], jobs=[nightly],
                   schedules=[ScheduleDefinition(name="nightly_at_3", cron_schedule="0 3 * * *",
                                                 job=nightly, execution_timezone="UTC")],
                   sensors=[new_orders])
"""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """A headwater webserver process (``args`` after ``headwater``), owned by the caller."""

    def __init__(
        self, args: Sequence[str], *, home: Path, cwd: Path, port: int,
        env: Mapping[str, str] | None = None,
    ) -> None:  # fmt: skip
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = home.parent / f"server-{port}.log"
        env = {**os.environ, "HEADWATER_HOME": str(home), **(env or {})}
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "headwater", *args],
                cwd=cwd,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 60.0, prefix: str = "") -> float:
        """Wait until ``/graphql`` answers with every location settled; the seconds it took."""
        started = time.monotonic()
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()}")
            try:
                data = self.query("{ codeLocations { status } }", prefix=prefix)
                statuses = {loc["status"] for loc in data["data"]["codeLocations"]}
                if statuses <= {"LOADED", "LOAD_ERROR"} and statuses:
                    return time.monotonic() - started
            except (OSError, urllib.error.URLError, KeyError, TypeError):
                pass
            time.sleep(0.05)
        raise TimeoutError(f"the server did not get ready: {self.log.read_text()}")

    def post(
        self, body: bytes, headers: Mapping[str, str], prefix: str = ""
    ) -> tuple[int, dict[str, Any]]:
        """POST ``body`` to ``/graphql``; the status and the decoded JSON answer."""
        request = urllib.request.Request(
            f"{self.url}{prefix}/graphql", data=body, headers=dict(headers), method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                return exc.code, json.loads(raw or b"{}")
            except ValueError:
                return exc.code, {"text": raw.decode(errors="replace")}

    def query(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        prefix: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Run a GraphQL operation by POST; the JSON answer."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        _status, answer = self.post(
            body, {"Content-Type": "application/json", **(headers or {})}, prefix
        )
        return answer

    def data(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a query that must not fail."""
        answer = self.query(query, variables)
        assert not answer.get("errors"), answer
        return answer["data"]  # type: ignore[no-any-return]

    def stop(self) -> None:
        """SIGTERM the server's process group, then SIGKILL after 20 s."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        else:
            self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_for_run(server: Server, run_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """Poll the run until it has finished; its data."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = server.data(
            "query($id: ID!) { run(runId: $id) { status isFinished } }", {"id": run_id}
        )["run"]
        if run["isFinished"]:
            return run  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise TimeoutError(f"run {run_id} did not finish")
