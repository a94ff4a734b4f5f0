"""Success and failure hooks run after each op; a failing hook does not fail the run."""

from __future__ import annotations

from typing import Any

import pytest

from headwater import DefinitionError, EventType, HookContext, failure_hook, job, op, success_hook

calls: list[tuple[str, str, str | None]] = []


@success_hook
def on_success(context: HookContext) -> None:
    calls.append(("success", context.op_name, None))


@failure_hook(name="on_failure")
def record_failure(context: HookContext) -> None:
    calls.append(("failure", context.op.name, str(context.op_exception)))


@success_hook
def broken_hook(context: HookContext) -> None:
    raise RuntimeError("hook bug")


@op
def ok() -> int:
    return 1


@op
def bad(n: int) -> int:
    raise ValueError("bad input")


def test_hooks_fire_after_each_op_by_outcome(instance: Any) -> None:
    calls.clear()

    @job(hooks={on_success, record_failure})
    def hooked() -> None:
        bad(ok())

    result = hooked.execute_in_process(instance=instance, raise_on_error=False)

    assert not result.success
    assert calls[0] == ("success", "ok", None)
    assert calls[1][:2] == ("failure", "bad")
    assert "bad input" in str(calls[1][2])
    engine = instance.all_logs(result.run_id, of_type=EventType.HOOK_COMPLETED)
    assert [e.data["hook"] for e in engine] == ["on_success", "on_failure"]


def test_hook_error_is_logged_not_fatal(instance: Any) -> None:
    @job(hooks={broken_hook})
    def with_broken_hook() -> None:
        ok()

    result = with_broken_hook.execute_in_process(instance=instance)

    assert result.success
    errored = result.filter_events(EventType.HOOK_ERRORED)
    assert len(errored) == 1 and "hook bug" in errored[0].message


def test_hook_must_take_one_context_argument() -> None:
    with pytest.raises(DefinitionError, match="exactly one argument"):

        @success_hook
        def no_args() -> None: ...


def test_with_hooks_runs_hooks_after_that_node_only(instance: Any) -> None:
    seen: list[str] = []

    @success_hook
    def note(context: Any) -> None:
        seen.append(context.op.name)

    @job
    def two_nodes() -> None:
        ok.with_hooks({note})()
        ok.alias("plain")()
        ok.alias("renamed").with_hooks({note})()

    result = two_nodes.execute_in_process(instance=instance)

    assert result.success
    assert sorted(seen) == ["ok", "renamed"]
    assert sorted(e.step_key for e in result.filter_events(EventType.HOOK_COMPLETED)) == [
        "ok", "renamed"
    ]


def test_with_hooks_refuses_what_is_not_a_hook() -> None:
    with pytest.raises(DefinitionError, match="with_hooks"):
        ok.with_hooks({print})
