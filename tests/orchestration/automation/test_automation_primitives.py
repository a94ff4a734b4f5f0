"""The less common primitives and operators, over real SQLite instances."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import headwater as hw
from headwater.declarations.partitions import PartitionKeyRange
from headwater.storage.backfill_records import BulkActionStatus, PartitionBackfill

AC = hw.AutomationCondition


def _eval(assets: list[Any], instance: Any, previous: Any = None, **kwargs: Any) -> Any:
    cursor = previous.cursor if previous is not None else None
    return hw.evaluate_automation_conditions(assets, instance, cursor=cursor, **kwargs)


def test_in_latest_time_window_with_a_lookback_covers_the_last_days() -> None:
    daily = hw.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11")

    condition = AC.in_latest_time_window(timedelta(days=3)) & AC.missing()

    @hw.asset(partitions_def=daily, automation_condition=condition)
    def recent() -> int:
        return 1

    with hw.instance_for_test() as instance:
        result = _eval([recent], instance)
        assert result.get_requested_partitions("recent") == {"2024-01-08", "2024-01-09",
                                                              "2024-01-10"}  # fmt: skip


def test_all_deps_updated_since_cron_needs_every_upstream_asset() -> None:
    @hw.asset
    def a() -> int:
        return 1

    @hw.asset
    def b() -> int:
        return 2

    @hw.asset(deps=[a, b], automation_condition=AC.all_deps_updated_since_cron("0 * * * *"))
    def both() -> None:
        return None

    t0 = datetime(2026, 1, 1, 10, 30, tzinfo=UTC)
    with hw.instance_for_test() as instance:
        first = _eval([a, b, both], instance, evaluation_time=t0)
        hw.materialize([a], instance=instance)
        second = _eval([a, b, both], instance, first, evaluation_time=t0 + timedelta(minutes=40))
        assert second.total_requested == 0  # the 11:00 tick passed; b not updated since
        hw.materialize([b], instance=instance)
        third = _eval([a, b, both], instance, second, evaluation_time=t0 + timedelta(minutes=45))
        assert third.total_requested == 0  # a was updated before 11:00
        hw.materialize([a], instance=instance)
        fourth = _eval([a, b, both], instance, third, evaluation_time=t0 + timedelta(minutes=50))
        assert fourth.get_requested_partitions("both") == {None}


def test_a_backfill_in_progress_covers_its_partitions() -> None:
    static = hw.StaticPartitionsDefinition(["x", "y", "z"])

    @hw.asset(partitions_def=static, automation_condition=AC.backfill_in_progress())
    def filled() -> int:
        return 1

    with hw.instance_for_test() as instance:
        instance.add_backfill(PartitionBackfill(
            backfill_id="abcdefgh", status=BulkActionStatus.REQUESTED,
            asset_selection=(filled.key,), partition_range=PartitionKeyRange("x", "y"),
        ))  # fmt: skip
        assert _eval([filled], instance).get_requested_partitions("filled") == {"x", "y"}


def test_check_passed_once_every_check_of_the_asset_passed() -> None:
    @hw.asset(automation_condition=AC.check_passed())
    def checked() -> int:
        return 1

    @hw.asset_check(asset=checked)
    def positive(checked: int) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=checked > 0)

    defs = hw.Definitions(assets=[checked], asset_checks=[positive])
    with hw.instance_for_test() as instance:
        assert hw.evaluate_automation_conditions(defs, instance).total_requested == 0
        defs.get_implicit_global_asset_job_def().execute_in_process(instance=instance)
        assert hw.evaluate_automation_conditions(defs, instance).total_requested == 1


def test_any_downstream_conditions_requests_what_a_downstream_condition_wants() -> None:
    @hw.asset(automation_condition=AC.any_downstream_conditions())
    def upstream() -> int:
        return 1

    @hw.asset(deps=[upstream], automation_condition=AC.missing())
    def downstream() -> None:
        return None

    with hw.instance_for_test() as instance:
        result = _eval([upstream, downstream], instance)
        # downstream's condition (missing) is true for upstream, which is missing too
        assert result.get_requested_partitions("upstream") == {None}
        hw.materialize([upstream], instance=instance)
        assert _eval([upstream, downstream], instance).get_num_requested("upstream") == 0


def test_newly_requested_is_true_on_the_tick_after_a_request() -> None:
    @hw.asset(automation_condition=AC.missing() & ~AC.newly_requested())
    def alternating() -> int:
        return 1

    with hw.instance_for_test() as instance:
        ticks = [_eval([alternating], instance)]
        for _ in range(3):
            ticks.append(_eval([alternating], instance, ticks[-1]))
        assert [t.total_requested for t in ticks] == [1, 0, 1, 0]


def test_a_changed_condition_starts_afresh() -> None:
    @hw.asset(automation_condition=AC.initial_evaluation())
    def first_version() -> int:
        return 1

    @hw.asset(name="first_version", automation_condition=AC.initial_evaluation() & AC.missing())
    def second_version() -> int:
        return 1

    with hw.instance_for_test() as instance:
        one = _eval([first_version], instance)
        two = _eval([first_version], instance, one)
        three = _eval([second_version], instance, two)
        assert [t.total_requested for t in (one, two, three)] == [1, 0, 1]
