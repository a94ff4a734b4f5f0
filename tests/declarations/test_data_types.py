"""DataType names and checking values outside a run."""

from __future__ import annotations

import pytest

from headwater import DataType, TypeCheck, UserCodeError, check_data_type


def _even(_context: object, value: object) -> bool | TypeCheck:
    if not isinstance(value, int):
        return TypeCheck(False, "not an int", metadata={"got": type(value).__name__})
    return value % 2 == 0


EVEN = DataType(_even, name="Even", description="an even int")


def test_a_data_type_has_one_name_for_identity_and_display() -> None:
    assert (EVEN.name, EVEN.unique_name, EVEN.display_name) == ("Even", "Even", "Even")
    assert DataType(_even).unique_name == "_even"  # defaults to the function's name


def test_check_data_type_runs_the_check_outside_a_run() -> None:
    assert check_data_type(EVEN, 4).success
    assert not check_data_type(EVEN, 3).success
    failed = check_data_type(EVEN, "x")
    assert (failed.success, failed.description) == (False, "not an int")
    assert failed.metadata["got"].value == "str"


def test_check_data_type_takes_python_annotations() -> None:
    assert check_data_type(int, 3).success
    assert not check_data_type(int, "3").success
    assert not check_data_type(int, True).success  # a bool is not an int here
    assert check_data_type(list[int], [1, 2]).success
    assert not check_data_type(list[int], [1, "2"]).success
    assert check_data_type(int | None, None).success
    assert check_data_type("SomeForwardRef", object()).success  # unresolvable: unchecked


def test_a_check_function_that_raises_is_a_user_code_error() -> None:
    def broken(_context: object, value: object) -> bool:
        raise RuntimeError("boom")

    with pytest.raises(UserCodeError, match="should return False"):
        check_data_type(DataType(broken, name="Broken"), 1)
