"""A real ``headwater webserver`` process for the UI tests and benchmark: started on a free port
with its own SQLite instance, waited for, queried, and stopped by its process group."""

from __future__ import annotations

import contextlib
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

CHROMIUM = "/usr/bin/chromium"
STATIC_INDEX = Path(__file__).parents[2] / "src/headwater/webserver/static/index.html"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class UiServer:
    """``headwater webserver -f DEFS ARGS...`` (or ``command`` instead of ``webserver``, e.g.
    ``dev``) in ``home``, owned by the caller (use ``with``)."""

    def __init__(
        self,
        defs: Path,
        *,
        home: Path,
        args: Sequence[str] = (),
        prefix: str = "",
        command: str = "webserver",
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = prefix
        self.log = home / f"webserver-{self.port}.log"
        env = {**os.environ, "HEADWATER_HOME": str(home)}
        command = [
            sys.executable,
            "-m",
            "headwater",
            command,
            "-f",
            str(defs),
            "--port",
            str(self.port),
            *args,
        ]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                cwd=defs.parent,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Wait until ``/graphql`` answers and every code location has loaded; the seconds."""
        started = time.monotonic()
        while time.monotonic() < started + timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the webserver exited:\n{self.log.read_text()}")
            try:
                locations = self.data("{ codeLocations { status } }")["codeLocations"]
                if locations and all(loc["status"] == "LOADED" for loc in locations):
                    return time.monotonic() - started
            except (OSError, KeyError, TypeError, ValueError):
                pass
            time.sleep(0.05)
        raise TimeoutError(f"the webserver did not get ready:\n{self.log.read_text()}")

    def data(self, query: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a GraphQL query that must not fail."""
        body = json.dumps({"query": query, "variables": dict(variables or {})}).encode()
        request = urllib.request.Request(
            f"{self.url}{self.prefix}/graphql",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
        if answer.get("errors"):
            raise ValueError(f"GraphQL errors: {answer['errors']}")
        return answer["data"]  # type: ignore[no-any-return]

    def stop(self) -> None:
        """SIGTERM the webserver's process group (it stops its code servers), SIGKILL after 20 s."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError):  # anything of its group left (a run worker)
            os.killpg(self.process.pid, signal.SIGKILL)

    def __enter__(self) -> UiServer:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium, headless (Playwright never downloads a browser here)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
    )


def open_page(page: Any, url: str, name: str, timeout_ms: int = 20_000) -> None:
    """Go to ``url`` and wait until the page ``name`` says its data is drawn (data-ready)."""
    page.goto(url)
    page.wait_for_selector(f'[data-page="{name}"][data-ready="true"]', timeout=timeout_ms)


def materialize(server: UiServer, *keys: str, partition: str | None = None) -> str:
    """Materialize ``keys`` (one partition) through the API and wait until the run finished;
    the run id."""
    payload = server.data(
        "mutation($input: MaterializeInput!) { materialize(input: $input) { run { runId } "
        "errors { message } } }",
        {"input": {"assetKeys": [{"path": [k]} for k in keys], "partitionKey": partition}},
    )["materialize"]
    assert not payload["errors"], payload
    run_id = payload["run"]["runId"]
    for _ in range(600):
        run = server.data("query($id: ID!) { run(runId: $id) { isFinished } }", {"id": run_id})
        if run["run"]["isFinished"]:
            return str(run_id)
        time.sleep(0.1)
    raise TimeoutError(run_id)
