"""Optional asset outputs: output_required=False, multi_asset is_required=False, skipped downstream."""

import dagster as dg
from _transcript import case, check


@case("optional_single_asset")
def _():
    @dg.asset(output_required=False)
    def maybe_asset():
        if False:
            yield dg.Output(1)

    @dg.asset
    def after_maybe(maybe_asset: int) -> int:
        return maybe_asset

    result = dg.materialize([maybe_asset, after_maybe])
    check("success", result.success)
    check("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
    check("skipped", [e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"])


@case("multi_asset_optional_output")
def _():
    @dg.multi_asset(outs={"yes": dg.AssetOut(is_required=False), "no": dg.AssetOut(is_required=False)})
    def partial():
        yield dg.Output(1, output_name="yes")

    @dg.asset
    def after_no(no: int) -> int:
        return no

    @dg.asset
    def after_yes(yes: int) -> int:
        return yes + 1

    result = dg.materialize([partial, after_no, after_yes])
    check("success", result.success)
    check("materialized", sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events()))
    check("after_yes", result.output_for_node("after_yes"))


@case("required_output_missing")
def _():
    @dg.asset
    def forgets():
        if False:
            yield dg.Output(1)

    result = dg.materialize([forgets], raise_on_error=False)
    check("success", result.success)
    failures = result.get_step_failure_events()
    check("failure_count", len(failures))
