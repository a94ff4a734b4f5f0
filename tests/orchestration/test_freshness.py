"""Freshness states on a real SQLite instance: rules, transitions, events, conditions, CLI."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import headwater as hw
from headwater.cli.main import cli
from headwater.events.types import EventType
from headwater.orchestration.freshness import freshness_state, update_freshness_states
from headwater.storage.automation_records import FreshnessState
from headwater.storage.records import EventRecordsFilter

HOUR = 3600.0
WINDOW = hw.FreshnessPolicy.time_window(timedelta(hours=2), warn_window=timedelta(hours=1))


def test_time_window_state_by_age() -> None:
    assert freshness_state(WINDOW, None, 0.0)[0] is FreshnessState.UNKNOWN
    assert freshness_state(WINDOW, 0.0, 0.5 * HOUR)[0] is FreshnessState.PASS
    assert freshness_state(WINDOW, 0.0, 1.5 * HOUR)[0] is FreshnessState.WARN
    state, info = freshness_state(WINDOW, 0.0, 2.5 * HOUR)
    assert state is FreshnessState.FAIL and info["age_seconds"] == 2.5 * HOUR


def test_cron_state_needs_an_update_in_the_window_before_the_latest_deadline() -> None:
    policy = hw.FreshnessPolicy.cron("0 9 * * *", timedelta(hours=2))
    deadline = datetime(2026, 12, 6, 9, tzinfo=UTC).timestamp()
    after = deadline + 60
    assert freshness_state(policy, deadline - 1.5 * HOUR, after)[0] is FreshnessState.PASS
    assert freshness_state(policy, deadline - 3 * HOUR, after)[0] is FreshnessState.FAIL
    # before the deadline, yesterday's window still decides
    assert freshness_state(policy, deadline - 3 * HOUR, deadline - 60)[0] is FreshnessState.PASS


@hw.asset(freshness_policy=WINDOW)
def report() -> int:
    return 1


def _changes(instance: Any) -> list[Any]:
    records = instance.get_event_records(
        EventRecordsFilter(event_type=EventType.FRESHNESS_STATE_CHANGE), ascending=True
    )
    return [(r.event_log_entry.data["previous_state"], r.event_log_entry.data["new_state"])
            for r in records]  # fmt: skip


def test_states_change_pass_warn_fail_with_one_event_per_change(instance: Any) -> None:
    policies = {report.key: WINDOW}
    assert [c.state for c in update_freshness_states(instance, policies)] == [
        FreshnessState.UNKNOWN
    ]
    hw.materialize([report], instance=instance)
    updated = instance.get_latest_materialization_event(report.key).timestamp
    update_freshness_states(instance, policies, now=updated + 60)
    assert update_freshness_states(instance, policies, now=updated + 120) == []  # no change
    update_freshness_states(instance, policies, now=updated + 1.5 * HOUR)
    update_freshness_states(instance, policies, now=updated + 3 * HOUR)
    assert _changes(instance) == [(None, "UNKNOWN"), ("UNKNOWN", "PASS"), ("PASS", "WARN"),
                                  ("WARN", "FAIL")]  # fmt: skip
    stored = instance.storage.get_freshness_states([report.key])[report.key]
    assert stored.state is FreshnessState.FAIL and stored.info["last_updated"] == updated


def test_freshness_failed_condition_reads_the_stored_state(instance: Any) -> None:
    @hw.asset(
        freshness_policy=WINDOW, automation_condition=hw.AutomationCondition.freshness_failed()
    )
    def kept_fresh() -> int:
        return 1

    defs = hw.Definitions(assets=[kept_fresh])
    hw.materialize([kept_fresh], instance=instance)
    updated = instance.get_latest_materialization_event(kept_fresh.key).timestamp
    update_freshness_states(instance, {kept_fresh.key: WINDOW}, now=updated + 60)
    assert hw.evaluate_automation_conditions(defs, instance).total_requested == 0
    update_freshness_states(instance, {kept_fresh.key: WINDOW}, now=updated + 3 * HOUR)
    assert hw.evaluate_automation_conditions(defs, instance).total_requested == 1


def test_asset_status_shows_the_freshness_state(instance: Any, tmp_path: Path) -> None:
    (tmp_path / "defs.py").write_text(
        "from datetime import timedelta\n"
        "import headwater as hw\n"
        "@hw.asset(freshness_policy=hw.FreshnessPolicy.time_window(timedelta(hours=2)))\n"
        "def report() -> int:\n    return 1\n"
        "defs = hw.Definitions(assets=[report])\n",
        encoding="utf-8",
    )
    update_freshness_states(instance, {report.key: WINDOW})
    result = CliRunner().invoke(cli, ["asset", "status", "-f", str(tmp_path / "defs.py"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"freshness": "UNKNOWN"' in result.output
    table = CliRunner().invoke(cli, ["asset", "status", "-f", str(tmp_path / "defs.py")])
    assert "Freshness" in table.output and "UNKNOWN" in table.output
