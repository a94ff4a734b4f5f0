"""What a step prints is captured to files under the instance and referenced by an event."""

from __future__ import annotations

import sys
from typing import Any

import headwater as hw


@hw.asset
def chatty() -> int:
    print("hello from chatty")
    print("a warning", file=sys.stderr)
    return 1


@hw.asset
def quiet(chatty: int) -> int:
    return chatty + 1


def test_stdout_and_stderr_are_captured_per_step(instance: Any, capsys: Any) -> None:
    result = hw.materialize([chatty, quiet], instance=instance)
    (captured,) = result.filter_events(hw.EventType.LOGS_CAPTURED)  # quiet printed nothing
    assert captured.step_key == "chatty"
    logs = instance.logs_directory
    assert (logs / captured.data["stdout_path"]).read_text() == "hello from chatty\n"
    assert (logs / captured.data["stderr_path"]).read_text() == "a warning\n"
    # the output still reached the terminal
    assert "hello from chatty" in capsys.readouterr().out
    assert sys.stdout is not None and not hasattr(sys.stdout, "path")


def test_output_of_a_failing_step_is_kept(instance: Any) -> None:
    @hw.asset
    def noisy_failure() -> int:
        print("about to fail")
        raise RuntimeError("boom")

    result = hw.materialize([noisy_failure], instance=instance, raise_on_error=False)
    (captured,) = result.filter_events(hw.EventType.LOGS_CAPTURED)
    assert (instance.logs_directory / captured.data["stdout_path"]).read_text() == "about to fail\n"
    types = [e.event_type for e in result.events_for_node("noisy_failure")]
    assert types.index(hw.EventType.LOGS_CAPTURED) < types.index(hw.EventType.STEP_FAILURE)
