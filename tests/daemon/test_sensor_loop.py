"""The sensor loop on real code servers and real SQLite."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from location_helpers import served_location

from headwater import AssetCheckKey, AssetKey, Instance, asset, materialize
from headwater.daemon.sensors import SensorLoop
from headwater.orchestration.run_tags import RUN_KEY_TAG, SENSOR_NAME_TAG
from headwater.orchestration.workspace_manager import WorkspaceManager
from headwater.storage.instigator_records import (
    InstigatorId,
    InstigatorStatus,
    InstigatorType,
    TickStatus,
)
from headwater.storage.records import RunStatus

DEFS = """
import time
from pathlib import Path
from headwater import (AddDynamicPartitionsRequest, AssetCheckEvaluation, AssetKey,
                       AssetMaterialization, DefaultSensorStatus,
                       Definitions, DynamicPartitionsDefinition, RunRequest, SensorResult,
                       SkipReason, asset, asset_sensor, define_asset_job, run_failure_sensor,
                       sensor)

INBOX = Path(__file__).parent / "inbox"
customers = DynamicPartitionsDefinition(name="customers")

@asset
def one() -> int:
    return 1

one_job = define_asset_job("one_job", selection=[one])

@sensor(job=one_job, minimum_interval_seconds=1, default_status=DefaultSensorStatus.RUNNING)
def new_files(context):
    names = sorted(p.name for p in INBOX.glob("*.csv"))
    if not names:
        return SkipReason("the inbox is empty")
    context.update_cursor(str(len(names)))
    return [RunRequest(run_key=name, tags={"file": name}) for name in names]

@sensor(job=one_job, minimum_interval_seconds=1)
def raises(context):
    raise ValueError("the inbox is unreadable")

@sensor(job=one_job, minimum_interval_seconds=1)
def bad_return(context):
    return 42

@sensor(job=one_job, minimum_interval_seconds=1)
def hangs(context):
    time.sleep(60)

@sensor(minimum_interval_seconds=1)
def partitions(context):
    return SensorResult(
        dynamic_partitions_requests=[AddDynamicPartitionsRequest("customers", ["acme", "zen"])],
        asset_events=[AssetMaterialization("external_table", metadata={"rows": 3}),
                      AssetCheckEvaluation(asset_key=AssetKey("external_table"),
                                           check_name="not_empty", passed=False)],
        cursor="reported",
    )

@run_failure_sensor(request_job=one_job, monitor_all_code_locations=True,
                    minimum_interval_seconds=1)
def after_failures(context):
    return RunRequest(run_key=f"after-{context.dagster_run.run_id}",
                      tags={"failed_run": context.dagster_run.run_id})

@asset_sensor(asset_key="upstream", job=one_job, minimum_interval_seconds=1)
def on_upstream(context, asset_event):
    return RunRequest(run_key=f"upstream-{asset_event.run_id}",
                      tags={"upstream_run": asset_event.run_id})

defs = Definitions(assets=[one], jobs=[one_job],
                   sensors=[new_files, raises, bad_return, hangs, partitions, after_failures,
                            on_upstream])
