"""Type checks run on every step input and output; results are events; failures fail the step."""

from __future__ import annotations

from typing import Any, Optional

import pytest

import headwater as hw
from headwater import DataType, Nothing, TypeCheck
from headwater.declarations.types import resolve_data_type


def _has_columns(*required: str) -> DataType:
    def check(_: Any, value: Any) -> TypeCheck:
        columns = set(value) if isinstance(value, dict) else set()
        missing = sorted(set(required) - columns)
        return TypeCheck(
            not missing,
            f"missing columns {missing}" if missing else None,
            metadata={"missing": len(missing), "columns": sorted(columns)},
        )

    return DataType(check, name="OrdersTable", description="a dict of columns")


OrdersTable = _has_columns("id", "amount")


@hw.asset(dagster_type=OrdersTable)
def orders() -> dict[str, list[int]]:
    return {"id": [1, 2], "amount": [10, 20]}


@hw.asset(dagster_type=OrdersTable)
def bad_orders() -> dict[str, list[int]]:
    return {"id": [1]}


@hw.asset(ins={"orders": hw.AssetIn(dagster_type=OrdersTable)})
def order_total(orders: Any) -> int:
    return sum(orders["amount"])


def test_custom_type_passes_and_is_recorded_on_the_events(instance: Any) -> None:
    result = hw.materialize([orders, order_total], instance=instance)
    (out,) = [e for e in result.filter_events(hw.EventType.STEP_OUTPUT) if e.step_key == "orders"]
    assert out.data["type_check"]["name"] == "OrdersTable"
    assert out.data["type_check"]["success"] is True
    (step_input,) = result.filter_events(hw.EventType.STEP_INPUT)
    assert step_input.data["type_check"]["name"] == "OrdersTable"
    assert result.output_for_node("order_total") == 30


def test_failing_type_check_fails_the_step_with_its_metadata(instance: Any) -> None:
    result = hw.materialize([bad_orders], instance=instance, raise_on_error=False)
    (failure,) = result.get_step_failure_events()
    assert failure.error["cls_name"] == "TypeCheckError"
    assert "failed its type check 'OrdersTable': missing columns ['amount']" in failure.message
    assert failure.data["metadata"]["missing"] == {"kind": "int", "value": 1}
    assert instance.get_latest_materialization_event(hw.AssetKey("bad_orders")) is None
    with pytest.raises(hw.TypeCheckError):
        hw.materialize([bad_orders], instance=instance)


def test_input_annotations_are_checked(instance: Any) -> None:
    @hw.asset
    def text() -> str:
        return "not a number"

    @hw.asset
    def doubled(text: int) -> int:
        return text * 2

    result = hw.materialize([text, doubled], instance=instance, raise_on_error=False)
    (failure,) = result.get_step_failure_events()
    assert failure.step_key == "doubled"
    assert "Input 'text' of step 'doubled' failed its type check 'int'" in failure.message


def test_a_type_check_that_raises_is_a_clear_user_error(instance: Any) -> None:
    def explode(_: Any, value: Any) -> bool:
        raise KeyError("no such column")

    @hw.asset(dagster_type=DataType(explode, name="Exploding"))
    def thing() -> int:
        return 1

    result = hw.materialize([thing], instance=instance, raise_on_error=False)
    (failure,) = result.get_step_failure_events()
    assert "type check of 'Exploding' raised KeyError" in failure.message
    assert "should return False" in failure.message


def test_nothing_inputs_are_order_only_dependencies(instance: Any) -> None:
    seen: list[str] = []

    @hw.asset
    def refresh_table() -> None:
        seen.append("refresh")

    @hw.asset(ins={"refresh_table": hw.AssetIn(dagster_type=Nothing)})
    def report() -> int:
        seen.append("report")
        return 1

    assert report.dependency_keys == {hw.AssetKey("refresh_table")}
    assert report.input_keys == {}
    hw.materialize([refresh_table, report], instance=instance)
    assert seen == ["refresh", "report"]


@pytest.mark.parametrize(
    ("annotation", "good", "bad"),
    [
        (int, 3, True),
        (float, 1.5, "x"),
        (list[int], [1, 2], [1, "2"]),
        (dict[str, int], {"a": 1}, [("a", 1)]),
        (Optional[int], None, "x"),  # noqa: UP045 - the typing form must work too
        (int | str, "x", 1.5),
        (tuple[int, ...], (1, 2), [1, 2]),
    ],
)
def test_builtin_annotations_map_to_checks(annotation: Any, good: Any, bad: Any) -> None:
    data_type = resolve_data_type(annotation)
    assert data_type is not None
    assert data_type.type_check(None, good).success
    assert not data_type.type_check(None, bad).success


def test_any_and_unresolved_annotations_are_not_checked() -> None:
    assert resolve_data_type(Any) is None
    assert resolve_data_type("SomeForwardRef") is None


def test_direct_invocation_checks_the_returned_value_against_the_annotation() -> None:
    @hw.asset
    def total_as_text(rows: list[int]) -> str:
        return sum(rows)  # type: ignore[return-value]

    @hw.asset
    def total(rows: list[int]) -> int:
        return sum(rows)

    with pytest.raises(hw.TypeCheckError, match="total_as_text"):
        total_as_text([1, 2])
    assert total([1, 2]) == 3


def test_direct_invocation_of_a_result_returning_asset_is_not_type_checked() -> None:
    @hw.asset
    def reported() -> hw.MaterializeResult:
        return hw.MaterializeResult(metadata={"rows": 3})

    assert reported().metadata["rows"].value == 3
