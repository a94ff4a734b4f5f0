"""Calling assets and ops directly: arguments map to parameters as a run would fill them."""

from __future__ import annotations

from typing import Any

import pytest

from headwater import (
    AssetIn,
    Config,
    ConfigurableResource,
    In,
    InvalidInvocationError,
    asset,
    build_asset_context,
    build_op_context,
    op,
)


class Store(ConfigurableResource):
    name: str


class Limits(Config):
    top: int = 3


@asset
def doubled(numbers: list[int]) -> list[int]:
    return [2 * n for n in numbers]


@asset
def named(store: Store) -> str:
    return store.name


@asset
def limited(config: Limits, numbers: list[int]) -> list[int]:
    return numbers[: config.top]


@op
def add(x: int, y: int = 10) -> int:
    return x + y


def test_inputs_go_by_position_or_by_name() -> None:
    assert doubled([1, 2]) == [2, 4]
    assert doubled(numbers=[3]) == [6]
    assert add(1) == 11
    assert add(1, 2) == 3


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: doubled(), ["asset 'doubled'", "['numbers']"]),
        (lambda: doubled([1], [2]), ["asset 'doubled'", "too many"]),
        (lambda: doubled(values=[1]), ["unexpected keyword", "['numbers']"]),
        (lambda: add(1, 2, 3), ["op 'add'", "too many"]),
        (lambda: add(), ["op 'add'", "['x']"]),
    ],
)
def test_a_call_that_does_not_fit_is_an_invalid_invocation(call: Any, words: list[str]) -> None:
    with pytest.raises(InvalidInvocationError) as raised:
        call()
    for word in words:
        assert word in str(raised.value)


def test_resources_come_from_the_call_or_from_the_context() -> None:
    assert named(store=Store(name="given")) == "given"
    context = build_asset_context(resources={"store": Store(name="ctx")})
    assert named(context) == "ctx"
    with pytest.raises(KeyError, match=r"resource 'store'.*build_asset_context\(resources="):
        named()


def test_config_defaults_apply_when_no_config_is_given() -> None:
    assert limited(numbers=[1, 2, 3, 4]) == [1, 2, 3]
    assert limited(Limits(top=1), [5, 6]) == [5]


def test_a_function_taking_a_context_must_be_given_one() -> None:
    @op
    def tagged(context: Any, n: int) -> str:
        return f"{context.run_id}:{n}"

    assert tagged(build_op_context(), 1) == "EPHEMERAL:1"
    assert tagged(context=build_op_context(), n=3) == "EPHEMERAL:3"
    with pytest.raises(InvalidInvocationError, match=r"pass build_op_context\(\)"):
        tagged(n=2)


def test_op_input_defaults_fill_missing_inputs() -> None:
    @op(ins={"n": In(int, default_value=4)})
    def square(n: int) -> int:
        return n * n

    assert square() == 16


def test_kwargs_functions_receive_inputs_declared_in_ins() -> None:
    @asset(ins={"a": AssetIn("plain"), "b": AssetIn(["lake", "raw"])})
    def combined(**kwargs: int) -> list[tuple[str, int]]:
        return sorted(kwargs.items())

    assert combined(a=1, b=2) == [("a", 1), ("b", 2)]
    with pytest.raises(InvalidInvocationError, match=r"\['b'\]"):
        combined(a=1)


def test_a_built_context_executes_the_asset_it_is_passed_to_for_that_call() -> None:
    @asset
    def keyed(context: Any) -> str:
        return context.asset_key.to_user_string()

    context = build_asset_context()

    assert keyed(context) == "keyed"
    assert keyed(context=build_asset_context()) == "keyed"
    assert context.assets_def is None  # unbound again after the call


def test_build_op_context_takes_dagsters_arguments_in_dagsters_order() -> None:
    @op(config_schema={"k": int})
    def configured(context: Any) -> int:
        return context.op_config["k"]

    assert configured(build_op_context(config={"k": 7})) == 7
    assert configured(build_op_context(None, {"k": 8})) == 8
    with pytest.raises(InvalidInvocationError, match="both op_config= and config="):
        build_op_context(op_config={"k": 1}, config={"k": 2})
    with pytest.raises(InvalidInvocationError, match="resources_config"):
        build_op_context(resources_config={"r": {}})
