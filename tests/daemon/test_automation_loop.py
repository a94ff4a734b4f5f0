"""The automation loop on a real code server and real SQLite; and in a real daemon process."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from daemon_helpers import Daemons, wait_for
from location_helpers import served_location

import headwater as hw
from headwater import Instance
from headwater.daemon.automation import AUTOMATION_SENSOR_TAG, AutomationLoop
from headwater.orchestration.workspace_manager import WorkspaceManager
from headwater.storage.instigator_records import (
    InstigatorId,
    InstigatorStatus,
    InstigatorType,
    TickStatus,
)
from headwater.storage.records import RunStatus

DEFS = """
from headwater import AutomationCondition, Definitions, asset

@asset
def raw() -> int:
    return 1

@asset(deps=[raw], automation_condition=AutomationCondition.eager())
def cleaned() -> int:
    return 2

defs = Definitions(assets=[raw, cleaned])
"""

DEFAULT = InstigatorId(instigator_type=InstigatorType.SENSOR, location_name="defs",
                       name="default_automation_condition_sensor")  # fmt: skip


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[Instance]:
    home = tmp_path / "home"
    home.mkdir()
    with Instance.from_path(home) as instance:
        yield instance


@pytest.fixture
def manager(tmp_path: Path, instance: Instance) -> Iterator[WorkspaceManager]:
    with served_location(tmp_path / "project", DEFS, instance_home=instance.root_directory) as m:
        yield m


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_default_sensor_requests_an_eager_asset_after_its_upstream_updates(
    instance: Instance, manager: WorkspaceManager
) -> None:
    clock = Clock(1_800_000_000.0)
    loop = AutomationLoop(instance, manager, clock=clock)
    loop.run_once()
    (first,) = instance.storage.get_ticks(DEFAULT)
    assert first.status is TickStatus.SKIPPED
    instance.report_runless_asset_event(hw.AssetMaterialization(asset_key="raw"))
    clock.now += 10
    loop.run_once()  # not due yet: 30 s between ticks
    assert len(instance.storage.get_ticks(DEFAULT)) == 1
    clock.now += 21
    loop.run_once()
    second = instance.storage.get_ticks(DEFAULT)[0]
    assert second.status is TickStatus.SUCCESS, second.error
    (run,) = [instance.get_run_by_id(i) for i in second.run_ids]
    assert run is not None and run.status is RunStatus.QUEUED
    assert run.asset_selection == frozenset({hw.AssetKey("cleaned")})
    assert run.tags[AUTOMATION_SENSOR_TAG] == "default_automation_condition_sensor"
    (evaluation,) = instance.storage.get_condition_evaluations(hw.AssetKey("cleaned"), limit=1)
    assert evaluation.body["run_ids"] == [run.run_id]
    assert evaluation.sensor_name == "defs:default_automation_condition_sensor"
    state = instance.storage.get_instigator_state(DEFAULT)
    assert state is not None and state.cursor and state.last_tick_timestamp == clock.now


def test_a_stopped_automation_sensor_does_not_tick(
    instance: Instance, manager: WorkspaceManager
) -> None:
    instance.storage.update_instigator_state(DEFAULT, status=InstigatorStatus.STOPPED)
    AutomationLoop(instance, manager).run_once()
    assert instance.storage.get_ticks(DEFAULT) == []


def test_a_tick_evaluated_again_after_a_crash_launches_nothing_twice(
    instance: Instance, manager: WorkspaceManager
) -> None:
    clock = Clock(1_800_000_000.0)
    loop = AutomationLoop(instance, manager, clock=clock)
    loop.run_once()
    instance.report_runless_asset_event(hw.AssetMaterialization(asset_key="raw"))
    state = instance.storage.get_instigator_state(DEFAULT)
    assert state is not None
    clock.now += 31
    first = loop.tick(manager.client("defs"), "defs", DEFAULT.name, state, clock.now)
    # as if the daemon died before saving the cursor: the same tick from the same cursor
    again = loop.tick(manager.client("defs"), "defs", DEFAULT.name, state, clock.now + 1)
    # the queued run is in progress for the condition, and its run key is claimed anyway
    assert first.run_ids and again.run_ids in ((), first.run_ids)
    assert [r.run_id for r in instance.get_runs()] == list(first.run_ids)


AUTOMATION_YAML = """
daemon: {heartbeat_interval_seconds: 1, heartbeat_tolerance_seconds: 5,
         automation_interval_seconds: 1}
