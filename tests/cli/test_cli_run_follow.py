"""``headwater run show --follow``: a run's events printed as another process stores them."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from click.testing import CliRunner

from headwater.cli.main import cli
from headwater.events.types import EventType
from headwater.instance.instance import Instance
from headwater.testing._storage_helpers import make_event
from headwater.testing.storage_suite import make_run


def test_follow_prints_events_as_they_are_stored_then_the_summary(tmp_path: Path) -> None:
    home = tmp_path / "home"
    writer = Instance.from_path(home)
    writer.add_run(make_run("live-run"))
    writer.store_events([make_event("live-run", EventType.RUN_START)])

    def finish() -> None:
        time.sleep(0.3)
        writer.store_events([make_event("live-run", EventType.STEP_START, step_key="orders")])
        time.sleep(0.2)
        writer.store_events([make_event("live-run", EventType.RUN_SUCCESS)])

    thread = threading.Thread(target=finish)
    thread.start()
    try:
        result = CliRunner().invoke(
            cli, ["--home", str(home), "run", "show", "live-run", "--follow", "--json"]
        )
    finally:
        thread.join()
        writer.dispose()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    streamed = [json.loads(line) for line in lines[:3]]
    assert [e["event_type"] for e in streamed] == ["RUN_START", "STEP_START", "RUN_SUCCESS"]
    assert streamed[1]["step_key"] == "orders"
    summary = json.loads("\n".join(lines[3:]))
    assert summary["status"] == "SUCCESS"
