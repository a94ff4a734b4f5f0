"""evaluate_automation_conditions over real SQLite instances, after real materializations."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import headwater as hw
from headwater.errors import InvalidInvocationError

AC = hw.AutomationCondition


def _defs(*assets: Any) -> hw.Definitions:
    return hw.Definitions(assets=list(assets))


@hw.asset
def raw() -> int:
    return 1


@hw.asset(automation_condition=AC.eager())
def cleaned(raw: int) -> int:
    return raw + 1


@hw.asset(automation_condition=AC.eager())
def report(cleaned: int) -> int:
    return cleaned * 2


def _tick(defs: hw.Definitions, instance: Any, previous: Any = None, **kwargs: Any) -> Any:
    cursor = previous.cursor if previous is not None else None
    return hw.evaluate_automation_conditions(defs, instance, cursor=cursor, **kwargs)


def test_eager_requests_nothing_on_the_first_tick(instance: Any) -> None:
    result = _tick(_defs(raw, cleaned, report), instance)
    assert result.total_requested == 0
    assert result.get_requested_partitions("cleaned") == set()


def test_eager_requests_downstream_of_an_updated_asset_and_its_own_downstream(
    instance: Any,
) -> None:
    defs = _defs(raw, cleaned, report)
    first = _tick(defs, instance)
    hw.materialize([raw], instance=instance)
    second = _tick(defs, instance, first)
    # cleaned: raw updated; report: cleaned will be requested on this same tick
    assert second.get_requested_partitions("cleaned") == {None}
    assert second.get_num_requested("report") == 1
    assert second.total_requested == 2
    third = _tick(defs, instance, second)
    assert third.total_requested == 0  # handled: requested on the previous tick


def test_eager_ignores_updates_made_by_a_run_that_also_materialized_it(instance: Any) -> None:
    defs = _defs(raw, cleaned, report)
    first = _tick(defs, instance)
    hw.materialize([raw, cleaned, report], instance=instance)
    second = _tick(defs, instance, first)
    assert second.total_requested == 0


def test_eager_waits_for_missing_upstream_assets(instance: Any) -> None:
    @hw.asset
    def other() -> int:
        return 2

    @hw.asset(automation_condition=AC.eager())
    def joined(raw: int, other: int) -> int:
        return raw + other

    defs = _defs(raw, other, joined)
    first = _tick(defs, instance)
    hw.materialize([raw], instance=instance)
    second = _tick(defs, instance, first)
    assert second.total_requested == 0  # other is missing
    hw.materialize([other], instance=instance)
    third = _tick(defs, instance, second)
    assert third.get_requested_partitions("joined") == {None}


def test_eager_does_not_request_an_asset_whose_run_is_in_progress(instance: Any) -> None:
    defs = _defs(raw, cleaned)
    first = _tick(defs, instance)
    hw.materialize([raw], instance=instance)
    run = instance.create_run(
        job_name="__ASSET_JOB", asset_selection=frozenset({hw.AssetKey("cleaned")})
    )
    instance.submit_run(run.run_id)  # queued: in progress for automation
    second = _tick(defs, instance, first)
    assert second.total_requested == 0


def test_on_missing_requests_a_partition_that_becomes_missing(instance: Any) -> None:
    daily = hw.DailyPartitionsDefinition(start_date="2024-01-01")

    @hw.asset(partitions_def=daily, automation_condition=AC.on_missing())
    def events() -> int:
        return 1

    defs = _defs(events)
    day = datetime(2024, 1, 5, 1, tzinfo=UTC)
    first = _tick(defs, instance, evaluation_time=day)
    assert first.total_requested == 0  # the missing partitions predate the condition
    second = _tick(defs, instance, first, evaluation_time=day + timedelta(days=1))
    # a new day: partition 2024-01-05 exists and is newly missing, in the latest window
    assert second.get_requested_partitions("events") == {"2024-01-05"}


def test_on_cron_waits_for_the_tick_and_for_every_upstream_update(instance: Any) -> None:
    @hw.asset(automation_condition=AC.on_cron("0 * * * *"))
    def hourly(raw: int) -> int:
        return raw

    defs = _defs(raw, hourly)
    t0 = datetime(2026, 1, 1, 10, 30, tzinfo=UTC)
    first = _tick(defs, instance, evaluation_time=t0)
    second = _tick(defs, instance, first, evaluation_time=t0 + timedelta(minutes=40))
    assert second.total_requested == 0  # the 11:00 tick passed, raw not updated since
    hw.materialize([raw], instance=instance)
    third = _tick(defs, instance, second, evaluation_time=t0 + timedelta(minutes=45))
    assert third.get_requested_partitions("hourly") == {None}
    fourth = _tick(defs, instance, third, evaluation_time=t0 + timedelta(minutes=50))
    assert fourth.total_requested == 0  # handled until the next cron tick


def test_eager_over_partitions_requests_only_the_updated_latest_partition(instance: Any) -> None:
    daily = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11")

    @hw.asset(partitions_def=daily)
    def up() -> int:
        return 1

    @hw.asset(partitions_def=daily, automation_condition=AC.eager())
    def down(up: int) -> int:
        return up

    defs = _defs(up, down)
    for key in daily.get_partition_keys():
        hw.materialize([up, down], instance=instance, partition_key=key)
    first = _tick(defs, instance)
    hw.materialize([up], instance=instance, partition_key="2024-01-10")
    hw.materialize([up], instance=instance, partition_key="2024-01-03")
    second = _tick(defs, instance, first)
    assert second.get_requested_partitions("down") == {"2024-01-10"}


def test_custom_condition_without_the_latest_window_requests_every_updated_partition(
    instance: Any,
) -> None:
    static = hw.StaticPartitionsDefinition(["a", "b", "c"])

    @hw.asset(partitions_def=static)
    def up() -> int:
        return 1

    condition = AC.any_deps_updated() & ~AC.in_progress()

    @hw.asset(partitions_def=static, automation_condition=condition)
    def down(up: int) -> int:
        return up

    defs = _defs(up, down)
    first = _tick(defs, instance)
    for key in ("a", "c"):
        hw.materialize([up], instance=instance, partition_key=key)
    second = _tick(defs, instance, first)
    assert second.get_requested_partitions("down") == {"a", "c"}
    assert second.total_requested == 2


def test_code_version_changed_is_true_once_after_a_change(instance: Any) -> None:
    def build(version: str) -> hw.Definitions:
        @hw.asset(code_version=version, automation_condition=AC.code_version_changed())
        def versioned() -> int:
            return 1

        return _defs(versioned)

    first = _tick(build("1"), instance)
    second = _tick(build("2"), instance, first)
    third = _tick(build("2"), instance, second)
    assert (first.total_requested, second.total_requested, third.total_requested) == (0, 1, 0)


def test_newly_true_and_since_keep_their_state_in_the_cursor(instance: Any) -> None:
    condition = AC.missing().newly_true()

    @hw.asset(automation_condition=condition)
    def lonely() -> int:
        return 1

    defs = _defs(lonely)
    first = _tick(defs, instance)
    second = _tick(defs, instance, first)
    assert (first.total_requested, second.total_requested) == (1, 0)
    fresh = _tick(defs, instance)  # no cursor: starts afresh
    assert fresh.total_requested == 1


def test_execution_failed_is_true_after_a_failed_run(instance: Any) -> None:
    @hw.asset(automation_condition=AC.execution_failed())
    def flaky() -> int:
        raise RuntimeError("boom")

    defs = _defs(flaky)
    assert _tick(defs, instance).total_requested == 0
    hw.materialize([flaky], instance=instance, raise_on_error=False)
    assert _tick(defs, instance).get_requested_partitions("flaky") == {None}


def test_check_failed_reads_the_latest_check_evaluation(instance: Any) -> None:
    @hw.asset(automation_condition=AC.check_failed())
    def checked() -> int:
        return 1

    @hw.asset_check(asset=checked)
    def positive(checked: int) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=False)

    defs = hw.Definitions(assets=[checked], asset_checks=[positive])
    assert _tick(defs, instance).total_requested == 0
    defs.get_implicit_global_asset_job_def().execute_in_process(instance=instance)
    assert _tick(defs, instance).total_requested == 1


def test_asset_selection_limits_what_is_evaluated(instance: Any) -> None:
    defs = _defs(raw, cleaned, report)
    first = _tick(defs, instance)
    hw.materialize([raw], instance=instance)
    second = _tick(defs, instance, first, asset_selection=["cleaned"])
    assert second.requested == {hw.AssetKey("cleaned"): frozenset({None})}


def test_a_bad_cursor_is_refused_with_how_to_fix_it(instance: Any) -> None:
    with pytest.raises(InvalidInvocationError, match="previous"):
        hw.evaluate_automation_conditions(_defs(raw, cleaned), instance, cursor="not json")


def test_the_compat_module_exports_it() -> None:
    import headwater.compat.dagster as dg

    assert dg.evaluate_automation_conditions is hw.evaluate_automation_conditions


def test_a_list_of_assets_is_accepted_as_dagster_does(instance: Any) -> None:
    first = hw.evaluate_automation_conditions([raw, cleaned], instance)
    hw.materialize([raw], instance=instance)
    second = hw.evaluate_automation_conditions([raw, cleaned], instance, cursor=first.cursor)
    assert second.get_requested_partitions("cleaned") == {None}


def test_the_cursor_forgets_assets_that_no_longer_have_a_condition(instance: Any) -> None:
    first = _tick(_defs(raw, cleaned, report), instance)
    assert set(json.loads(first.cursor)["g"][0][1]) == {"cleaned", "report"}
    second = _tick(_defs(raw, cleaned), instance, first)
    keys = {k for _, names in json.loads(second.cursor)["g"] for k in names}
    assert keys == {"cleaned"}
