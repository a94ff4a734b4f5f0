"""Schedules: definition, validation, direct calls and tick evaluation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

import headwater as hw
from headwater import DefinitionError, HeadwaterError, MissingResourceError, UserCodeError


@hw.asset
def orders() -> int:
    return 1


orders_job = hw.define_asset_job("orders_job", selection=[orders])
TICK = datetime(2024, 5, 1, 6, 0)


def context(**kwargs: object) -> hw.ScheduleEvaluationContext:
    return hw.build_schedule_context(scheduled_execution_time=TICK, **kwargs)  # type: ignore[arg-type]


def test_plain_schedule_requests_one_run_with_its_config_and_tags() -> None:
    nightly = hw.ScheduleDefinition(
        job=orders_job, cron_schedule="0 3 * * *", run_config={"ops": {"orders": {}}},
        tags={"team": "sales"}, execution_timezone="Europe/Paris",
    )  # fmt: skip
    assert (nightly.name, nightly.job_name, nightly.job) == (
        "orders_job_schedule",
        "orders_job",
        orders_job,
    )
    assert nightly.default_status is hw.DefaultScheduleStatus.STOPPED
    tick = nightly.evaluate_tick(context())
    (request,) = tick.run_requests
    assert request.run_config == {"ops": {"orders": {}}}
    assert request.tags == {"team": "sales", "headwater/schedule_name": "orders_job_schedule"}
    assert tick.skip_message is None


def test_run_config_fn_and_tags_fn_see_the_tick_time() -> None:
    daily = hw.ScheduleDefinition(
        name="daily", job=orders_job, cron_schedule="@daily",
        run_config_fn=lambda ctx: {"ops": {"orders": {"config": {"day": f"{ctx.scheduled_execution_time:%F}"}}}},  # noqa: E501
        tags_fn=lambda ctx: {"hour": ctx.scheduled_execution_time.hour},
    )  # fmt: skip
    (request,) = daily.evaluate_tick(context()).run_requests
    assert request.run_config["ops"]["orders"]["config"]["day"] == "2024-05-01"
    assert request.tags["hour"] == "6"  # a non-string tag value is stored as JSON text


@hw.schedule("0 6 * * *", job=orders_job)
def returns_request(context: hw.ScheduleEvaluationContext) -> hw.RunRequest:
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    return hw.RunRequest(run_key=day, tags={"day": day})


@hw.schedule("0 6 * * *", job=orders_job, tags={"kind": "config"})
def returns_config(context: hw.ScheduleEvaluationContext) -> dict[str, object]:
    return {"ops": {"orders": {"config": {"hour": context.scheduled_execution_time.hour}}}}


@hw.schedule("0 6 * * *", job=orders_job)
def yields_two(context: hw.ScheduleEvaluationContext) -> Iterator[hw.RunRequest]:
    yield hw.RunRequest(run_key="a")
    yield hw.RunRequest(run_key="b")


@hw.schedule("0 6 * * *", job=orders_job)
def skips(context: hw.ScheduleEvaluationContext) -> hw.SkipReason:
    return hw.SkipReason("holiday")


@hw.schedule("0 6 * * *", job=orders_job)
def returns_nothing(context: hw.ScheduleEvaluationContext) -> None:
    return None


@hw.schedule("0 6 * * *", job=orders_job)
def no_context() -> hw.RunRequest:
    return hw.RunRequest(run_key="fixed")


def test_calling_a_decorated_schedule_returns_what_its_function_returns() -> None:
    assert returns_request(context()) == hw.RunRequest(
        run_key="2024-05-01", tags={"day": "2024-05-01"}
    )
    assert returns_config(context()) == {"ops": {"orders": {"config": {"hour": 6}}}}
    generator = yields_two(context())
    assert [r.run_key for r in generator] == ["a", "b"]
    assert skips(context()) == hw.SkipReason("holiday")
    assert returns_nothing(context()) is None
    assert no_context() == hw.RunRequest(run_key="fixed")


def test_evaluate_tick_normalizes_every_return_form() -> None:
    (by_request,) = returns_request.evaluate_tick(context()).run_requests
    assert by_request.run_key == "2024-05-01"
    assert by_request.tags == {"day": "2024-05-01", "headwater/schedule_name": "returns_request"}
    (by_config,) = returns_config.evaluate_tick(context()).run_requests
    assert by_config.run_config == {"ops": {"orders": {"config": {"hour": 6}}}}
    assert by_config.tags["kind"] == "config"  # @schedule(tags=) applies to returned configs
    assert [r.run_key for r in yields_two.evaluate_tick(context()).run_requests] == ["a", "b"]
    skipped = skips.evaluate_tick(context())
    assert (skipped.run_requests, skipped.skip_message) == ((), "holiday")
    assert returns_nothing.evaluate_tick(context()).skip_message == (
        "Schedule function returned an empty result"
    )


def test_a_schedule_without_context_argument_is_refused_when_called_without_one() -> None:
    with pytest.raises(HeadwaterError, match="expects a context"):
        returns_request()


def test_a_plain_schedule_cannot_be_called_but_can_be_evaluated() -> None:
    plain = hw.ScheduleDefinition(name="plain", job=orders_job, cron_schedule="0 3 * * *")
    with pytest.raises(HeadwaterError, match="evaluate_tick"):
        plain(context())
    assert len(plain.evaluate_tick(context()).run_requests) == 1


def test_a_schedule_reads_the_instance_it_is_given() -> None:
    @hw.schedule("0 * * * *", job=orders_job)
    def only_when_never_run(context: hw.ScheduleEvaluationContext) -> hw.RunRequest | hw.SkipReason:
        if context.instance.get_runs():
            return hw.SkipReason("already ran")
        return hw.RunRequest()

    with hw.instance_for_test() as instance:
        assert only_when_never_run(context(instance=instance)) == hw.RunRequest()
        hw.materialize([orders], instance=instance)
        assert only_when_never_run(context(instance=instance)) == hw.SkipReason("already ran")


def test_context_without_instance_says_how_to_give_one() -> None:
    with pytest.raises(HeadwaterError, match="instance_for_test"):
        _ = hw.build_schedule_context().instance


class Calendar(hw.ConfigurableResource):
    holidays: tuple[str, ...] = ()


@hw.schedule("0 6 * * *", job=orders_job)
def workdays(
    context: hw.ScheduleEvaluationContext, calendar: Calendar
) -> hw.RunRequest | hw.SkipReason:
    day = context.scheduled_execution_time.strftime("%Y-%m-%d")
    return (
        hw.SkipReason(f"{day} is a holiday")
        if day in calendar.holidays
        else hw.RunRequest(run_key=day)
    )


def test_resource_parameters_receive_the_context_resources() -> None:
    holiday = context(resources={"calendar": Calendar(holidays=("2024-05-01",))})
    assert workdays(holiday) == hw.SkipReason("2024-05-01 is a holiday")
    assert workdays.required_resource_keys == {"calendar"}
    # a resource passed by keyword overrides the context's
    assert workdays(context(), calendar=Calendar()) == hw.RunRequest(run_key="2024-05-01")
    with pytest.raises(MissingResourceError, match="calendar"):
        workdays(context())


def test_user_errors_in_evaluate_tick_keep_the_original_exception() -> None:
    @hw.schedule("0 6 * * *", job=orders_job)
    def broken(context: hw.ScheduleEvaluationContext) -> None:
        raise ValueError("calendar service down")

    with pytest.raises(ValueError):
        broken(context())  # a direct call lets the user's exception through
    with pytest.raises(UserCodeError, match="broken") as info:
        broken.evaluate_tick(context())
    assert isinstance(info.value.original, ValueError)


def test_a_bad_return_value_is_named() -> None:
    @hw.schedule("0 6 * * *", job=orders_job)
    def answers(context: hw.ScheduleEvaluationContext) -> int:
        return 42

    with pytest.raises(DefinitionError, match=r"schedule 'answers' returned 42 \(a int\)"):
        answers.evaluate_tick(context())


def test_target_assets_builds_an_asset_job() -> None:
    by_target = hw.ScheduleDefinition(name="by_target", cron_schedule="0 1 * * *", target=[orders])
    assert by_target.job_name == "__anonymous_asset_job_by_target"
    defs = hw.Definitions(assets=[orders], schedules=[by_target])
    assert defs.get_job_def(by_target.job_name).resolve_selection() == {hw.AssetKey("orders")}


def test_should_execute_false_skips_the_tick() -> None:
    never = hw.ScheduleDefinition(
        name="never", job=orders_job, cron_schedule="0 1 * * *", should_execute=lambda ctx: False
    )
    assert never.evaluate_tick(context()).skip_message == "should_execute function returned False"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cron_schedule": "every day"}, "'every day' is not a valid cron schedule"),
        ({"cron_schedule": "0 0 * * * *"}, "not a valid cron schedule"),
        ({"cron_schedule": "61 0 * * *"}, "not a valid cron schedule"),
        (
            {"cron_schedule": "0 3 * * *", "execution_timezone": "Mars/Base"},
            "'Mars/Base' is not a known time zone",
        ),
        ({"cron_schedule": "0 3 * * *", "target": [orders]}, "job and target were both given"),
        (
            {"cron_schedule": "0 3 * * *", "job_name": "orders_job"},
            "job and job_name were both given",
        ),
        (
            {"cron_schedule": "0 3 * * *", "run_config": {}, "execution_fn": lambda c: {}},
            "execution_fn decides",
        ),
        (
            {"cron_schedule": "0 3 * * *", "run_config": {}, "run_config_fn": lambda c: {}},
            "not both",
        ),
        ({"cron_schedule": None}, "cron_schedule is required"),
    ],
)
def test_invalid_schedules_are_refused_with_the_schedule_named(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(DefinitionError, match=message) as info:
        hw.ScheduleDefinition(name="bad", job=orders_job, **kwargs)  # type: ignore[arg-type]
    assert "'bad'" in str(info.value)


def test_a_schedule_needs_something_to_run_and_a_name_for_a_selection() -> None:
    with pytest.raises(DefinitionError, match="nothing to run"):
        hw.ScheduleDefinition(name="idle", cron_schedule="0 3 * * *")
    with pytest.raises(DefinitionError, match="pass name="):
        hw.ScheduleDefinition(cron_schedule="0 3 * * *", target=[orders])
    with pytest.raises(DefinitionError, match="not valid"):
        hw.ScheduleDefinition(name="with space", cron_schedule="0 3 * * *", job=orders_job)


def test_a_parameter_that_is_not_a_resource_is_refused_at_decoration() -> None:
    with pytest.raises(DefinitionError, match="parameter 'db' is neither the context"):

        @hw.schedule("0 3 * * *", job=orders_job)
        def needs_db(context, db):  # type: ignore[no-untyped-def]
            return {}


def test_several_cron_strings_are_accepted() -> None:
    twice = hw.ScheduleDefinition(
        name="twice", job=orders_job, cron_schedule=["0 12 * * *", "0 18 * * *"]
    )
    assert twice.cron_schedule == ("0 12 * * *", "0 18 * * *")
