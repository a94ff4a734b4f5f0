"""Backfills: planning order and chunking, failures, resume after a crash, cancel, status."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

import headwater as hw
from headwater import (
    BackfillNotFoundError,
    BackfillPolicy,
    DailyPartitionsDefinition,
    DefinitionError,
    EventRecordsFilter,
    EventType,
    InvalidSelectionError,
    MonthlyPartitionsDefinition,
    PartitionError,
    PartitionKeyRange,
    RunsFilter,
    StaticPartitionsDefinition,
    cancel_backfill,
    execute_backfill,
    launch_backfill,
    resume_backfill,
)
from headwater.orchestration.backfills.plan import plan_backfill
from headwater.orchestration.backfills.status import (
    BackfillPartitionStatus,
    backfill_partition_status,
    backfill_run_statuses,
    compact_ranges,
)
from headwater.storage.backfill_records import BACKFILL_ID_TAG, BulkActionStatus

daily = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01")
monthly = MonthlyPartitionsDefinition(start_date="2024-01-01", end_date="2024-03-01")
FAIL_ON: set[str] = set()  # partitions for which `events` raises


@hw.asset(partitions_def=daily)
def events(context: hw.AssetExecutionContext) -> list[str]:
    if context.partition_key in FAIL_ON:
        raise ValueError(f"no events on {context.partition_key}")
    return [f"event on {context.partition_key}"]


@hw.asset(partitions_def=daily)
def daily_counts(events: list[str]) -> int:
    return len(events)


@hw.asset(partitions_def=monthly)
def monthly_counts(daily_counts: dict[str, int]) -> int:
    return sum(daily_counts.values())


@hw.asset(deps=[monthly_counts])
def report() -> str:
    return "done"


DEFS = hw.Definitions(assets=[events, daily_counts, monthly_counts, report])
JANUARY = PartitionKeyRange("2024-01-01", "2024-01-31")


@pytest.fixture(autouse=True)
def _no_failures() -> Any:
    FAIL_ON.clear()
    yield
    FAIL_ON.clear()


def _days(first: int, last: int, month: int = 1) -> list[str]:
    return [f"2024-{month:02d}-{d:02d}" for d in range(first, last + 1)]


def _materialized(instance: Any, key: str) -> Counter[str]:
    records = instance.get_event_records(
        EventRecordsFilter(event_type=EventType.ASSET_MATERIALIZATION, asset_key=hw.AssetKey(key))
    )
    return Counter(r.event_log_entry.partition for r in records)


# -- planning ------------------------------------------------------------------------------------
def test_plan_runs_daily_partitions_before_the_monthly_rollup_and_the_report() -> None:
    requests = plan_backfill(DEFS, "*", partition_key_range=JANUARY)
    described = [r.describe() for r in requests]
    assert described[:2] == [
        "events, daily_counts [2024-01-01]",
        "events, daily_counts [2024-01-02]",
    ]
    assert described[30] == "events, daily_counts [2024-01-31]"
    assert described[31:] == ["monthly_counts [2024-01-01]", "report"]
    assert requests[31].depends_on == tuple(range(31))  # the month needs each of its days
    assert requests[32].depends_on == (31,)


def test_downstream_partitions_follow_the_mapping_from_the_given_days() -> None:
    requests = plan_backfill(DEFS, "*", partition_keys=["2024-01-31", "2024-02-01"])
    months = [
        r.partition_keys for r in requests if r.asset_keys == (hw.AssetKey("monthly_counts"),)
    ]
    assert months == [("2024-01-01",), ("2024-02-01",)]
    assert requests[2].depends_on == (0,) and requests[3].depends_on == (1,)


def test_single_run_policy_gets_one_run_with_a_range() -> None:
    @hw.asset(partitions_def=daily, backfill_policy=BackfillPolicy.single_run())
    def batch(context: hw.AssetExecutionContext) -> None: ...

    (request,) = plan_backfill(hw.Definitions(assets=[batch]), "*", partition_key_range=JANUARY)
    assert request.partition_range == JANUARY
    assert request.partition_keys == tuple(_days(1, 31))


def test_multi_run_policy_chunks_consecutive_partitions_and_splits_at_gaps() -> None:
    @hw.asset(partitions_def=daily, backfill_policy=BackfillPolicy.multi_run(3))
    def weekly_batch() -> None: ...

    @hw.asset(partitions_def=daily, backfill_policy=BackfillPolicy.multi_run(2))
    def smaller(weekly_batch: None) -> None: ...

    defs = hw.Definitions(assets=[weekly_batch, smaller])
    keys = [*_days(1, 3), *_days(5, 9)]
    chunks = [r.partition_keys for r in plan_backfill(defs, "weekly_batch", partition_keys=keys)]
    assert chunks == [tuple(_days(1, 3)), tuple(_days(5, 7)), tuple(_days(8, 9))]
    together = [r.partition_keys for r in plan_backfill(defs, "*", partition_keys=keys)]
    assert together[0] == ("2024-01-01", "2024-01-02")  # the smallest limit of the group wins
    assert len(together) == 5


def test_planning_rejects_bad_partitions_naming_the_asset_and_key() -> None:
    with pytest.raises(PartitionError, match="'2023-12-31' is not a partition of asset 'events'"):
        plan_backfill(DEFS, "events", partition_keys=["2023-12-31"])
    with pytest.raises(PartitionError, match=r"'2024-01-09'\.{3}'2024-01-02' of asset 'events'"):
        plan_backfill(DEFS, "*", partition_key_range=PartitionKeyRange("2024-01-09", "2024-01-02"))
    with pytest.raises(PartitionError, match="'events' is partitioned"):
        plan_backfill(DEFS, "*")
    with pytest.raises(PartitionError, match="None of the selected assets is partitioned"):
        plan_backfill(DEFS, "report", partition_keys=["2024-01-01"])
    with pytest.raises(PartitionError, match="only one of"):
        plan_backfill(DEFS, "*", partition_keys=["2024-01-01"], all_partitions=True)
    with pytest.raises(InvalidSelectionError):
        plan_backfill(DEFS, "nope")
    with pytest.raises(DefinitionError, match="positive integer"):
        BackfillPolicy.multi_run(0)


def test_all_partitions_of_a_static_definition() -> None:
    regions = StaticPartitionsDefinition(["eu", "us", "apac"])

    @hw.asset(partitions_def=regions)
    def sales() -> None: ...

    requests = plan_backfill(hw.Definitions(assets=[sales]), "*", all_partitions=True)
    assert [r.partition_key for r in requests] == ["eu", "us", "apac"]


# -- execution -----------------------------------------------------------------------------------
def test_backfill_materializes_every_partition_once_and_completes(instance: Any) -> None:
    backfill = launch_backfill(
        DEFS, "*", instance=instance, partition_key_range=JANUARY, tags={"team": "data"}
    )
    assert instance.get_backfill(backfill.backfill_id).status is BulkActionStatus.REQUESTED
    done = execute_backfill(DEFS, backfill.backfill_id, instance)
    assert done.status is BulkActionStatus.COMPLETED_SUCCESS
    assert _materialized(instance, "daily_counts") == Counter(_days(1, 31))
    assert _materialized(instance, "monthly_counts") == Counter(["2024-01-01"])
    assert _materialized(instance, "report") == Counter([None])
    runs = instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill.backfill_id}))
    assert len(runs) == 33 and all(r.tags["team"] == "data" for r in runs)
    statuses = backfill_partition_status(instance, done)
    assert statuses == dict.fromkeys(_days(1, 31), BackfillPartitionStatus.SUCCEEDED)


def test_failed_partition_fails_the_backfill_but_not_the_other_partitions(instance: Any) -> None:
    FAIL_ON.add("2024-01-03")
    rng = PartitionKeyRange("2024-01-01", "2024-02-02")
    backfill = launch_backfill(DEFS, "*", instance=instance, partition_key_range=rng)
    done = execute_backfill(DEFS, backfill.backfill_id, instance)
    assert done.status is BulkActionStatus.COMPLETED_FAILED
    days = [*_days(1, 31), *_days(1, 2, month=2)]
    assert _materialized(instance, "events") == Counter(k for k in days if k != "2024-01-03")
    assert _materialized(instance, "monthly_counts") == Counter()  # January's day 3 failed ...
    by_run = {s.request.describe(): s.status for s in backfill_run_statuses(instance, done)}
    assert by_run["monthly_counts [2024-01-01]"] is BackfillPartitionStatus.SKIPPED
    assert by_run["monthly_counts [2024-02-01]"] is BackfillPartitionStatus.FAILED  # ... Feb 3+
    assert by_run["report"] is BackfillPartitionStatus.SKIPPED
    statuses = backfill_partition_status(instance, done)
    assert statuses["2024-01-03"] is BackfillPartitionStatus.FAILED
    assert statuses["2024-01-04"] is BackfillPartitionStatus.SUCCEEDED
    assert statuses["2024-01-01"] is BackfillPartitionStatus.SKIPPED  # the skipped month


def test_resume_after_a_crash_runs_only_what_did_not_succeed(instance: Any) -> None:
    backfill = launch_backfill(DEFS, "*", instance=instance, partition_key_range=JANUARY)
    finished_runs = 0

    def crash_after_five_runs(event: Any) -> None:
        nonlocal finished_runs
        if event.event_type is EventType.RUN_SUCCESS:
            finished_runs += 1
            if finished_runs == 5:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute_backfill(DEFS, backfill.backfill_id, instance, listeners=[crash_after_five_runs])
    assert instance.get_backfill(backfill.backfill_id).status is BulkActionStatus.REQUESTED
    assert _materialized(instance, "daily_counts") == Counter(_days(1, 5))
    ran: list[int] = []
    done = resume_backfill(
        DEFS, backfill.backfill_id, instance, on_run_start=lambda i, request: ran.append(i)
    )
    assert done.status is BulkActionStatus.COMPLETED_SUCCESS
    assert ran == list(range(5, 33))
    assert _materialized(instance, "events") == Counter(_days(1, 31))  # each exactly once
    assert _materialized(instance, "daily_counts") == Counter(_days(1, 31))


def test_resume_retries_failed_partitions_once_fixed(instance: Any) -> None:
    FAIL_ON.add("2024-01-02")
    backfill = launch_backfill(DEFS, "*", instance=instance, partition_key_range=JANUARY)
    assert execute_backfill(DEFS, backfill.backfill_id, instance).status is (
        BulkActionStatus.COMPLETED_FAILED
    )
    FAIL_ON.clear()
    ran: list[str] = []
    done = resume_backfill(
        DEFS, backfill.backfill_id, instance, on_run_start=lambda i, r: ran.append(r.describe())
    )
    assert done.status is BulkActionStatus.COMPLETED_SUCCESS
    assert ran == ["events, daily_counts [2024-01-02]", "monthly_counts [2024-01-01]", "report"]
    assert _materialized(instance, "events") == Counter(_days(1, 31))


def test_cancel_during_a_run_stops_the_backfill_after_that_run(instance: Any) -> None:
    backfill = launch_backfill(DEFS, "*", instance=instance, partition_key_range=JANUARY)
    seen: list[BulkActionStatus] = []

    def cancel_while_running(event: Any) -> None:
        if event.event_type is EventType.STEP_START and event.step_key == "events" and not seen:
            run = instance.get_run_by_id(event.run_id)
            if run.tags.get("headwater/partition") == "2024-01-02":
                seen.append(cancel_backfill(instance, backfill.backfill_id).status)

    done = execute_backfill(DEFS, backfill.backfill_id, instance, listeners=[cancel_while_running])
    assert seen == [BulkActionStatus.CANCELING]
    assert done.status is BulkActionStatus.CANCELED
    assert _materialized(instance, "daily_counts") == Counter(_days(1, 2))


def test_cancel_between_runs_is_immediate_and_resume_finishes(instance: Any) -> None:
    backfill = launch_backfill(DEFS, "events", instance=instance, partition_keys=_days(1, 4))
    assert cancel_backfill(instance, backfill.backfill_id).status is BulkActionStatus.CANCELED
    assert execute_backfill(DEFS, backfill.backfill_id, instance).status is (
        BulkActionStatus.CANCELED
    )
    assert instance.get_runs() == []
    done = resume_backfill(DEFS, backfill.backfill_id, instance)
    assert done.status is BulkActionStatus.COMPLETED_SUCCESS
    assert _materialized(instance, "events") == Counter(_days(1, 4))
    assert cancel_backfill(instance, backfill.backfill_id).status is (
        BulkActionStatus.COMPLETED_SUCCESS
    )


def test_unknown_backfill_id_is_a_clear_error(instance: Any) -> None:
    with pytest.raises(BackfillNotFoundError, match=r"'nope'.*headwater backfill list"):
        execute_backfill(DEFS, "nope", instance)
    with pytest.raises(BackfillNotFoundError):
        cancel_backfill(instance, "nope")


def test_backfill_listing_newest_first(instance: Any) -> None:
    first = launch_backfill(DEFS, "events", instance=instance, partition_keys=["2024-01-01"])
    second = launch_backfill(DEFS, "events", instance=instance, all_partitions=True)
    assert [b.backfill_id for b in instance.get_backfills()] == [
        second.backfill_id,
        first.backfill_id,
    ]
    assert len(first.backfill_id) == 8 and first.backfill_id.isalpha()
    assert second.num_partitions == 60


def test_compact_ranges() -> None:
    keys = _days(1, 6)
    chosen = dict.fromkeys(keys, "ok") | {"2024-01-03": "bad"}
    assert compact_ranges(keys, chosen, "ok") == [
        "2024-01-01...2024-01-02",
        "2024-01-04...2024-01-06",
    ]
    assert compact_ranges(keys, chosen, "bad") == ["2024-01-03"]


def test_single_run_backfill_is_one_range_run_and_every_partition_reports_it(
    instance: Any,
) -> None:
    @hw.asset(partitions_def=daily, backfill_policy=BackfillPolicy.single_run())
    def batch(context: hw.AssetExecutionContext) -> dict[str, int]:
        return dict.fromkeys(context.partition_keys, 1)

    defs = hw.Definitions(assets=[batch])
    backfill = launch_backfill(defs, "*", instance=instance, partition_key_range=JANUARY)
    assert execute_backfill(defs, backfill.backfill_id, instance).status is (
        BulkActionStatus.COMPLETED_SUCCESS
    )
    (run,) = instance.get_runs()
    assert run.tags["headwater/asset_partition_range_end"] == "2024-01-31"
    assert set(backfill_partition_status(instance, backfill).values()) == {
        BackfillPartitionStatus.SUCCEEDED
    }
    assert _materialized(instance, "batch") == Counter(_days(1, 31))
    resume_backfill(defs, backfill.backfill_id, instance)
    assert len(instance.get_runs()) == 1  # the range run is recognised: nothing re-runs


def test_dynamic_partitions_are_read_from_the_instance(instance: Any) -> None:
    from headwater.declarations.partitions.dynamic import DynamicPartitionsDefinition

    customers = DynamicPartitionsDefinition(name="customers")

    @hw.asset(partitions_def=customers)
    def invoices(context: hw.AssetExecutionContext) -> str:
        return context.partition_key

    instance.add_dynamic_partitions("customers", ["acme", "globex"])
    defs = hw.Definitions(assets=[invoices])
    backfill = launch_backfill(defs, "*", instance=instance, all_partitions=True)
    assert [r.partition_key for r in backfill.run_requests] == ["acme", "globex"]
    assert execute_backfill(defs, backfill.backfill_id, instance).status is (
        BulkActionStatus.COMPLETED_SUCCESS
    )
    with pytest.raises(PartitionError, match="'initech' is not a partition of asset 'invoices'"):
        launch_backfill(defs, "*", instance=instance, partition_keys=["initech"])


def test_a_run_that_cannot_start_fails_the_backfill_with_the_reason(instance: Any) -> None:
    from headwater.declarations.partitions.dynamic import DynamicPartitionsDefinition

    @hw.asset(partitions_def=DynamicPartitionsDefinition(name="files"))
    def parsed(context: hw.AssetExecutionContext) -> str:
        return context.partition_key

    instance.add_dynamic_partitions("files", ["a.csv", "b.csv"])
    defs = hw.Definitions(assets=[parsed])
    backfill = launch_backfill(defs, "*", instance=instance, all_partitions=True)
    instance.delete_dynamic_partition("files", "b.csv")
    with pytest.raises(PartitionError, match=r"b\.csv"):
        execute_backfill(defs, backfill.backfill_id, instance)
    stored = instance.get_backfill(backfill.backfill_id)
    assert stored.status is BulkActionStatus.FAILED
    assert "The run of parsed [b.csv] could not start" in stored.error
    assert _materialized(instance, "parsed") == Counter(["a.csv"])
