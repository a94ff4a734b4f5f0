"""Dynamic outputs: fan out with .map(), fan in with .collect()."""

from __future__ import annotations

from typing import Any

import pytest

from headwater import DefinitionError, DynamicOut, DynamicOutput, EventType, job, op


@op(out=DynamicOut())
def files() -> Any:
    for name in ["a", "b", "c"]:
        yield DynamicOutput(name * 2, mapping_key=name)


@op
def upper(text: str) -> str:
    return text.upper()


@op
def exclaim(text: str) -> str:
    return text + "!"


@op
def join(parts: list[str]) -> str:
    return ",".join(parts)


def test_map_runs_once_per_mapping_key_and_collect_gathers_in_order(instance: Any) -> None:
    @job
    def fan() -> None:
        join(files().map(lambda f: exclaim(upper(f))).collect())

    result = fan.execute_in_process(instance=instance)

    assert result.output_for_node("join") == "AA!,BB!,CC!"
    assert result.output_for_node("upper") == {"a": "AA", "b": "BB", "c": "CC"}
    assert result.output_for_node("exclaim[b]") == "BB!"
    started = [e.step_key for e in instance.all_logs(result.run_id, of_type=EventType.STEP_START)]
    assert started == [
        "files", "upper[a]", "upper[b]", "upper[c]", "exclaim[a]", "exclaim[b]", "exclaim[c]",
        "join",
    ]  # fmt: skip


def test_collect_of_a_dynamic_output_directly(instance: Any) -> None:
    @job
    def gather() -> None:
        join(files().collect())

    assert gather.execute_in_process(instance=instance).output_for_node("join") == "aa,bb,cc"


def test_duplicate_mapping_keys_fail_the_step_with_a_clear_error(instance: Any) -> None:
    @op(out=DynamicOut())
    def duplicated() -> Any:
        yield DynamicOutput(1, mapping_key="same")
        yield DynamicOutput(2, mapping_key="same")

    @job
    def dup() -> None:
        duplicated().map(upper)

    result = dup.execute_in_process(instance=instance, raise_on_error=False)

    assert result.get_failed_step_keys() == {"duplicated"}
    message = result.get_step_failure_events()[0].message
    assert "mapping key 'same' twice" in message
    assert result.get_skipped_step_keys() == {"upper"}


def test_failed_mapped_step_skips_the_collecting_step(instance: Any) -> None:
    @op
    def picky(text: str) -> str:
        if text == "bb":
            raise ValueError("not bb")
        return text

    @job
    def partly() -> None:
        join(files().map(picky).collect())

    result = partly.execute_in_process(instance=instance, raise_on_error=False)

    assert result.get_failed_step_keys() == {"picky[b]"}
    assert result.get_skipped_step_keys() == {"join"}
    assert result.output_for_node("picky[c]") == "cc"


def test_no_dynamic_values_collects_an_empty_list(instance: Any) -> None:
    @op(out=DynamicOut())
    def nothing() -> list[DynamicOutput[str]]:
        return []

    @job
    def empty() -> None:
        join(nothing().map(upper).collect())

    assert empty.execute_in_process(instance=instance).output_for_node("join") == ""


def test_invalid_mapping_key_and_unmapped_use_are_errors() -> None:
    with pytest.raises(DefinitionError, match="mapping_key"):
        DynamicOutput(1, mapping_key="a-b")
    with pytest.raises(DefinitionError, match=r"\.map"):

        @job
        def direct() -> None:
            upper(files())