"""


def _id(name: str) -> InstigatorId:
    return InstigatorId(instigator_type=InstigatorType.SENSOR, location_name="defs", name=name)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("project")


@pytest.fixture(scope="module")
def manager(project: Path) -> Iterator[WorkspaceManager]:
    (project / "inbox").mkdir()
    with served_location(project, DEFS) as manager:
        yield manager


@pytest.fixture
def inbox(project: Path, manager: WorkspaceManager) -> Iterator[Path]:
    folder = project / "inbox"
    yield folder
    for path in folder.iterdir():
        path.unlink()


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_text("daemon: {sensor_timeout_seconds: 3}\n")
    with Instance.from_path(home) as instance:
        yield instance


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(1_800_000_000.0)


@pytest.fixture
def loop(instance: Instance, manager: WorkspaceManager, clock: Clock) -> Iterator[SensorLoop]:
    loop = SensorLoop(instance, manager, clock=clock, wait=True)
    yield loop
    loop.close()


def _sensor_runs(instance: Instance, name: str) -> list:
    return [r for r in instance.get_runs() if r.tags.get(SENSOR_NAME_TAG) == name]


def _start(instance: Instance, name: str) -> None:
    instance.storage.update_instigator_state(_id(name), status=InstigatorStatus.RUNNING)


def _tick(loop: SensorLoop, clock: Clock, seconds: float = 1.0) -> None:
    clock.now += seconds
    loop._next_due = -float("inf")
    loop.run_once()


def test_each_run_key_launches_one_run_and_the_cursor_is_saved(
    loop: SensorLoop, instance: Instance, inbox: Path, clock: Clock
) -> None:
    loop.run_once()
    (empty,) = instance.storage.get_ticks(_id("new_files"))
    assert (empty.status, empty.skip_reason) == (TickStatus.SKIPPED, "the inbox is empty")
    (inbox / "a.csv").write_text("1")
    _tick(loop, clock)
    (run,) = _sensor_runs(instance, "new_files")
    assert run.status is RunStatus.QUEUED and run.tags[RUN_KEY_TAG] == "a.csv"
    assert run.tags["file"] == "a.csv" and run.job_name == "one_job"
    (inbox / "b.csv").write_text("2")
    _tick(loop, clock)
    assert sorted(r.tags["file"] for r in _sensor_runs(instance, "new_files")) == ["a.csv", "b.csv"]
    latest = instance.storage.get_ticks(_id("new_files"))[0]
    assert latest.status is TickStatus.SUCCESS and latest.run_keys == ("a.csv", "b.csv")
    assert len(latest.run_ids) == 1 and latest.extra["run_keys_launched_before"] == ["a.csv"]
    assert (latest.cursor_before, latest.cursor_after) == ("1", "2")
    _tick(loop, clock)  # nothing new: every key launched before
    again = instance.storage.get_ticks(_id("new_files"))[0]
    assert again.status is TickStatus.SKIPPED and "launched before" in (again.skip_reason or "")
    assert len(_sensor_runs(instance, "new_files")) == 2
    state = instance.storage.get_instigator_state(_id("new_files"))
    assert state is not None and state.cursor == "2"


def test_a_sensor_is_not_evaluated_before_its_interval(
    loop: SensorLoop, instance: Instance, inbox: Path, clock: Clock
) -> None:
    loop.run_once()
    _tick(loop, clock, 0.5)
    assert len(instance.storage.get_ticks(_id("new_files"))) == 1
    _tick(loop, clock, 0.5)
    assert len(instance.storage.get_ticks(_id("new_files"))) == 2


def test_a_sensor_that_raises_fails_its_tick_and_keeps_its_cursor(
    loop: SensorLoop, instance: Instance, inbox: Path, clock: Clock
) -> None:
    instance.storage.update_instigator_state(
        _id("raises"), status=InstigatorStatus.RUNNING, cursor="c0"
    )
    _start(instance, "bad_return")
    loop.run_once()
    _tick(loop, clock)
    first, second = instance.storage.get_ticks(_id("raises"))[::-1]
    for tick in (first, second):  # the next tick ran again
        assert tick.status is TickStatus.FAILURE and tick.cursor_after == "c0"
        assert tick.error is not None and "ValueError: the inbox is unreadable" in tick.error
        assert 'raise ValueError("the inbox is unreadable")' in tick.error
    state = instance.storage.get_instigator_state(_id("raises"))
    assert state is not None and state.cursor == "c0"
    bad = instance.storage.get_ticks(_id("bad_return"))[0]
    assert bad.status is TickStatus.FAILURE and bad.error is not None
    assert "returned 42 (a int)" in bad.error and "RunRequest, SkipReason or a SensorResult" in (
        bad.error
    )


def test_sensor_result_adds_partitions_and_reports_asset_events(
    loop: SensorLoop, instance: Instance, inbox: Path
) -> None:
    _start(instance, "partitions")
    loop.run_once()
    (tick,) = instance.storage.get_ticks(_id("partitions"))
    assert tick.status is TickStatus.SUCCESS and tick.cursor_after == "reported"
    assert instance.get_dynamic_partitions("customers") == ["acme", "zen"]
    event = instance.get_latest_materialization_event(AssetKey("external_table"))
    assert event is not None and event.run_id == ""
    check = instance.get_latest_asset_check_evaluation(
        AssetCheckKey(AssetKey("external_table"), "not_empty")
    )
    assert check is not None and check.passed is False
    assert tick.extra["asset_events"] == ["external_table", "external_table:not_empty"]


def test_a_run_failure_sensor_handles_every_failed_run_once(
    loop: SensorLoop, instance: Instance, inbox: Path, clock: Clock
) -> None:
    @asset
    def fragile() -> int:
        raise RuntimeError("flaky")

    materialize([fragile], instance=instance, raise_on_error=False)  # before the sensor ran
    _start(instance, "after_failures")
    loop.run_once()  # the first tick starts after the failures already there
    assert _sensor_runs(instance, "after_failures") == []
    failed = [materialize([fragile], instance=instance, raise_on_error=False).run_id
              for _ in range(3)]  # fmt: skip
    _tick(loop, clock)
    runs = _sensor_runs(instance, "after_failures")
    assert sorted(r.tags["failed_run"] for r in runs) == sorted(failed)
    _tick(loop, clock)
    assert len(_sensor_runs(instance, "after_failures")) == 3
    latest = instance.storage.get_ticks(_id("after_failures"))[0]
    assert latest.status is TickStatus.SKIPPED


def test_a_hanging_sensor_does_not_hold_up_the_others(
    instance: Instance, manager: WorkspaceManager, inbox: Path
) -> None:
    _start(instance, "hangs")
    loop = SensorLoop(instance, manager)  # real clock, evaluations in the background
    try:
        deadline = time.monotonic() + 5.5
        while time.monotonic() < deadline:
            loop.run_once()
            time.sleep(0.05)
        ticks = instance.storage.get_ticks(_id("new_files"))
        assert len(ticks) >= 4 and all(t.status is TickStatus.SKIPPED for t in ticks)
        hung = instance.storage.get_ticks(_id("hangs"))
        assert hung[-1].status is TickStatus.FAILURE
        assert hung[-1].error is not None and "no answer within 3 s" in hung[-1].error
    finally:
        loop.close()


def test_an_asset_sensor_requests_a_run_per_new_materialization(
    loop: SensorLoop, instance: Instance, inbox: Path, clock: Clock
) -> None:
    @asset
    def upstream() -> int:
        return 1

    _start(instance, "on_upstream")
    loop.run_once()
    assert instance.storage.get_ticks(_id("on_upstream"))[0].status is TickStatus.SKIPPED
    first = materialize([upstream], instance=instance).run_id
    _tick(loop, clock)
    second = materialize([upstream], instance=instance).run_id
    _tick(loop, clock)
    _tick(loop, clock)
    runs = _sensor_runs(instance, "on_upstream")
    assert sorted(r.tags["upstream_run"] for r in runs) == sorted([first, second])
