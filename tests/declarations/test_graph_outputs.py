"""Graphs with several outputs declared with GraphOut, used by the ops of a job."""

from __future__ import annotations

from typing import Any

import headwater as hw


@hw.op
def emit() -> int:
    return 2


@hw.op(out={"lo": hw.Out(), "hi": hw.Out()})
def split(x: int) -> tuple[int, int]:
    return x - 1, x + 1


@hw.op
def square(x: int) -> int:
    return x * x


@hw.graph(out={"low": hw.GraphOut(), "high": hw.GraphOut(description="the upper bound")})
def bounds(x: int) -> dict[str, Any]:
    lo, hi = split(x)
    return {"low": lo, "high": hi}


def test_graph_out_names_the_outputs_of_a_graph() -> None:
    assert bounds.output_names == ("low", "high")
    assert [o.name for o in bounds.output_defs] == ["low", "high"]
    assert hw.GraphOut(description="d").description == "d"


def test_each_declared_output_feeds_its_own_op(instance: Any) -> None:
    @hw.job
    def squares() -> None:
        low, high = bounds(emit())
        square.alias("square_low")(low)
        square.alias("square_high")(high)

    result = squares.execute_in_process(instance=instance)
    assert result.output_for_node("square_low") == 1
    assert result.output_for_node("square_high") == 9
    assert result.output_for_node("bounds", "high") == 3
