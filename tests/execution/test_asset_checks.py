"""Asset checks: standalone, in-step, multi, blocking, history, selection and factories."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from headwater import (
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetSelection,
    DefinitionError,
    Definitions,
    DuplicateKeyError,
    EventType,
    Instance,
    MaterializeResult,
    MetadataValue,
    Output,
    TableColumn,
    TableSchema,
    asset,
    asset_check,
    build_asset_check_context,
    build_column_schema_change_checks,
    build_last_update_freshness_checks,
    build_metadata_bounds_checks,
    define_asset_job,
    materialize,
    multi_asset_check,
)

ORDERS = AssetKey("orders")


@asset
def orders() -> list[int]:
    return [3, 1, -2]


@asset
def report(orders: list[int]) -> int:
    return sum(orders)


@asset_check(asset=orders)
def orders_not_empty(orders: list[int]) -> AssetCheckResult:
    return AssetCheckResult(passed=len(orders) > 0, metadata={"rows": len(orders)})


def _all_positive(blocking: bool, severity: AssetCheckSeverity) -> Any:
    @asset_check(asset=orders, blocking=blocking, name="all_positive")
    def check(orders: list[int]) -> AssetCheckResult:
        return AssetCheckResult(passed=min(orders) > 0, severity=severity)

    return check


def _evaluations(result: Any) -> dict[str, dict[str, Any]]:
    return {
        e.data["check_name"]: dict(e.data)
        for e in result.all_events
        if e.event_type is EventType.ASSET_CHECK_EVALUATION
    }


def _types_by_step(result: Any) -> dict[str, list[EventType]]:
    out: dict[str, list[EventType]] = {}
    for e in result.all_events:
        if e.step_key:
            out.setdefault(e.step_key, []).append(e.event_type)
    return out


@pytest.fixture
def inst(instance: Any) -> Iterator[Instance]:
    yield instance


def test_standalone_check_passes_after_its_asset(inst: Instance) -> None:
    result = materialize([orders, orders_not_empty], instance=inst)
    evaluation = _evaluations(result)["orders_not_empty"]
    assert evaluation["passed"] is True
    assert evaluation["severity"] == "ERROR"
    assert evaluation["metadata"]["rows"]["value"] == 3
    assert evaluation["target_materialization_storage_id"] is not None
    steps = [e.step_key for e in result.all_events if e.event_type is EventType.STEP_SUCCESS]
    assert steps == ["orders", "orders_orders_not_empty"]
    latest = inst.get_latest_asset_check_evaluation(orders_not_empty.check_key)
    assert latest is not None and latest.passed and latest.metadata["rows"].value == 3


def test_failed_non_blocking_check_does_not_fail_the_run(inst: Instance) -> None:
    check = _all_positive(blocking=False, severity=AssetCheckSeverity.ERROR)
    result = materialize([orders, report, check], instance=inst)
    assert result.success
    assert _evaluations(result)["all_positive"]["passed"] is False
    assert result.output_for_node("report") == 2


def test_blocking_check_failure_skips_downstream(inst: Instance) -> None:
    check = _all_positive(blocking=True, severity=AssetCheckSeverity.ERROR)
    result = materialize([orders, report, check], instance=inst, raise_on_error=False)
    assert not result.success
    assert _evaluations(result)["all_positive"]["passed"] is False
    skipped = [e for e in result.all_events if e.event_type is EventType.STEP_SKIPPED]
    assert [e.step_key for e in skipped] == ["report"]
    assert "orders:all_positive" in skipped[0].message
    assert skipped[0].data["blocking_checks"] == ["orders:all_positive"]
    failure = next(e for e in result.all_events if e.event_type is EventType.STEP_FAILURE)
    assert failure.step_key == "orders_all_positive"
    assert failure.error is not None and failure.error["cls_name"] == "AssetCheckFailedError"


def test_blocking_warn_failure_does_not_skip_downstream(inst: Instance) -> None:
    check = _all_positive(blocking=True, severity=AssetCheckSeverity.WARN)
    result = materialize([orders, report, check], instance=inst)
    assert result.success
    assert _evaluations(result)["all_positive"]["severity"] == "WARN"
    order = [e.step_key for e in result.all_events if e.event_type is EventType.STEP_SUCCESS]
    assert order == ["orders", "orders_all_positive", "report"]  # report waited for the check


def test_check_specs_on_an_asset_yield_results_in_its_step(inst: Instance) -> None:
    @asset(check_specs=[AssetCheckSpec("has_rows", asset="numbers")])
    def numbers() -> Iterator[Any]:
        yield Output([1, 2])
        yield AssetCheckResult(passed=True, metadata={"rows": 2})

    @asset(check_specs=[AssetCheckSpec("positive", asset="summary", blocking=True)])
    def summary() -> MaterializeResult:
        return MaterializeResult(metadata={"n": 1}, check_results=[AssetCheckResult(passed=False)])

    @asset(deps=[summary])
    def after_summary() -> int:
        return 1

    result = materialize([numbers, summary, after_summary], instance=inst, raise_on_error=False)
    evaluations = _evaluations(result)
    assert evaluations["has_rows"]["passed"] is True
    assert evaluations["positive"]["passed"] is False
    steps = _types_by_step(result)
    assert EventType.ASSET_MATERIALIZATION in steps["summary"]  # materialized, then failed
    assert EventType.STEP_FAILURE in steps["summary"]
    assert steps["after_summary"] == [EventType.STEP_SKIPPED]
    assert numbers.check_keys == {AssetCheckKey(AssetKey("numbers"), "has_rows")}


def test_multi_asset_check_yields_several_results(inst: Instance) -> None:
    @multi_asset_check(
        specs=[
            AssetCheckSpec("small", asset=orders),
            AssetCheckSpec("has_negative", asset=orders),
        ],
        ins={"orders": ORDERS},
    )
    def order_checks(orders: list[int]) -> Iterator[AssetCheckResult]:
        yield AssetCheckResult(check_name="small", passed=len(orders) < 10)
        yield AssetCheckResult(
            check_name="has_negative", passed=min(orders) < 0, severity=AssetCheckSeverity.WARN
        )

    result = materialize([orders, order_checks], instance=inst)
    evaluations = _evaluations(result)
    assert evaluations["small"]["passed"] is True
    assert evaluations["has_negative"]["passed"] is True
    assert evaluations["has_negative"]["severity"] == "WARN"


def test_asset_check_parameter_of_any_name_receives_the_checked_asset(inst: Instance) -> None:
    @asset_check(asset=orders)
    def not_empty(asset_value: list[int]) -> AssetCheckResult:
        return AssetCheckResult(passed=len(asset_value) > 0, metadata={"n": len(asset_value)})

    evaluations = _evaluations(materialize([orders, not_empty], instance=inst))
    assert evaluations["not_empty"]["passed"] is True


def test_asset_check_with_a_second_unknown_parameter_is_refused() -> None:
    with pytest.raises(DefinitionError, match="parameter 'other' is not the checked asset"):

        @asset_check(asset=orders)
        def two_values(asset_value: list[int], other: int) -> AssetCheckResult:
            return AssetCheckResult(passed=True)


def test_multi_asset_check_loads_a_parameter_named_after_a_checked_asset(
    inst: Instance,
) -> None:
    @multi_asset_check(
        specs=[AssetCheckSpec("small", asset="orders"), AssetCheckSpec("any", asset="orders")]
    )
    def by_name(orders: list[int]) -> Iterator[AssetCheckResult]:
        yield AssetCheckResult(check_name="small", passed=len(orders) < 10)
        yield AssetCheckResult(check_name="any", passed=len(orders) > 0)

    evaluations = _evaluations(materialize([orders, by_name], instance=inst))
    assert evaluations["small"]["passed"] is True
    assert evaluations["any"]["passed"] is True


def test_multi_asset_check_parameter_naming_no_checked_asset_is_refused() -> None:
    with pytest.raises(DefinitionError, match="'elsewhere' is not in ins="):

        @multi_asset_check(specs=[AssetCheckSpec("small", asset="orders")])
        def unknown(elsewhere: list[int]) -> Iterator[AssetCheckResult]:
            yield AssetCheckResult(check_name="small", passed=True)


def test_check_returning_no_result_fails_clearly(inst: Instance) -> None:
    @asset_check(asset=orders)
    def forgot_to_return(orders: list[int]) -> None:
        pass

    result = materialize([orders, forgot_to_return], instance=inst, raise_on_error=False)
    failure = next(e for e in result.all_events if e.event_type is EventType.STEP_FAILURE)
    assert failure.step_key == "orders_forgot_to_return"
    assert "returned no AssetCheckResult" in failure.message
    assert "orders:forgot_to_return" in failure.message
    assert not _evaluations(result)


def test_check_that_raises_fails_the_step_without_an_evaluation(inst: Instance) -> None:
    @asset_check(asset=orders)
    def broken(orders: list[int]) -> AssetCheckResult:
        raise ValueError("cannot check")

    result = materialize([orders, broken], instance=inst, raise_on_error=False)
    failure = next(e for e in result.all_events if e.event_type is EventType.STEP_FAILURE)
    assert failure.error is not None and failure.error["cls_name"] == "ValueError"
    assert inst.get_latest_asset_check_evaluation(broken.check_key) is None


def test_check_selected_alone_loads_the_stored_asset(inst: Instance) -> None:
    materialize([orders], instance=inst)
    result = materialize(
        [orders, orders_not_empty], instance=inst, selection=[orders_not_empty.check_key]
    )
    assert [e.step_key for e in result.all_events if e.event_type is EventType.STEP_START] == [
        "orders_orders_not_empty"
    ]
    assert _evaluations(result)["orders_not_empty"]["passed"] is True


def test_selecting_an_asset_includes_its_checks(inst: Instance) -> None:
    result = materialize([orders, report, orders_not_empty], instance=inst, selection="orders")
    assert set(_evaluations(result)) == {"orders_not_empty"}
    assert "report" not in _types_by_step(result)


def test_a_job_of_checks_for_assets_runs_the_checks_without_the_assets(inst: Instance) -> None:
    materialize([orders], instance=inst)
    only_checks = define_asset_job("only_checks", AssetSelection.checks_for_assets(orders))
    with_report = define_asset_job(
        "with_report", AssetSelection.checks_for_assets(orders) | AssetSelection.assets(report)
    )
    defs = Definitions(
        assets=[orders, report], asset_checks=[orders_not_empty], jobs=[only_checks, with_report]
    )

    result = defs.get_job_def("only_checks").execute_in_process(instance=inst)
    again = defs.get_job_def("with_report").execute_in_process(instance=inst)

    assert result.get_asset_materialization_events() == []
    assert _evaluations(result)["orders_not_empty"]["passed"] is True
    assert [e.asset_key for e in again.get_asset_materialization_events()] == [AssetKey("report")]
    assert set(_evaluations(again)) == {"orders_not_empty"}


def test_the_asset_graph_knows_every_check_key() -> None:
    @asset(check_specs=[AssetCheckSpec("in_step", asset="with_spec")])
    def with_spec() -> int:
        return 1

    graph = Definitions(
        assets=[orders, with_spec], asset_checks=[orders_not_empty]
    ).resolve_asset_graph()

    assert graph.asset_check_keys == {
        orders_not_empty.check_key,
        AssetCheckKey(AssetKey("with_spec"), "in_step"),
    }


def test_history_and_latest_are_queryable(inst: Instance) -> None:
    check = _all_positive(blocking=False, severity=AssetCheckSeverity.ERROR)
    for _ in range(3):
        materialize([orders, check], instance=inst)
    history = inst.get_asset_check_evaluations(check.check_key)
    assert len(history) == 3
    assert [h.storage_id for h in history] == sorted((h.storage_id for h in history), reverse=True)
    assert len(inst.get_asset_check_evaluations(check.check_key, limit=2)) == 2
    latest = inst.get_latest_asset_check_evaluation(check.check_key)
    assert latest == history[0]
    assert latest is not None and not latest.passed and latest.check_key == check.check_key
    assert inst.get_latest_asset_check_evaluation(AssetCheckKey(ORDERS, "nope")) is None


def test_definitions_validate_checks() -> None:
    @asset_check(asset="missing")
    def on_missing() -> AssetCheckResult:
        return AssetCheckResult(passed=True)

    with pytest.raises(DefinitionError, match=r"on_missing.*'missing'.*not defined"):
        Definitions(assets=[orders], asset_checks=[on_missing])

    @asset_check(asset=orders, name="orders_not_empty")
    def duplicate() -> AssetCheckResult:
        return AssetCheckResult(passed=True)

    with pytest.raises(DuplicateKeyError, match="orders:orders_not_empty"):
        Definitions(assets=[orders], asset_checks=[orders_not_empty, duplicate])
    defs = Definitions(assets=[orders, orders_not_empty])
    assert defs.get_asset_checks_def(orders_not_empty.check_key) is orders_not_empty


def test_check_parameters_beyond_the_checked_asset_must_be_in_additional_ins() -> None:
    with pytest.raises(DefinitionError, match="additional_ins"):

        @asset_check(asset=orders)
        def wrong(orders: list[int], rows: list[int]) -> AssetCheckResult:
            return AssetCheckResult(passed=True)


def test_direct_invocation_with_check_context() -> None:
    @asset_check(asset=orders)
    def uses_resource(context: Any) -> AssetCheckResult:
        return AssetCheckResult(passed=context.resources.limit > 1)

    result = uses_resource(build_asset_check_context(resources={"limit": 2}))
    assert isinstance(result, AssetCheckResult) and result.passed


def test_metadata_bounds_checks(inst: Instance) -> None:
    @asset
    def rows() -> MaterializeResult:
        return MaterializeResult(metadata={"row_count": 120})

    in_bounds, out_of_bounds = (
        build_metadata_bounds_checks(assets=[rows], metadata_key="row_count", max_value=m)[0]
        for m in (200, 100)
    )
    assert materialize([rows, in_bounds], instance=inst).success
    assert inst.get_latest_asset_check_evaluation(in_bounds.check_key).passed  # type: ignore[union-attr]
    materialize([rows, out_of_bounds], instance=inst)
    latest = inst.get_latest_asset_check_evaluation(out_of_bounds.check_key)
    assert latest is not None and not latest.passed and latest.metadata["value"].value == 120


def test_column_schema_change_checks(inst: Instance) -> None:
    columns = {"value": ["id"]}

    @asset
    def table() -> MaterializeResult:
        schema = TableSchema(columns=[TableColumn(name=c, type="int") for c in columns["value"]])
        return MaterializeResult(metadata={"columns": MetadataValue.table_schema(schema)})

    (check,) = build_column_schema_change_checks(assets=[table])
    materialize([table, check], instance=inst)
    materialize([table, check], instance=inst)
    assert inst.get_latest_asset_check_evaluation(check.check_key).passed  # type: ignore[union-attr]
    columns["value"] = ["id", "amount"]
    materialize([table, check], instance=inst)
    latest = inst.get_latest_asset_check_evaluation(check.check_key)
    assert latest is not None and not latest.passed
    assert latest.severity is AssetCheckSeverity.WARN
    assert latest.metadata["added_columns"].value == ["amount"]


def test_last_update_freshness_checks(inst: Instance) -> None:
    (fresh,) = build_last_update_freshness_checks(
        assets=[orders], lower_bound_delta=timedelta(hours=1)
    )
    materialize([orders], instance=inst)
    materialize([orders, fresh], instance=inst, selection=[fresh.check_key])
    assert inst.get_latest_asset_check_evaluation(fresh.check_key).passed  # type: ignore[union-attr]
    (stale,) = build_last_update_freshness_checks(
        assets=[orders], lower_bound_delta=timedelta(seconds=0)
    )
    materialize([orders, stale], instance=inst, selection=[stale.check_key])
    latest = inst.get_latest_asset_check_evaluation(stale.check_key)
    assert latest is not None and not latest.passed
