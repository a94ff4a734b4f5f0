"""Config classes, advanced: Enum, Optional, pydantic Field, Permissive, config in resources, defaults."""

from enum import Enum

import dagster as dg
from _transcript import case, check, expect_error
from pydantic import Field


class Mode(Enum):
    FAST = "fast"
    SLOW = "slow"


class Adv(dg.Config):
    mode: Mode = Mode.FAST
    note: str | None = None
    count: int = Field(default=2, description="how many")
    mapping: dict[str, int] = {}


@dg.asset
def adv(config: Adv) -> list:
    return [config.mode.value, config.note, config.count, dict(config.mapping)]


@case("defaults")
def _():
    check("value", dg.materialize([adv]).output_for_node("adv"))


@case("enum_by_name")
def _():
    result = dg.materialize([adv], run_config={"ops": {"adv": {"config": {"mode": "SLOW", "note": "n", "mapping": {"a": 1}}}}})
    check("value", result.output_for_node("adv"))


@case("enum_object")
def _():
    result = dg.materialize([adv], run_config=dg.RunConfig(ops={"adv": Adv(mode=Mode.SLOW, count=9)}))
    check("value", result.output_for_node("adv"))


@case("bad_enum")
def _():
    expect_error(
        "bad",
        lambda: dg.materialize([adv], run_config={"ops": {"adv": {"config": {"mode": "MEDIUM"}}}}),
        "DagsterInvalidConfigError",
        "DagsterError",
    )


@case("permissive")
def _():
    class Loose(dg.PermissiveConfig):
        known: int = 1

    @dg.asset
    def loose(config: Loose) -> dict:
        return dict(sorted(config.model_dump().items()))

    result = dg.materialize([loose], run_config={"ops": {"loose": {"config": {"known": 5, "extra": "x"}}}})
    check("value", result.output_for_node("loose"))


@case("config_schema_of_class")
def _():
    check("model_fields", sorted(Adv.model_fields))


@case("resource_with_enum")
def _():
    class R(dg.ConfigurableResource):
        mode: Mode = Mode.SLOW

    @dg.asset
    def uses(r: R) -> str:
        return r.mode.value

    check("value", dg.materialize([uses], resources={"r": R()}).output_for_node("uses"))


@case("config_immutability")
def _():
    c = Adv()
    expect_error("assign", lambda: setattr(c, "count", 5), "DagsterInvalidInvocationError", "DagsterError", "TypeError", "ValueError")
