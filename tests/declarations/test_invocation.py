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


def test_a_context_may_come_first_or_is_built() -> None:
    @op
    def tagged(context: Any, n: int) -> str:
        return f"{context.run_id}:{n}"

    assert tagged(build_op_context(), 1) == "EPHEMERAL:1"
    assert tagged(n=2) == "EPHEMERAL:2"
    assert tagged(context=build_op_context(), n=3) == "EPHEMERAL:3"


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
