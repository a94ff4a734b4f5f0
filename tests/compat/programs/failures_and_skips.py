"""Failure propagation: a failing asset skips downstream, independent branches still run, statuses recorded."""

import dagster as dg
from _transcript import case, check


@dg.asset
def ok_root() -> int:
    return 1


@dg.asset
def bad_root() -> int:
    raise RuntimeError("upstream broke")


@dg.asset
def after_bad(bad_root: int) -> int:
    return bad_root


@dg.asset
def after_ok(ok_root: int) -> int:
    return ok_root + 1


@case("propagation")
def _():
    with dg.instance_for_test() as inst:
        result = dg.materialize([ok_root, bad_root, after_bad, after_ok], raise_on_error=False, instance=inst)
        check("success", result.success)
        check("materialized", sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events()))
        check("failed_steps", sorted(e.step_key for e in result.get_step_failure_events()))
        check("skipped_steps", sorted(e.step_key for e in result.all_events if e.event_type_value == "STEP_SKIPPED"))
        check("after_ok_value", result.output_for_node("after_ok"))
        check("run_status", inst.get_run_by_id(result.run_id).status)
        check("latest_bad", inst.get_latest_materialization_event(dg.AssetKey("bad_root")))


@case("failure_type")
def _():
    @dg.asset
    def raises_failure() -> int:
        raise dg.Failure(description="explicit failure", allow_retries=False)

    result = dg.materialize([raises_failure], raise_on_error=False)
    check("success", result.success)
    check("failure_count", len(result.get_step_failure_events()))


@case("failure_fields")
def _():
    f = dg.Failure(description="d", metadata={"k": "v"})
    check("description", f.description)
    check("metadata_k", f.metadata["k"].value)
    check("is_exception", isinstance(f, Exception))
    check("allow_retries_default", f.allow_retries)


@case("output_for_failed_node")
def _():
    from _transcript import expect_error

    result = dg.materialize([bad_root], raise_on_error=False)
    expect_error("no_output", lambda: result.output_for_node("bad_root"), "DagsterInvariantViolationError", "DagsterError", "KeyError")
