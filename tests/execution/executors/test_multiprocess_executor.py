"""The multiprocess executor: real worker processes, a real SQLite instance, no mocks."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import executor_jobs as jobs
import pytest

import headwater as hw
from headwater.events.types import EventType

STEP_EVENTS_COMPARED = frozenset(EventType) - {EventType.ENGINE_EVENT, EventType.LOGS_CAPTURED}


def run(factory: Any, instance: Any, **kwargs: Any) -> Any:
    return hw.execute_job(hw.reconstructable(factory), instance=instance, **kwargs)


def events_by_step(events: Iterable[Any]) -> dict[str | None, list[tuple[str, str | None]]]:
    """Event types (and asset keys) per step, in order; engine and capture events left out."""
    out: dict[str | None, list[tuple[str, str | None]]] = {}
    for event in events:
        if event.event_type in STEP_EVENTS_COMPARED:
            key = event.asset_key.to_user_string() if event.asset_key else None
            out.setdefault(event.step_key, []).append((event.event_type.value, key))
    return out


def data_versions(result: Any) -> dict[str, str]:
    return {
        e.asset_key.to_user_string(): e.data["data_version"]
        for e in result.get_asset_materialization_events()
    }


def wait_gone(pids: Iterable[int], timeout: float = 10.0) -> list[int]:
    """The pids among ``pids`` still alive after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if _alive(pid)]
        if alive:
            time.sleep(0.05)
    return alive


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def worker_pids(result: Any) -> set[int]:
    return {int(v) for v in (result.output_for_node(k) for k in _pid_steps(result))}


def _pid_steps(result: Any) -> list[str]:
    return [e.step_key for e in result.get_step_success_events()
            if e.step_key.startswith(("sleeper", "survivor"))]  # fmt: skip


def test_a_chain_of_20_assets_gives_the_events_outputs_and_versions_of_an_in_process_run(
    instance: Any,
) -> None:
    here = jobs.chain_job().execute_in_process(instance=instance)
    there = run(jobs.chain_job, instance)

    assert there.success and here.success
    assert there.output_for_node("c19") == here.output_for_node("c19") == 1 + sum(range(20))
    assert events_by_step(there.all_events) == events_by_step(here.all_events)
    assert data_versions(there) == data_versions(here)
    stored = [e.event_type for e in instance.all_logs(there.run_id)]
    assert stored.count(EventType.STEP_SUCCESS) == 20
    assert instance.get_run_by_id(there.run_id).status is hw.RunStatus.SUCCESS


def test_a_fan_out_gives_the_events_and_outputs_of_an_in_process_run(instance: Any) -> None:
    here = jobs.fan_job().execute_in_process(instance=instance)
    with run(jobs.fan_job, instance) as there:
        assert there.success
        assert there.output_for_node("joined") == here.output_for_node("joined") == 6 * 15
        assert there.asset_value("branch3") == 18
    assert events_by_step(there.all_events) == events_by_step(here.all_events)
    # Each step's events are contiguous in the log: a step's batch is committed as a whole.
    order = [e.step_key for e in instance.all_logs(there.run_id)
             if e.step_key and e.event_type is not EventType.STEP_START]  # fmt: skip
    assert all(order.index(k) + order.count(k) - 1 == _last(order, k) for k in set(order))


def _last(items: list[Any], item: Any) -> int:
    return len(items) - 1 - items[::-1].index(item)


def test_execute_in_process_of_a_multiprocess_job_runs_every_step_in_this_process(
    instance: Any,
) -> None:
    result = jobs.sleepers_job().execute_in_process(
        instance=instance, asset_selection=[jobs.SLEEPERS[0].key]
    )
    assert result.output_for_node("sleeper0") == os.getpid()


def test_independent_steps_run_two_at_a_time_with_max_concurrent_2(instance: Any) -> None:
    result = run(jobs.sleepers_job, instance)

    assert result.success
    one = jobs.SLEEP_SECONDS
    spans = _spans(result)
    assert _most_at_once(spans) == 2
    steps_wall = max(end for _, end in spans.values()) - min(s for s, _ in spans.values())
    # About 2x one step; one after another would take at least 4x.
    assert 1.9 * one <= steps_wall < 3.6 * one, steps_wall
    assert len(worker_pids(result)) == 2


