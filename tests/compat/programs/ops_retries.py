"""Retries: RetryPolicy on ops and assets, RetryRequested, Failure with metadata, events."""

import dagster as dg
from _transcript import case, check

ATTEMPTS = {"policy": 0, "requested": 0, "asset": 0}


@dg.op(retry_policy=dg.RetryPolicy(max_retries=2))
def flaky(context) -> int:
    ATTEMPTS["policy"] += 1
    check(f"flaky.retry_number.{ATTEMPTS['policy']}", context.retry_number)
    if ATTEMPTS["policy"] < 3:
        raise ValueError("not yet")
    return ATTEMPTS["policy"]


@dg.op
def requests_retry() -> str:
    ATTEMPTS["requested"] += 1
    if ATTEMPTS["requested"] < 2:
        raise dg.RetryRequested(max_retries=3)
    return "ok"


@dg.op
def always_fails():
    raise dg.Failure(description="gave up", metadata={"attempts": 1})


@case("retry_policy")
def _():
    @dg.job
    def j():
        flaky()

    result = j.execute_in_process()
    check("success", result.success)
    check("value", result.output_for_node("flaky"))
    types = [e.event_type_value for e in result.all_events if e.step_key == "flaky"]
    check("retries", types.count("STEP_UP_FOR_RETRY"))
    check("restarts", types.count("STEP_RESTARTED"))


@case("retry_requested")
def _():
    @dg.job
    def j():
        requests_retry()

    result = j.execute_in_process()
    check("success", result.success)
    check("attempts", ATTEMPTS["requested"])


@case("failure")
def _():
    @dg.job
    def j():
        always_fails()

    result = j.execute_in_process(raise_on_error=False)
    check("success", result.success)
    failures = result.get_step_failure_events()
    check("failures", len(failures))
    data = failures[0].step_failure_data
    check("error_cls", data.error.cls_name)
    check("user_failure_description", data.user_failure_data.description)
    check("user_failure_metadata", data.user_failure_data.metadata["attempts"].value)


@case("raise_on_error")
def _():
    from _transcript import expect_error

    @dg.job
    def j():
        always_fails()

    expect_error("raises", lambda: j.execute_in_process(), "Failure", "DagsterError", words=["gave up"])


@case("asset_retry_policy")
def _():
    @dg.asset(retry_policy=dg.RetryPolicy(max_retries=1))
    def flaky_asset() -> int:
        ATTEMPTS["asset"] += 1
        if ATTEMPTS["asset"] == 1:
            raise RuntimeError("first time")
        return 7

    result = dg.materialize([flaky_asset])
    check("success", result.success)
    check("value", result.output_for_node("flaky_asset"))


@case("policy_fields")
def _():
    p = dg.RetryPolicy(max_retries=3, delay=0.5, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.FULL)
    check("max_retries", p.max_retries)
    check("delay", p.delay)
    check("backoff", p.backoff)
    check("jitter", p.jitter)
    check("default_max_retries", dg.RetryPolicy().max_retries)
