"""Sensors: definition, validation, direct calls, cursors and tick evaluation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import headwater as hw
from headwater import DefinitionError, HeadwaterError, MissingResourceError, UserCodeError


@hw.asset
def raw_files() -> int:
    return 1


ingest_job = hw.define_asset_job("ingest_job", selection=[raw_files])
report_job = hw.define_asset_job("report_job", selection=[raw_files])


def inbox_sensor(inbox: Path) -> hw.SensorDefinition:
    @hw.sensor(job=ingest_job, minimum_interval_seconds=5)
    def new_files(context: hw.SensorEvaluationContext) -> Iterator[hw.RunRequest | hw.SkipReason]:
        seen = set(json.loads(context.cursor or "[]"))
        fresh = sorted(p.name for p in inbox.glob("*.csv") if p.name not in seen)
        if not fresh:
            yield hw.SkipReason("no new files")
            return
        for name in fresh:
            yield hw.RunRequest(
                run_key=name, run_config={"ops": {"raw_files": {"config": {"file": name}}}}
            )
        context.update_cursor(json.dumps(sorted(seen | set(fresh))))

    return new_files


def test_sensor_attributes_follow_the_decorator() -> None:
    @hw.sensor(job=ingest_job)
    def watcher(context: hw.SensorEvaluationContext) -> None:
        """Watches the inbox."""

    assert (watcher.name, watcher.job_name, watcher.job) == ("watcher", "ingest_job", ingest_job)
    assert watcher.minimum_interval_seconds == 30
    assert watcher.default_status is hw.DefaultSensorStatus.STOPPED
    assert watcher.description == "Watches the inbox."


def test_cursor_and_run_keys_across_ticks(tmp_path: Path) -> None:
    sensor = inbox_sensor(tmp_path)
    with hw.instance_for_test() as instance:
        first = sensor.evaluate_tick(hw.build_sensor_context(instance=instance))
        assert (first.run_requests, first.skip_message, first.cursor) == ((), "no new files", None)
        (tmp_path / "b.csv").write_text("x")
        (tmp_path / "a.csv").write_text("x")
        second = sensor.evaluate_tick(
            hw.build_sensor_context(instance=instance, cursor=first.cursor)
        )
        assert [r.run_key for r in second.run_requests] == ["a.csv", "b.csv"]
        assert second.run_requests[0].run_config == {
            "ops": {"raw_files": {"config": {"file": "a.csv"}}}
        }
        assert second.run_requests[0].tags == {"headwater/sensor_name": "new_files"}
        assert json.loads(second.cursor or "") == ["a.csv", "b.csv"]
        (tmp_path / "c.csv").write_text("x")
        third = sensor.evaluate_tick(
            hw.build_sensor_context(instance=instance, cursor=second.cursor)
        )
        assert [r.run_key for r in third.run_requests] == ["c.csv"]


def test_calling_a_sensor_returns_its_generator_and_updates_the_given_context(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.csv").write_text("x")
    sensor = inbox_sensor(tmp_path)
    context = hw.build_sensor_context(cursor="[]")
    generator = sensor(context)
    assert next(generator) == hw.RunRequest(
        run_key="a.csv", run_config={"ops": {"raw_files": {"config": {"file": "a.csv"}}}}
    )
    assert list(generator) == []
    assert context.cursor == '["a.csv"]'
    assert context.cursor_updated


@hw.sensor(job=ingest_job)
def with_result(context: hw.SensorEvaluationContext) -> hw.SensorResult:
    days = hw.DynamicPartitionsDefinition(name="days")
    return hw.SensorResult(
        run_requests=[hw.RunRequest(run_key="d1", partition_key="d1")],
        cursor="d1",
        dynamic_partitions_requests=[days.build_add_request(["d1"])],
    )


def test_sensor_result_carries_cursor_and_dynamic_partitions() -> None:
    direct = with_result(hw.build_sensor_context())
    assert isinstance(direct, hw.SensorResult)
    assert direct.cursor == "d1"
    tick = with_result.evaluate_tick(hw.build_sensor_context(cursor="d0"))
    assert [(r.run_key, r.partition_key) for r in tick.run_requests] == [("d1", "d1")]
    assert tick.cursor == "d1"
    (request,) = tick.dynamic_partitions_requests
    assert (request.partitions_def_name, tuple(request.partition_keys)) == ("days", ("d1",))


def test_empty_and_skipped_ticks_keep_the_cursor() -> None:
    @hw.sensor(job=ingest_job)
    def quiet(context: hw.SensorEvaluationContext) -> None:
        return None

    @hw.sensor(job=ingest_job)
    def skipper(context: hw.SensorEvaluationContext) -> hw.SensorResult:
        return hw.SensorResult(skip_reason="nothing new")

    empty = quiet.evaluate_tick(hw.build_sensor_context(cursor="7"))
    assert (empty.skip_message, empty.cursor) == ("Sensor function returned an empty result", "7")
    skipped = skipper.evaluate_tick(hw.build_sensor_context(cursor="7"))
    assert (skipped.skip_message, skipped.cursor) == ("nothing new", "7")


def test_a_sensor_reads_runs_from_the_real_instance() -> None:
    @hw.sensor(job=report_job)
    def after_ingest(context: hw.SensorEvaluationContext) -> hw.RunRequest | hw.SkipReason:
        runs = context.instance.get_runs()
        if not runs:
            return hw.SkipReason("no ingest run yet")
        return hw.RunRequest(run_key=runs[0].run_id)

    with hw.instance_for_test() as instance:
        assert after_ingest(hw.build_sensor_context(instance=instance)) == hw.SkipReason(
            "no ingest run yet"
        )
        result = hw.materialize([raw_files], instance=instance)
        request = after_ingest(hw.build_sensor_context(instance=instance))
        assert request == hw.RunRequest(run_key=result.run_id)


class Inbox(hw.ConfigurableResource):
    files: tuple[str, ...] = ()


@hw.sensor(job=ingest_job)
def from_resource(context: hw.SensorEvaluationContext, inbox: Inbox) -> list[hw.RunRequest]:
    return [hw.RunRequest(run_key=name) for name in inbox.files]


def test_resources_are_injected_into_annotated_parameters() -> None:
    context = hw.build_sensor_context(resources={"inbox": Inbox(files=("x.csv", "y.csv"))})
    assert from_resource(context) == [
        hw.RunRequest(run_key="x.csv"),
        hw.RunRequest(run_key="y.csv"),
    ]
    assert from_resource(hw.build_sensor_context(), inbox=Inbox(files=("z.csv",))) == [
        hw.RunRequest(run_key="z.csv")
    ]
    tick = from_resource.evaluate_tick(context)
    assert [r.run_key for r in tick.run_requests] == ["x.csv", "y.csv"]
    assert from_resource.required_resource_keys == {"inbox"}
    with pytest.raises(
        MissingResourceError, match=r"sensor 'from_resource' needs resource\(s\) \['inbox'\]"
    ):
        from_resource(hw.build_sensor_context())


def test_required_resource_keys_reach_context_resources() -> None:
    @hw.sensor(job=ingest_job, required_resource_keys={"inbox"})
    def by_context(context: hw.SensorEvaluationContext) -> hw.SkipReason:
        return hw.SkipReason(",".join(context.resources.inbox.files))

    with hw.build_sensor_context(resources={"inbox": Inbox(files=("q",))}) as context:
        assert by_context.evaluate_tick(context).skip_message == "q"


def test_resources_are_set_up_before_use_and_torn_down_with_the_context() -> None:
    events: list[str] = []

    class Tracked(hw.ConfigurableResource):
        def setup_for_execution(self, context: hw.InitResourceContext) -> None:
            events.append("setup")

        def teardown_after_execution(self, context: hw.InitResourceContext) -> None:
            events.append("teardown")

    @hw.sensor(job=ingest_job)
    def uses(context: hw.SensorEvaluationContext, tracked: Tracked) -> hw.SkipReason:
        events.append("tick")
        return hw.SkipReason("ok")

    with hw.build_sensor_context(resources={"tracked": Tracked()}) as context:
        uses.evaluate_tick(context)
    assert events == ["setup", "tick", "teardown"]


def test_a_sensor_without_a_context_parameter() -> None:
    @hw.sensor(job=ingest_job)
    def fixed() -> hw.RunRequest:
        return hw.RunRequest(run_key="k")

    assert fixed() == hw.RunRequest(run_key="k")
    assert fixed.evaluate_tick(hw.build_sensor_context()).run_requests[0].run_key == "k"


def test_first_parameter_of_any_name_is_the_context() -> None:
    @hw.sensor(job=ingest_job)
    def short(ctx: hw.SensorEvaluationContext) -> hw.SkipReason:
        return hw.SkipReason(type(ctx).__name__)

    assert short(hw.build_sensor_context()) == hw.SkipReason("SensorEvaluationContext")
    with pytest.raises(HeadwaterError, match="expects a context"):
        short()


def test_user_errors_and_bad_return_values_in_a_tick() -> None:
    @hw.sensor(job=ingest_job)
    def raises(context: hw.SensorEvaluationContext) -> Iterator[hw.RunRequest]:
        yield hw.RunRequest(run_key="first")
        raise OSError("inbox not mounted")

    @hw.sensor(job=ingest_job)
    def answers(context: hw.SensorEvaluationContext) -> int:
        return 42

    @hw.sensor(job=ingest_job)
    def mixed(context: hw.SensorEvaluationContext) -> Iterator[hw.RunRequest | hw.SkipReason]:
        yield hw.RunRequest(run_key="a")
        yield hw.SkipReason("b")

    with pytest.raises(UserCodeError, match="sensor 'raises'") as info:
        raises.evaluate_tick(hw.build_sensor_context())
    assert isinstance(info.value.original, OSError)
    with pytest.raises(DefinitionError, match=r"sensor 'answers' returned 42 \(a int\)"):
        answers.evaluate_tick(hw.build_sensor_context())
    with pytest.raises(DefinitionError, match="both RunRequests and a SkipReason"):
        mixed.evaluate_tick(hw.build_sensor_context())


def test_setting_the_cursor_twice_is_refused() -> None:
    @hw.sensor(job=ingest_job)
    def twice(context: hw.SensorEvaluationContext) -> hw.SensorResult:
        context.update_cursor("a")
        return hw.SensorResult(cursor="b")

    with pytest.raises(DefinitionError, match="set the cursor twice"):
        twice.evaluate_tick(hw.build_sensor_context())


def test_a_sensor_with_several_jobs_needs_job_name_on_each_request() -> None:
    @hw.sensor(jobs=[ingest_job, report_job])
    def both(context: hw.SensorEvaluationContext) -> list[hw.RunRequest]:
        return [hw.RunRequest(job_name="report_job"), hw.RunRequest()]

    assert both.job_names == ["ingest_job", "report_job"]
    with pytest.raises(DefinitionError, match="must say which with job_name="):
        both.evaluate_tick(hw.build_sensor_context())


def test_asset_selection_and_targetless_sensors() -> None:
    @hw.sensor(asset_selection=[raw_files])
    def by_selection(context: hw.SensorEvaluationContext) -> None: ...

    @hw.sensor()
    def side_effects(context: hw.SensorEvaluationContext) -> None: ...

    assert by_selection.job_name == "__anonymous_asset_job_by_selection"
    assert side_effects.job_names == []
    with pytest.raises(DefinitionError, match="has no job"):
        _ = side_effects.job_name


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"job": ingest_job, "asset_selection": [raw_files]},
            "job and asset_selection were both given",
        ),
        ({"job": ingest_job, "minimum_interval_seconds": -1}, "minimum_interval_seconds must be"),
        ({"job": "ingest_job"}, "'ingest_job' is not a job"),
    ],
)
def test_invalid_sensors_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        hw.SensorDefinition(name="bad", evaluation_fn=lambda context: None, **kwargs)  # type: ignore[arg-type]


def test_definitions_index_sensors_and_refuse_clashing_names() -> None:
    watcher = hw.SensorDefinition(name="watch", evaluation_fn=lambda context: None, job=ingest_job)
    defs = hw.Definitions(assets=[raw_files], sensors=[watcher])
    assert defs.get_sensor_def("watch") is watcher
    assert defs.sensor_names == ["watch"]
    assert "ingest_job" in defs.job_names
    with pytest.raises(
        DefinitionError, match=r"No sensor named 'other'; the sensors are \['watch'\]"
    ):
        defs.get_sensor_def("other")
    clash = hw.ScheduleDefinition(name="watch", cron_schedule="* * * * *", job=ingest_job)
    with pytest.raises(DefinitionError, match="a schedule and a sensor"):
        hw.Definitions(assets=[raw_files], schedules=[clash], sensors=[watcher])
    lost = hw.SensorDefinition(name="lost", evaluation_fn=lambda context: None, job_name="nope")
    with pytest.raises(DefinitionError, match="Sensor 'lost' targets job 'nope'"):
        hw.Definitions(assets=[raw_files], sensors=[lost])


def test_build_sensor_context_records_what_previous_ticks_left() -> None:
    context = hw.build_sensor_context(
        cursor="c", sensor_name="s", last_tick_completion_time=100.0, last_run_key="k",
        last_sensor_start_time=50.0,
    )  # fmt: skip
    assert (context.cursor, context.sensor_name, context.last_run_key) == ("c", "s", "k")
    assert context.last_tick_completion_time == context.last_completion_time == 100.0
    assert not context.is_first_tick_since_sensor_start
    assert hw.build_sensor_context().is_first_tick_since_sensor_start
    defs = hw.Definitions(assets=[raw_files])
    assert hw.build_sensor_context(definitions=defs).repository_def is defs
