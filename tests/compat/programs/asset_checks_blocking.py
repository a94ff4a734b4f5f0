"""Blocking asset checks: a failed blocking check stops downstream assets; non-blocking does not."""

import dagster as dg
from _transcript import case, check, check_sorted


def build(blocking: bool):
    @dg.asset
    def upstream() -> int:
        return -1

    @dg.asset_check(asset=upstream, blocking=blocking)
    def positive(upstream: int) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=upstream > 0)

    @dg.asset
    def downstream(upstream: int) -> int:
        return upstream * 10

    return [upstream, positive, downstream]


@case("blocking")
def _():
    assets = build(True)
    check("spec_blocking", next(iter(assets[1].check_specs)).blocking)
    result = dg.materialize(assets, raise_on_error=False)
    check("success", result.success)
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
    check("check_passed", [e.passed for e in result.get_asset_check_evaluations()])
    check("skipped", [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"])


@case("blocking_raises")
def _():
    from _transcript import expect_error

    expect_error(
        "raises",
        lambda: dg.materialize(build(True)),
        "DagsterError",
        "DagsterExecutionStepExecutionError",
        words=["blocking", "positive"],
    )


@case("non_blocking")
def _():
    result = dg.materialize(build(False))
    check("success", result.success)
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
    check("check_passed", [e.passed for e in result.get_asset_check_evaluations()])


@case("blocking_spec_in_asset")
def _():
    @dg.asset(check_specs=[dg.AssetCheckSpec("ok", asset="produces", blocking=True)])
    def produces():
        yield dg.Output(1)
        yield dg.AssetCheckResult(check_name="ok", passed=False)

    @dg.asset
    def after(produces: int) -> int:
        return produces

    result = dg.materialize([produces, after], raise_on_error=False)
    check("success", result.success)
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