def test_tag_concurrency_limits_hold_one_step_per_tag_value(instance: Any) -> None:
    result = run(jobs.one_sleeper_per_lane_job, instance)

    assert result.success
    spans = _spans(result)
    assert _most_at_once(spans) == 2  # max_concurrent is 4, but there are two lanes
    for lane in ("0", "1"):
        same = [spans[k] for k in spans if int(k[-1]) % 2 == int(lane)]
        (_, first_end), (second_start, _) = sorted(same)
        assert second_start >= first_end - 0.01  # never two sleepers of one lane at once


def _spans(result: Any) -> dict[str, tuple[float, float]]:
    starts = {e.step_key: e.timestamp for e in result.filter_events(EventType.STEP_START)}
    ends = {e.step_key: e.timestamp for e in result.get_step_success_events()}
    return {k: (starts[k], ends[k]) for k in ends}


def _most_at_once(spans: dict[str, tuple[float, float]]) -> int:
    points = sorted([(s, 1) for s, _ in spans.values()] + [(e, -1) for _, e in spans.values()])
    most = current = 0
    for _, delta in points:
        current += delta
        most = max(most, current)
    return most


def test_a_worker_killed_by_sigkill_fails_only_its_step_and_is_replaced(instance: Any) -> None:
    result = run(jobs.crashes_job, instance)

    assert not result.success
    (failure,) = result.get_step_failure_events()
    assert failure.step_key == "killed"
    assert "SIGKILL" in failure.message and failure.data["signal"] == "SIGKILL"
    assert failure.data["exit_code"] == -9
    assert result.get_skipped_step_keys() == {"after_killed"}
    survivors = {f"survivor{i}" for i in range(4)}
    assert {e.step_key for e in result.get_step_success_events()} == survivors
    (replaced,) = [e for e in result.filter_events(EventType.ENGINE_EVENT)
                   if "replacement_pid" in e.data]  # fmt: skip
    assert replaced.data["pool_size"] == 2
    assert replaced.data["worker_pid"] == failure.data["worker_pid"]
    assert replaced.data["replacement_pid"] in worker_pids(result)  # the new worker took steps
    stored = instance.get_run_by_id(result.run_id)
    assert stored.status is hw.RunStatus.FAILURE
    assert wait_gone([replaced.data["replacement_pid"], *worker_pids(result)]) == []


def test_the_pool_slot_of_a_step_whose_worker_died_is_given_back(instance: Any) -> None:
    instance.set_concurrency_limit("warehouse", 1)
    result = run(jobs.crash_in_pool_job, instance)

    assert result.get_failed_step_keys() == {"killed_holding_a_slot"}
    assert instance.get_concurrency_slots("warehouse") == []


def test_a_worker_that_exits_or_segfaults_fails_its_step_with_the_exit_code_or_signal(
    instance: Any,
) -> None:
    result = run(jobs.exit_and_segfault_job, instance)

    failures = {e.step_key: e for e in result.get_step_failure_events()}
    assert set(failures) == {"exits", "segfaults"}
    assert "exited with code 3" in failures["exits"].message
    assert failures["exits"].data["exit_code"] == 3
    assert "SIGSEGV" in failures["segfaults"].message
    assert {e.step_key for e in result.get_step_success_events()} == {"survivor0", "survivor1"}


def test_a_failing_step_skips_its_downstream_and_raises_the_users_error(instance: Any) -> None:
    result = run(jobs.failure_job, instance)
    (failure,) = result.get_step_failure_events()
    assert failure.step_key == "raises"
    assert failure.data["error"]["cls_name"] == "ValueError"
    assert "the data is wrong" in failure.data["error"]["traceback"]
    assert result.get_skipped_step_keys() == {"after_raises"}
    assert {e.step_key for e in result.get_step_success_events()} == {"survivor0", "survivor1"}

    with pytest.raises(ValueError, match="the data is wrong") as raised:
        run(jobs.failure_job, instance, raise_on_error=True)
    assert any("'raises'" in note for note in raised.value.__notes__)


