"""Stored condition evaluations and `headwater asset why`, on a real SQLite instance."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import headwater as hw
from headwater.cli.main import cli
from headwater.orchestration.automation.explain import explain
from headwater.orchestration.automation.records import store_evaluations

AC = hw.AutomationCondition


@hw.asset
def raw() -> int:
    return 1


@hw.asset(automation_condition=AC.eager())
def cleaned(raw: int) -> int:
    return raw


daily = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11")


@hw.asset(partitions_def=daily)
def up() -> int:
    return 1


@hw.asset(partitions_def=daily, automation_condition=AC.eager())
def down(up: int) -> int:
    return up


def _two_ticks(instance: Any, signatures: dict[str, int]) -> None:
    defs = hw.Definitions(assets=[raw, cleaned, up, down])
    first = hw.evaluate_automation_conditions(defs, instance)
    stored = store_evaluations(instance.storage, first.evaluations, evaluation_id=1,
                               timestamp=time.time(), sensor_name="defs:auto",
                               last_signatures=signatures)  # fmt: skip
    assert stored == 2  # never stored before
    hw.materialize([raw], instance=instance)
    hw.materialize([up], instance=instance, partition_key="2024-01-10")
    second = hw.evaluate_automation_conditions(defs, instance, cursor=first.cursor)
    store_evaluations(instance.storage, second.evaluations, evaluation_id=2, timestamp=time.time(),
                      sensor_name="defs:auto", last_signatures=signatures,
                      run_ids={"cleaned": ["r1"]})  # fmt: skip


def test_an_unchanged_evaluation_is_not_stored_again(instance: Any) -> None:
    defs = hw.Definitions(assets=[raw, cleaned])
    signatures: dict[str, int] = {}
    first = hw.evaluate_automation_conditions(defs, instance)
    args = {"timestamp": 1.0, "sensor_name": "s", "last_signatures": signatures}
    assert store_evaluations(instance.storage, first.evaluations, evaluation_id=1, **args) == 1
    second = hw.evaluate_automation_conditions(defs, instance, cursor=first.cursor)
    third = hw.evaluate_automation_conditions(defs, instance, cursor=second.cursor)
    assert store_evaluations(instance.storage, second.evaluations, evaluation_id=2, **args) == 1
    assert store_evaluations(instance.storage, third.evaluations, evaluation_id=3, **args) == 0


def test_stored_evaluations_explain_the_request_in_words(instance: Any) -> None:
    _two_ticks(instance, {})
    latest = instance.storage.get_condition_evaluations(hw.AssetKey("down"), limit=1)[0]
    assert (latest.evaluation_id, latest.num_requested) == (2, 1)
    assert latest.body["requested"] == {"n": 1, "runs": [["2024-01-10", "2024-01-10"]]}
    text = explain(latest.body)
    assert text.startswith("requested 1 partition because: in latest time window (1 partition)")
    assert "any deps updated (upstream: up) (1 partition) since last handled" in text
    assert text.endswith("AND NOT in progress")


def test_asset_why_prints_the_reason_and_the_tree(instance: Any, headwater_home: Path) -> None:
    _two_ticks(instance, {})
    result = CliRunner().invoke(cli, ["asset", "why", "cleaned"])
    assert result.exit_code == 0, result.output
    assert "tick 2 by defs:auto" in result.output
    assert "requested because: in latest time window AND any deps updated (upstream: raw)" in (
        " ".join(result.output.split())
    )
    assert "runs: r1" in result.output
    assert "✓ AND (eager)" in result.output


def test_asset_why_without_an_evaluation_exits_1_saying_what_to_do(
    instance: Any, headwater_home: Path
) -> None:
    result = CliRunner().invoke(cli, ["asset", "why", "nothing/here"])
    assert result.exit_code == 1
    assert "no automation evaluation" in result.output
    assert "headwater daemon run" in result.output
