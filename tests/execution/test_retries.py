"""Retry policies, RetryRequested and Failure: steps retried, events recorded, limits kept."""

from __future__ import annotations

import random
from typing import Any

import pytest

import headwater as hw
from headwater import Backoff, Failure, Jitter, RetryPolicy, RetryRequested


def events_of(result: hw.ExecuteInProcessResult, step: str) -> list[str]:
    return [e.event_type.value for e in result.events_for_node(step)]


def test_flaky_step_is_retried_until_it_succeeds(instance: Any) -> None:
    attempts: list[int] = []

    @hw.asset(retry_policy=RetryPolicy(max_retries=3))
    def flaky(context: hw.AssetExecutionContext) -> int:
        attempts.append(context.retry_number)
        if len(attempts) < 3:
            raise ConnectionError("temporarily unavailable")
        return 42

    result = hw.materialize([flaky], instance=instance)
    assert result.output_for_node("flaky") == 42
    assert attempts == [0, 1, 2]
    types = events_of(result, "flaky")
    assert types.count("STEP_UP_FOR_RETRY") == 2
    assert types.count("STEP_RESTARTED") == 2
    assert types[-1] == "STEP_SUCCESS"
    stored = [e.event_type.value for e in instance.all_logs(result.run_id)]
    assert stored.count("STEP_UP_FOR_RETRY") == 2


def test_a_step_that_keeps_failing_fails_after_max_retries(instance: Any) -> None:
    calls: list[int] = []

    @hw.asset(retry_policy=RetryPolicy(max_retries=2))
    def always_down() -> int:
        calls.append(1)
        raise ConnectionError("down")

    @hw.asset
    def after(always_down: int) -> int:
        return always_down

    result = hw.materialize([always_down, after], instance=instance, raise_on_error=False)
    assert len(calls) == 3
    (failure,) = result.get_step_failure_events()
    assert failure.data["attempts"] == 3
    assert failure.error["cls_name"] == "ConnectionError"
    assert result.get_skipped_step_keys() == {"after"}
    assert instance.get_run_by_id(result.run_id).status is hw.RunStatus.FAILURE


def test_retry_requested_from_user_code(instance: Any) -> None:
    calls: list[int] = []

    @hw.asset
    def polls() -> str:
        calls.append(1)
        if len(calls) < 2:
            raise RetryRequested(max_retries=2, seconds_to_wait=0.01)
        return "ready"

    result = hw.materialize([polls], instance=instance)
    assert result.output_for_node("polls") == "ready"
    (retry,) = result.filter_events(hw.EventType.STEP_UP_FOR_RETRY)
    assert retry.data["seconds_to_wait"] == 0.01


def test_failure_carries_metadata_and_can_forbid_retries(instance: Any) -> None:
    calls: list[int] = []

    @hw.asset(retry_policy=RetryPolicy(max_retries=5))
    def validated() -> int:
        calls.append(1)
        raise Failure("12 rows have a negative price", metadata={"bad_rows": 12},
                      allow_retries=False)  # fmt: skip

    result = hw.materialize([validated], instance=instance, raise_on_error=False)
    assert calls == [1]
    (failure,) = result.get_step_failure_events()
    assert "12 rows have a negative price" in failure.message
    assert failure.data["metadata"]["bad_rows"] == {"kind": "int", "value": 12}


def test_job_retry_policy_applies_to_steps_without_their_own(instance: Any) -> None:
    calls: list[int] = []

    @hw.asset
    def shaky() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise TimeoutError("slow")
        return 1

    defs = hw.Definitions(
        assets=[shaky],
        jobs=[hw.define_asset_job("shaky_job", op_retry_policy=RetryPolicy(max_retries=1))],
    )
    assert defs.get_job_def("shaky_job").execute_in_process(instance=instance).success
    assert len(calls) == 2


def test_delays_follow_backoff_and_jitter() -> None:
    linear = RetryPolicy(max_retries=3, delay=1.0, backoff=Backoff.LINEAR)
    exponential = RetryPolicy(max_retries=3, delay=1.0, backoff=Backoff.EXPONENTIAL)
    assert [linear.delay_for(n) for n in (1, 2, 3)] == [1.0, 2.0, 3.0]
    assert [exponential.delay_for(n) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    full = RetryPolicy(delay=2.0, backoff=Backoff.EXPONENTIAL, jitter=Jitter.FULL)
    rng = random.Random(1)
    assert all(0.0 <= full.delay_for(3, rng) <= 8.0 for _ in range(50))
    plus_minus = RetryPolicy(delay=2.0, jitter=Jitter.PLUS_MINUS)
    assert all(0.0 <= plus_minus.delay_for(1, rng) <= 4.0 for _ in range(50))


def test_invalid_policies_are_rejected() -> None:
    with pytest.raises(hw.DefinitionError, match="max_retries"):
        RetryPolicy(max_retries=-1)
    with pytest.raises(hw.DefinitionError, match="need a delay"):
        RetryPolicy(backoff=Backoff.LINEAR)
