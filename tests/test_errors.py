"""The exception tree: what is under HeadwaterError, what is not, and the user-code boundary."""

from __future__ import annotations

import pytest

from headwater import (
    Failure,
    HeadwaterError,
    InvalidInvocationError,
    PartitionError,
    RetryRequested,
    UnknownPartitionError,
    UserCodeError,
)
from headwater.errors import ArgumentTypeError, user_code_boundary


def test_failure_and_retry_requested_are_signals_outside_the_tree() -> None:
    assert not issubclass(Failure, HeadwaterError)
    assert not issubclass(RetryRequested, HeadwaterError)
    assert issubclass(Failure, Exception) and issubclass(RetryRequested, Exception)


@pytest.mark.parametrize(
    "raised", [Failure("gave up"), RetryRequested(max_retries=2), PartitionError("bad key")]
)
def test_the_user_code_boundary_lets_signals_and_headwater_errors_through(
    raised: Exception,
) -> None:
    with pytest.raises(type(raised)) as caught, user_code_boundary("the body of asset 'a'"):
        raise raised
    assert caught.value is raised


def test_the_user_code_boundary_wraps_other_exceptions_keeping_the_original() -> None:
    with (
        pytest.raises(UserCodeError, match=r"asset 'a': KeyError") as caught,
        user_code_boundary("the body of asset 'a'"),
    ):
        {}["missing"]
    assert isinstance(caught.value.original, KeyError)
    assert "KeyError" in caught.value.user_traceback


def test_new_classes_sit_where_their_kind_belongs() -> None:
    assert issubclass(UnknownPartitionError, PartitionError)
    assert issubclass(InvalidInvocationError, HeadwaterError)
    assert issubclass(ArgumentTypeError, TypeError)
    assert not issubclass(ArgumentTypeError, HeadwaterError)


def test_reading_an_unbound_resource_is_an_unknown_resource_error_and_an_attribute_error() -> None:
    from headwater import UnknownResourceError, build_init_resource_context

    resources = build_init_resource_context(resources={"other": 1}).resources
    with pytest.raises(UnknownResourceError, match="No resource 'db'") as raised:
        resources.db  # noqa: B018
    assert isinstance(raised.value, AttributeError)
    assert not hasattr(resources, "db")
