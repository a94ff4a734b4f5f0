"""Nothing-typed dependencies between ops: order without data."""

import dagster as dg
from _transcript import case, check

ORDER = []


@dg.op
def first() -> None:
    ORDER.append("first")


@dg.op(ins={"after": dg.In(dg.Nothing)})
def second() -> str:
    ORDER.append("second")
    return "done"


@dg.op(out=dg.Out(dg.Nothing))
def produces_nothing():
    ORDER.append("produces_nothing")


@case("definition")
def _():
    check("in_type_is_nothing", second.ins["after"].dagster_type.is_nothing)
    check("out_type_is_nothing", produces_nothing.outs["result"].dagster_type.is_nothing)


@case("ordered")
def _():
    @dg.job
    def ordered():
        second(after=first())

    ORDER.clear()
    result = ordered.execute_in_process()
    check("success", result.success)
    check("order", ORDER)
    check("value", result.output_for_node("second"))


@case("fan_in")
def _():
    @dg.job
    def fan_in():
        second(after=[first(), produces_nothing()])

    ORDER.clear()
    result = fan_in.execute_in_process()
    check("success", result.success)
    check("second_last", ORDER[-1])
    check("count", len(ORDER))
