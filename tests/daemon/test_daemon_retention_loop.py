"""The retention loop: registered when retention is configured; its tick vacuums."""

from __future__ import annotations

from pathlib import Path

from headwater.daemon import default_loops
from headwater.daemon.retention import IDLE_INTERVAL_SECONDS, RetentionLoop
from headwater.events.types import EventType
from headwater.instance.instance import Instance
from headwater.testing._storage_helpers import make_event
from headwater.testing.storage_suite import make_run


def test_the_retention_loop_runs_only_when_retention_is_configured(tmp_path: Path) -> None:
    with Instance.from_path(tmp_path / "plain") as plain:
        assert "retention" not in [loop.name for loop in default_loops(plain, "d1")]
    home = tmp_path / "kept"
    home.mkdir()
    (home / "headwater.yaml").write_text("retention:\n  event_logs: {purge_after_days: 7}\n")
    with Instance.from_path(home) as instance:
        assert "retention" in [loop.name for loop in default_loops(instance, "d1")]


def test_a_tick_deletes_old_log_events_and_waits_an_hour_after(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_text("retention:\n  event_logs: {purge_after_days: 1}\n")
    with Instance.from_path(home) as instance:
        instance.add_run(make_run("old"))
        long_ago = 1_000_000.0  # 1970: finished long before the retention period
        instance.store_events(
            [
                make_event("old", EventType.RUN_START, timestamp=long_ago),
                make_event("old", EventType.LOG_MESSAGE, step_key="a", timestamp=long_ago),
                make_event("old", EventType.RUN_SUCCESS, timestamp=long_ago),
            ]
        )
        loop = RetentionLoop(instance)
        loop.run_once()
        assert loop.last_report is not None and loop.last_report.events_deleted == 1
        assert loop.interval_seconds == IDLE_INTERVAL_SECONDS
        types = [r.event_log_entry.event_type for r in instance.storage.get_logs_for_run("old")]
        assert types == [EventType.RUN_START, EventType.RUN_SUCCESS]
