"""Dagster submodules that tests commonly import: dagster._core.errors, test_utils, _utils.backoff."""

import dagster as dg
from _transcript import case, check


@case("core_errors")
def _():
    from dagster._core.errors import (
        DagsterError,
        DagsterInvalidDefinitionError,
        DagsterInvariantViolationError,
    )

    check("same_as_top_level", DagsterInvalidDefinitionError is dg.DagsterInvalidDefinitionError)
    check("subclass", issubclass(DagsterInvalidDefinitionError, DagsterError))
    check("invariant_subclass", issubclass(DagsterInvariantViolationError, DagsterError))


@case("test_utils_instance_for_test")
def _():
    from dagster._core.test_utils import instance_for_test

    with instance_for_test() as inst:
        check("is_instance", isinstance(inst, dg.DagsterInstance))


@case("backoff")
def _():
    from dagster._utils.backoff import backoff

    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("again")
        return "ok"

    def no_delay():
        while True:
            yield 0

    value = backoff(flaky, retry_on=(ConnectionError,), max_retries=4, delay_generator=no_delay())
    check("value", value)
    check("calls", len(calls))


@case("from_import_names")
def _():
    from dagster import AssetKey, Definitions, asset

    @asset
    def via_from_import() -> int:
        return 1

    check("key", via_from_import.key == AssetKey("via_from_import"))
    check("defs", isinstance(Definitions(assets=[via_from_import]), Definitions))


@case("unknown_name")
def _():
    from _transcript import expect_error

    expect_error("attr", lambda: dg.ThisNameDoesNotExist, "AttributeError")
