"""Terminating a run that is executing: its worker is signalled and the run ends CANCELED."""

from __future__ import annotations

import time
from pathlib import Path

from server_helpers import Server, free_port, wait_for_run

DEFS = """
import time

from headwater import Definitions, asset


@asset
def slow() -> int:
    time.sleep(120)
    return 1


defs = Definitions(assets=[slow])
"""


def test_terminating_a_started_run_cancels_it(tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(DEFS)
    port = free_port()
    with Server(["webserver", "-f", "defs.py", "--port", str(port)], home=tmp_path / "home",
                cwd=tmp_path, port=port) as server:  # fmt: skip
        server.wait_ready()
        run_id = server.data(
            'mutation { materialize(input: {assetKeys: [{path: ["slow"]}]}) { run { runId } } }'
        )["materialize"]["run"]["runId"]
        query = "query($id: ID!) { run(runId: $id) { status } }"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run = server.data(query, {"id": run_id})["run"]
            if run["status"] == "STARTED":
                break
            time.sleep(0.1)
        assert run["status"] == "STARTED"
        time.sleep(1.0)  # into the step's sleep
        out = server.data(
            "mutation($ids: [ID!]!) { terminateRuns(runIds: $ids) { results "
            "{ changed run { status } } errors { message } } }",
            {"ids": [run_id]},
        )
        result = out["terminateRuns"]["results"][0]
        assert result["changed"] is True and out["terminateRuns"]["errors"] == []
        assert wait_for_run(server, run_id, timeout=30)["status"] == "CANCELED"
