"""Recorded errors in Dagster's shape, for code that imports ``dagster``.

headwater records a step's error as the user's own exception (``cls_name == "ValueError"``) and
its own errors under their neutral names (``TypeCheckError``). Dagster records an error raised
by user code as a ``DagsterExecutionStepExecutionError`` whose *cause* is the user's exception,
and its own errors under Dagster's names (``DagsterTypeCheckDidNotPass``). :func:`install`
makes ``ErrorInfo.from_data`` (every ``step_failure_data.error`` and friends) build the Dagster
shape while :data:`headwater.compat.shapes.ACTIVE` (the ``dagster`` import hook is installed).
What is stored never changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.compat import shapes

USER_CODE_ERROR = "DagsterExecutionStepExecutionError"

# headwater error class -> the Dagster class name a recorded error of it shows
DAGSTER_CLASS_NAMES = {
    "TypeCheckError": "DagsterTypeCheckDidNotPass",
    "DefinitionError": "DagsterInvalidDefinitionError",
    "InvalidConfigError": "DagsterInvalidConfigError",
    "InvalidInvocationError": "DagsterInvalidInvocationError",
    "InvariantViolationError": "DagsterInvariantViolationError",
    "UnknownResourceError": "DagsterUnknownResourceError",
    "UnknownPartitionError": "DagsterUnknownPartitionError",
    "AssetCheckFailedError": "DagsterAssetCheckFailedError",
    "HeadwaterError": "DagsterError",
    "UserCodeError": USER_CODE_ERROR,
}


def dagster_error_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """An ``error`` payload in Dagster's shape: a user-code error becomes a step execution
    error caused by the user's exception; headwater's classes get Dagster's names.

    Example:
        >>> shaped = dagster_error_data({
        ...     "message": "Error in asset 'c': ValueError: broken", "cls_name": "ValueError",
        ...     "user_code": True,
        ... })
        >>> shaped["cls_name"], shaped["message"], shaped["cause"]["message"]
        ('DagsterExecutionStepExecutionError', "Error in asset 'c':", 'broken')
    """
    shaped = dict(data)
    cls_name = data.get("cls_name")
    if data.get("user_code"):
        message = str(data.get("message", ""))
        head, _, rest = message.partition(f": {cls_name}: ")
        user_error = {
            "message": rest or message,
            "cls_name": cls_name,
            "traceback": data.get("traceback") or "",
        }
        shaped.update(
            message=f"{head}:" if rest else message,
            cls_name=USER_CODE_ERROR,
            traceback="",
            cause=user_error,
        )
    elif isinstance(cls_name, str) and cls_name in DAGSTER_CLASS_NAMES:
        shaped["cls_name"] = DAGSTER_CLASS_NAMES[cls_name]
    cause = shaped.get("cause")
    if isinstance(cause, Mapping) and not data.get("user_code"):
        shaped["cause"] = dagster_error_data(cause)
    return shaped


def install() -> None:
    """Make recorded errors read in Dagster's shape (idempotent)."""
    from headwater.events.payloads import ErrorInfo

    original = ErrorInfo.__dict__["from_data"].__func__
    if getattr(original, "_dagster_shape", False):
        return

    def from_data(data: Mapping[str, Any]) -> ErrorInfo:
        result: ErrorInfo = original(dagster_error_data(data) if shapes.ACTIVE else data)
        return result

    from_data._dagster_shape = True  # type: ignore[attr-defined]
    from_data.__doc__ = original.__doc__
    ErrorInfo.from_data = staticmethod(from_data)  # type: ignore[method-assign]