def test_each_steps_output_and_logs_land_in_its_own_capture(
    instance: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEETING_DIR", str(tmp_path))  # workers see the run's environment
    result = run(jobs.talkers_job, instance)

    assert result.success
    assert _most_at_once(_spans(result)) == 2  # they met, so they printed at the same time
    for name in ("talker_a", "talker_b"):
        (captured,) = [e for e in result.filter_events(EventType.LOGS_CAPTURED)
                       if e.step_key == name]  # fmt: skip
        text = (instance.logs_directory / captured.data["stdout_path"]).read_text()
        assert text.splitlines() == [f"{name} prints line {n}" for n in range(3)]
        messages = {e.message for e in result.events_for_node(name)
                    if e.event_type is EventType.LOG_MESSAGE}  # fmt: skip
        assert messages == {f"{name} says hello", f"{name} warns"}


def test_workers_see_the_environment_of_the_runs_process(
    instance: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(jobs.chain_job, instance)  # the fork server is running before the variable is set
    monkeypatch.setenv("EXECUTOR_TEST_VALUE", "set after the fork server started")
    result = run(jobs.environment_job, instance)
    assert result.output_for_node("reads_environment") == "set after the fork server started"


def test_a_run_reexecuted_from_failure_runs_only_what_did_not_succeed(
    instance: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAILED_ONCE_MARKER", str(tmp_path / "failed_once"))
    first = run(jobs.second_chance_job, instance)
    assert first.get_failed_step_keys() == {"fails_the_first_time"}

    options = hw.ReexecutionOptions.from_failure(first.run_id, instance)
    with run(jobs.second_chance_job, instance, reexecution_options=options) as again:
        assert again.success
        assert {e.step_key for e in again.get_step_success_events()} == {
            "fails_the_first_time", "after_the_first_time"
        }
        assert again.output_for_node("after_the_first_time") == 12
        engine = again.filter_events(EventType.ENGINE_EVENT)
        assert any("worker process" in e.message for e in engine)
    assert instance.get_run_by_id(again.run_id).parent_run_id == first.run_id


def test_retries_happen_inside_the_worker(instance: Any) -> None:
    result = run(jobs.retries_job, instance)

    assert result.success
    flaky = [e.event_type for e in result.events_for_node("flaky")]
    assert flaky.count(EventType.STEP_UP_FOR_RETRY) == 2
    assert flaky.count(EventType.STEP_RESTARTED) == 2
    assert result.output_for_node("flaky") == 2
    asked = [e.event_type for e in result.events_for_node("asks_for_retry")]
    assert asked.count(EventType.STEP_UP_FOR_RETRY) == 1
    assert result.output_for_node("asks_for_retry") != os.getpid()


def test_a_job_of_ops_with_a_dynamic_fan_out_matches_an_in_process_run(instance: Any) -> None:
    here = jobs.dynamic_job.execute_in_process(instance=instance)
    there = run(jobs.dynamic_job, instance)

    assert there.success
    assert there.output_for_node("add") == here.output_for_node("add") == 10 + sum(
        n * n + 1 for n in range(5)
    )
    assert there.output_for_node("plus_one") == here.output_for_node("plus_one")
    assert events_by_step(there.all_events) == events_by_step(here.all_events)


def test_a_list_of_outputs_fans_in_across_worker_processes(instance: Any) -> None:
    result = run(jobs.fan_in_job, instance)

    assert result.success
    assert result.output_for_node("total") == 100 + 11 + 10
    assert result.output_for_node("add") == 131


def test_an_unproduced_optional_asset_skips_its_readers_across_processes(instance: Any) -> None:
    result = run(jobs.optional_job, instance)

    assert result.success
    made = sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events())
    assert made == ["after_made", "made"]
    skipped = result.filter_events(EventType.STEP_SKIPPED)
    assert [e.step_key for e in skipped] == ["after_not_made"]
    assert skipped[0].data["unproduced_inputs"] == ["not_made"]


def test_the_spawn_start_method_runs_the_steps_in_fresh_interpreters(instance: Any) -> None:
    result = run(jobs.spawned_job, instance)

    assert result.success
    assert result.output_for_node("branch1") == 6
    started = [e for e in result.filter_events(EventType.ENGINE_EVENT) if "up to" in e.message]
    assert "start method spawn" in started[0].message


def test_the_default_executor_is_multiprocess_for_a_reconstructable_job(instance: Any) -> None:
    result = run(jobs.default_executor_job, instance)
    assert result.success
    assert any("worker process" in e.message for e in result.filter_events(EventType.ENGINE_EVENT))


def test_a_plain_job_definition_runs_in_process(instance: Any) -> None:
    result = hw.execute_job(jobs.default_executor_job(), instance=instance)
    assert result.success
    assert not any("worker process" in e.message
                   for e in result.filter_events(EventType.ENGINE_EVENT))  # fmt: skip


def test_run_config_execution_section_configures_the_executor(instance: Any) -> None:
    result = run(jobs.pid_job, instance,
                 run_config={"execution": {"config": {"max_concurrent": 1}}})  # fmt: skip
    assert result.success
    assert result.output_for_node("constant") == 10
    started = [e for e in result.filter_events(EventType.ENGINE_EVENT) if "up to" in e.message]
    assert "up to 1 worker process" in started[0].message


def test_a_multiprocess_run_needs_a_persistent_instance() -> None:
    with (
        hw.Instance.ephemeral() as ephemeral,
        pytest.raises(hw.ExecutionError, match="ephemeral instance"),
    ):
        run(jobs.chain_job, ephemeral)


def test_a_job_with_an_explicit_multiprocess_executor_must_be_reconstructable(
    instance: Any,
) -> None:
    with pytest.raises(hw.ExecutionError, match="reconstructable"):
        hw.execute_job(jobs.chain_job(), instance=instance)


def test_an_in_memory_io_manager_is_refused_at_launch(instance: Any) -> None:
    with pytest.raises(hw.DefinitionError, match="keep values in memory"):
        run(in_memory_job, instance)
    assert instance.get_runs() == []


def in_memory_job() -> Any:
    return hw.Definitions(
        assets=[jobs.root], resources={"io_manager": hw.InMemoryIOManager()}
    ).get_implicit_global_asset_job_def()


def test_a_job_that_workers_cannot_load_fails_the_run_with_the_error(instance: Any) -> None:
    started = time.monotonic()
    result = run(jobs.fails_in_workers_job, instance)

    assert not result.success
    assert time.monotonic() - started < 30
    (engine,) = [e for e in result.filter_events(EventType.ENGINE_EVENT)
                 if "could not load the job" in e.message]  # fmt: skip
    assert "this job cannot be loaded in a worker" in engine.message
    assert result.filter_events(EventType.STEP_START) == []
    assert instance.get_run_by_id(result.run_id).status is hw.RunStatus.FAILURE


INTERRUPTED_RUN = """
import os, signal, sys, threading, time
sys.path[:0] = {path!r}
import executor_jobs as jobs
import headwater as hw

def interrupt_once_started(marker):
    while not os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGINT)

if __name__ == "__main__":
    instance = hw.Instance.from_path({home!r})
    deadline = time.monotonic() + 60
    threading.Thread(target=interrupt_once_started, args=(os.environ["LONG_SLEEPER_MARKER"],),
                     daemon=True).start()
    try:
        hw.execute_job(hw.reconstructable(jobs.interrupted_job), instance=instance)
    except KeyboardInterrupt:
        print("interrupted")
"""


def test_an_interrupted_run_interrupts_its_steps_and_leaves_no_worker_behind(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    home = tmp_path / "home"
    marker = tmp_path / "long_sleeper.pid"
    script = tmp_path / "interrupt_me.py"
    here = str(Path(jobs.__file__).parent)
    script.write_text(INTERRUPTED_RUN.format(path=[here, *sys.path], home=str(home)))
    env = {**os.environ, "LONG_SLEEPER_MARKER": str(marker)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, env=env)  # fmt: skip
    assert "interrupted" in done.stdout, done.stderr

    with hw.Instance.from_path(home) as instance:
        (run_record,) = instance.get_runs()
        assert run_record.status is hw.RunStatus.CANCELED
        events = instance.all_logs(run_record.run_id)
    failures = {e.step_key: e for e in events if e.event_type is EventType.STEP_FAILURE}
    assert failures["long_sleeper"].data["interrupted"] is True
    assert all(f.data["interrupted"] is True for f in failures.values())  # survivor0 may be too
    assert events[-1].event_type is EventType.RUN_CANCELED
    started = next(e for e in events if e.event_type is EventType.ENGINE_EVENT)
    assert "worker process" in started.message
    assert wait_gone([int(marker.read_text())]) == []


def test_a_partly_failed_step_blocks_only_readers_of_what_it_did_not_make(instance: Any) -> None:
    result = run(jobs.partial_failure_job, instance, raise_on_error=False)
    assert not result.success
    steps = {e.step_key: e.event_type for e in result.all_events
             if e.event_type in (EventType.STEP_SUCCESS, EventType.STEP_FAILURE,
                                 EventType.STEP_SKIPPED)}  # fmt: skip
    assert steps == {"half_built": EventType.STEP_FAILURE, "reads_half_a": EventType.STEP_SUCCESS,
                     "reads_half_b": EventType.STEP_SKIPPED}  # fmt: skip
