"""ExecuteInProcessResult: success, events by type and order, materializations per node, run record."""

import dagster as dg
from _transcript import case, check, check_sorted


@dg.asset
def a(context) -> int:
    context.log.info("computing a")
    return 1


@dg.asset
def b(a: int) -> dg.Output[int]:
    return dg.Output(a + 1, metadata={"plus": 1})


@dg.asset
def c(b: int) -> None:
    raise ValueError("c is broken")


@case("success_run")
def _():
    result = dg.materialize([a, b])
    check("success", result.success)
    check("is_result", isinstance(result, dg.ExecuteInProcessResult))
    types = [e.event_type_value for e in result.all_events]
    check("first_event", types[0])
    check("last_event", types[-1])
    step_a = [e.event_type_value for e in result.all_events if e.step_key == "a"]
    check("step_a_events", [t for t in step_a if t in ("STEP_START", "STEP_OUTPUT", "ASSET_MATERIALIZATION", "HANDLED_OUTPUT", "STEP_SUCCESS")])
    step_b = [e.event_type_value for e in result.all_events if e.step_key == "b"]
    check("step_b_events", [t for t in step_b if t in ("STEP_START", "LOADED_INPUT", "STEP_INPUT", "STEP_OUTPUT", "ASSET_MATERIALIZATION", "HANDLED_OUTPUT", "STEP_SUCCESS")])
    check("node_mats_b", [m.asset_key.to_user_string() for m in result.asset_materializations_for_node("b")])
    check("b_metadata_plus", result.asset_materializations_for_node("b")[0].metadata["plus"].value)
    check("asset_value_b", result.asset_value("b") if hasattr(result, "asset_value") else "n/a")
    check("run_status", result.dagster_run.status)
    check("run_id_is_str", isinstance(result.run_id, str))
    check_sorted("step_success", [e.step_key for e in result.get_step_success_events()])
    check("all_node_events_a", len(result.all_node_events) > 0)
    check("events_for_node_a_types_start", result.events_for_node("a")[0].event_type_value)


@case("failed_run")
def _():
    result = dg.materialize([a, b, c], raise_on_error=False)
    check("success", result.success)
    check("run_status", result.dagster_run.status)
    failures = result.get_step_failure_events()
    check("failure_steps", [e.step_key for e in failures])
    err = failures[0].step_failure_data.error
    check("error_cls_name", err.cls_name)
    check("error_message_has_text", "c is broken" in err.message)
    check("failure_is_step_failure", failures[0].is_step_failure)
    check("last_event", result.all_events[-1].event_type_value)


@case("raise_on_error_default")
def _():
    from _transcript import expect_error

    exc = expect_error("raised", lambda: dg.materialize([a, b, c]), "ValueError", "DagsterError", "DagsterExecutionStepExecutionError", words=["c is broken"])
    check("exc_is_user_error", type(exc).__name__ == "ValueError")


@case("event_object_fields")
def _():
    result = dg.materialize([a])
    mat = result.get_asset_materialization_events()[0]
    check("event_type_value", mat.event_type_value)
    check("event_type_enum", mat.event_type)
    check("is_step_materialization", mat.is_step_materialization)
    check("step_key", mat.step_key)
    check("job_name", mat.job_name)
    check("asset_key", mat.asset_key.to_user_string())
    check("materialization_key", mat.step_materialization_data.materialization.asset_key.to_user_string())


@case("output_for_node_errors")
def _():
    from _transcript import expect_error

    result = dg.materialize([a])
    expect_error("unknown_node", lambda: result.output_for_node("zzz"), "DagsterInvariantViolationError", "DagsterError", "KeyError")