run_queue: {dequeue_interval_seconds: 0.2}
run_monitoring: {heartbeat_interval_seconds: 1, start_timeout_seconds: 30}
"""


@pytest.mark.slow
def test_a_daemon_process_starts_the_run_of_an_eager_asset(
    daemons: Daemons, home: Path, tmp_path: Path
) -> None:
    (home / "headwater.yaml").write_text(AUTOMATION_YAML, encoding="utf-8")
    (tmp_path / "defs.py").write_text(DEFS, encoding="utf-8")
    process = daemons.start("-f", str(tmp_path / "defs.py"), cwd=tmp_path)
    with Instance.from_path(home) as instance:

        def first_tick_done() -> bool:
            ticks = instance.storage.get_ticks(DEFAULT, statuses=[TickStatus.SKIPPED])
            return bool(ticks)

        wait_for(first_tick_done, timeout=120, what="the first automation tick")
        instance.report_runless_asset_event(hw.AssetMaterialization(asset_key="raw"))

        def started() -> object:
            runs = [r for r in instance.get_runs()
                    if r.asset_selection == frozenset({hw.AssetKey("cleaned")})]  # fmt: skip
            done = (RunStatus.STARTED, RunStatus.SUCCESS)
            return runs and runs[0].status in done and runs[0]

        run = wait_for(started, timeout=120, what="the run of cleaned to start")
        wait_for(lambda: instance.get_run_by_id(run.run_id).status is RunStatus.SUCCESS,  # type: ignore
                 timeout=120, what="the run to succeed")  # fmt: skip
        assert instance.get_latest_materialization_event(hw.AssetKey("cleaned")) is not None
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0, daemons.log(process)


def test_evaluations_older_than_a_week_are_deleted(
    instance: Instance, manager: WorkspaceManager
) -> None:
    clock = Clock(1_800_000_000.0)
    AutomationLoop(instance, manager, clock=clock).run_once()
    assert instance.storage.get_condition_evaluations(hw.AssetKey("cleaned"))
    clock.now += 8 * 24 * 3600
    loop = AutomationLoop(instance, manager, clock=clock)
    instance.storage.update_instigator_state(DEFAULT, status=InstigatorStatus.STOPPED)
    loop.run_once()
    assert instance.storage.get_condition_evaluations(hw.AssetKey("cleaned")) == []


MULTI = """
from headwater import AssetSpec, AutomationCondition, Definitions, asset, multi_asset

@asset
def raw() -> int:
    return 1

@multi_asset(specs=[AssetSpec("a", deps=[raw], automation_condition=AutomationCondition.eager()),
                    AssetSpec("b", deps=[raw])])
def together() -> None:
    return None

defs = Definitions(assets=[raw, together])
"""


def test_a_multi_asset_that_cannot_be_subset_runs_whole(instance: Instance, tmp_path: Path) -> None:
    home = instance.root_directory
    with served_location(tmp_path / "multi", MULTI, instance_home=home) as manager:
        clock = Clock(1_800_000_000.0)
        loop = AutomationLoop(instance, manager, clock=clock)
        loop.run_once()
        instance.report_runless_asset_event(hw.AssetMaterialization(asset_key="raw"))
        clock.now += 31
        loop.run_once()
        tick = instance.storage.get_ticks(DEFAULT)[0]
        assert tick.status is TickStatus.SUCCESS, tick.error
        (run,) = [instance.get_run_by_id(i) for i in tick.run_ids]
        assert run is not None
        assert run.asset_selection == frozenset({hw.AssetKey("a"), hw.AssetKey("b")})


DECLARED = DEFS.replace(
    "defs = Definitions(assets=[raw, cleaned])",
    "from headwater import AssetSelection, AutomationConditionSensorDefinition\n"
    "default = AutomationConditionSensorDefinition('default_automation_condition_sensor',\n"
    "                                              target=AssetSelection.all())\n"
    "defs = Definitions(assets=[raw, cleaned], sensors=[default])",
)


def test_a_declared_default_sensor_replaces_the_built_in_one_and_starts_stopped(
    instance: Instance, tmp_path: Path
) -> None:
    home = instance.root_directory
    with served_location(tmp_path / "declared", DECLARED, instance_home=home) as manager:
        loop = AutomationLoop(instance, manager)
        snapshot = manager.client("defs").snapshot()
        assert [(n, s) for n, s, _ in loop.sensors(snapshot)] == [
            ("default_automation_condition_sensor", "STOPPED")
        ]
        loop.run_once()
        assert instance.storage.get_ticks(DEFAULT) == []
        instance.storage.update_instigator_state(DEFAULT, status=InstigatorStatus.RUNNING)
        loop.run_once()
        assert [t.status for t in instance.storage.get_ticks(DEFAULT)] == [TickStatus.SKIPPED]
