"""Execution contexts: AssetExecutionContext and OpExecutionContext attributes seen inside a run."""

import dagster as dg
from _transcript import case, check, check_sorted

SEEN = {}


def probe(name, fn):
    """Record fn() under name, or the builtin error class it raised (a missing attribute)."""
    try:
        SEEN[name] = fn()
    except Exception as exc:
        SEEN[name] = f"error:{type(exc).__name__ if type(exc).__module__ == 'builtins' else 'library'}"


@dg.asset(tags={"t": "1"}, group_name="ctx")
def inspect_asset(context: dg.AssetExecutionContext) -> int:
    probe("asset_key", lambda: context.asset_key.to_user_string())
    probe("has_partition_key", lambda: context.has_partition_key)
    probe("selected", lambda: sorted(k.to_user_string() for k in context.selected_asset_keys))
    probe("run_id_is_str", lambda: isinstance(context.run_id, str))
    probe("run_id_matches_run", lambda: context.run_id == context.run.run_id)
    probe("job_name", lambda: context.job_name)
    probe("op_name", lambda: context.op_execution_context.op.name)
    probe("instance_is_instance", lambda: isinstance(context.instance, dg.DagsterInstance))
    probe("retry_number", lambda: context.retry_number)
    probe("has_tag_partition", lambda: context.has_tag("dagster/partition"))
    probe("log_has_info", lambda: callable(context.log.info))
    probe("assets_def_key", lambda: context.assets_def.key.to_user_string())
    probe("resources_is_obj", lambda: context.resources is not None)
    context.log.info("hello from asset")
    return 1


@dg.op(tags={"kind": "op"})
def inspect_op(context: dg.OpExecutionContext) -> int:
    probe("op.name", lambda: context.op.name)
    probe("op.step_key", lambda: context.get_step_execution_context().step.key if hasattr(context, "get_step_execution_context") else None)
    probe("op.job_name", lambda: context.job_name)
    probe("op.op_def_name", lambda: context.op_def.name)
    probe("op.op_def_tags", lambda: dict(context.op_def.tags))
    probe("op.has_assets_def", lambda: context.has_assets_def)
    probe("op.run_tags_user", lambda: dict(sorted((k, v) for k, v in context.run.tags.items() if not k.startswith("dagster"))))
    return 2


@case("asset_context")
def _():
    SEEN.clear()
    result = dg.materialize([inspect_asset])
    check("success", result.success)
    for k in sorted(SEEN):
        check(k, SEEN[k])


@case("op_context")
def _():
    SEEN.clear()

    @dg.job(tags={"owner": "me"})
    def j():
        inspect_op()

    result = j.execute_in_process()
    check("success", result.success)
    for k in sorted(SEEN):
        if k != "op.step_key":
            check(k, SEEN[k])


@case("logs_in_event_log")
def _():
    with dg.instance_for_test() as inst:
        result = dg.materialize([inspect_asset], instance=inst)
        messages = [e.user_message for e in inst.all_logs(result.run_id) if not e.is_dagster_event]
        check("hello_logged", "hello from asset" in messages)


@case("get_dagster_logger")
def _():
    log = dg.get_dagster_logger()
    check("has_info", callable(log.info))
    check_sorted("level_names", [n for n in ("debug", "info", "warning", "error") if hasattr(log, n)])
