"""Executors and misc definitions: in_process_executor, multiprocess_executor, BackfillPolicy, job executor_def."""

import dagster as dg
from _transcript import case, check


@dg.asset
def tiny() -> int:
    return 1


@case("executor_defs")
def _():
    check("in_process_is_executor", isinstance(dg.in_process_executor, dg.ExecutorDefinition))
    check("multiprocess_is_executor", isinstance(dg.multiprocess_executor, dg.ExecutorDefinition))
    check("in_process_name", dg.in_process_executor.name)
    check("multiprocess_name", dg.multiprocess_executor.name)


@case("job_with_in_process_executor")
def _():
    job = dg.define_asset_job("inproc", selection=[tiny], executor_def=dg.in_process_executor)
    defs = dg.Definitions(assets=[tiny], jobs=[job])
    result = defs.get_job_def("inproc").execute_in_process()
    check("success", result.success)


@case("backfill_policy")
def _():
    single = dg.BackfillPolicy.single_run()
    check("single.max", single.max_partitions_per_run)
    multi = dg.BackfillPolicy.multi_run(max_partitions_per_run=3)
    check("multi.max", multi.max_partitions_per_run)

    @dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date="2024-01-01"), backfill_policy=dg.BackfillPolicy.single_run())
    def bp() -> None:
        return None

    check("asset_policy_max", bp.backfill_policy.max_partitions_per_run)


@case("definitions_executor")
def _():
    defs = dg.Definitions(assets=[tiny], executor=dg.in_process_executor)
    result = defs.get_implicit_global_asset_job_def().execute_in_process()
    check("success", result.success)


@case("env_var_missing")
def _():
    from _transcript import expect_error

    class R(dg.ConfigurableResource):
        token: str

    @dg.asset
    def needs_token(r: R) -> str:
        return r.token

    expect_error(
        "missing",
        lambda: dg.materialize([needs_token], resources={"r": R(token=dg.EnvVar("COMPAT_SURELY_UNSET_VAR"))}),
        "DagsterInvalidConfigError",
        "DagsterError",
        words=["COMPAT_SURELY_UNSET_VAR"],
    )
