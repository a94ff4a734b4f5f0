"""What an event carries, by kind: typed views of an event record's ``data``.

``EventLogEntry.event_specific_data`` (:mod:`headwater.events.records`) builds one of these from
the stored JSON on each access; they are never stored themselves.

============================== =============================================================
event type                     payload
============================== =============================================================
``STEP_FAILURE``               :class:`StepFailureData`
``STEP_UP_FOR_RETRY``          :class:`StepRetryData`
``STEP_INPUT``                 :class:`StepInputData`
``STEP_OUTPUT``                :class:`StepOutputData`
``LOADED_INPUT``               :class:`LoadedInputData`
``HANDLED_OUTPUT``             :class:`HandledOutputData`
``ASSET_MATERIALIZATION``      :class:`StepMaterializationData`
``ASSET_OBSERVATION``          :class:`AssetObservationData`
``ASSET_MATERIALIZATION_PLANNED`` :class:`AssetMaterializationPlannedData`
``ASSET_CHECK_EVALUATION``     :class:`~headwater.AssetCheckEvaluation`
``RUN_FAILURE``                :class:`RunFailureData`
anything else                  ``None``
============================== =============================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from headwater.declarations.results import AssetMaterialization, AssetObservation
from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.metadata import MetadataValue, metadata_from_json

if TYPE_CHECKING:
    from headwater.events.records import EventLogEntry


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorInfo:
    """An exception as recorded in the event log (the exception object itself is not kept).

    Attributes:
        message: the exception's text.
        cls_name: the class name of the exception the user's code raised (``"ValueError"``),
            ``None`` when unknown.
        stack: the formatted traceback, one string per line (each ending with a newline).
        cause: the exception this one was raised from, when it was recorded.

    Example:
        >>> info = ErrorInfo.from_data({"message": "boom", "cls_name": "ValueError"})
        >>> info.to_string()
        'ValueError: boom\\n'
    """

    message: str
    cls_name: str | None = None
    stack: Sequence[str] = ()
    cause: ErrorInfo | None = None

    def to_string(self) -> str:
        """The error as text: class and message, its traceback, then its cause's."""
        head = f"{self.cls_name}: {self.message}" if self.cls_name else self.message
        text = head.rstrip("\n") + "\n" + "".join(self.stack)
        if self.cause is not None:
            text += "\nThe above exception was caused by:\n\n" + self.cause.to_string()
        return text

    @staticmethod
    def from_data(data: Mapping[str, Any]) -> ErrorInfo:
        """Read the ``error`` payload of a failure event.

        Args:
            data: ``{"message", "cls_name", "traceback"}`` (a traceback string) and optionally
                ``"cause"``, a payload of the same shape.
        """
        cause = data.get("cause")
        return ErrorInfo(
            message=str(data.get("message", "")),
            cls_name=data.get("cls_name"),
            stack=tuple(str(data.get("traceback") or "").splitlines(keepends=True)),
            cause=ErrorInfo.from_data(cause) if isinstance(cause, Mapping) else None,
        )


def _error(data: Mapping[str, Any]) -> ErrorInfo | None:
    raw = data.get("error")
    return ErrorInfo.from_data(raw) if isinstance(raw, Mapping) else None


@dataclass(frozen=True, slots=True, kw_only=True)
class UserFailureData:
    """What user code said when it raised :class:`~headwater.Failure`.

    Attributes:
        description: the failure's description.
        metadata: the failure's metadata.
    """

    description: str | None
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class StepFailureData:
    """Why a step failed (``STEP_FAILURE``).

    Attributes:
        error: the exception, or ``None`` when none was recorded.
        user_failure_data: set when user code raised :class:`~headwater.Failure`.
    """

    error: ErrorInfo | None
    user_failure_data: UserFailureData | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StepRetryData:
    """A failed attempt that will be retried (``STEP_UP_FOR_RETRY``).

    Attributes:
        error: the exception of the failed attempt.
        seconds_to_wait: the delay before the next attempt.
        retry_number: 1 for the first retry.
    """

    error: ErrorInfo | None
    seconds_to_wait: float | None = None
    retry_number: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TypeCheckData:
    """The result of checking a value against its :class:`~headwater.DataType`.

    Attributes:
        success: whether the value passed.
        description: why it did not, when the check said so.
        metadata: metadata the check attached.
        type_name: the name of the type checked against.
    """

    success: bool
    description: str | None = None
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)
    type_name: str | None = None


def _type_check(data: Mapping[str, Any]) -> TypeCheckData | None:
    raw = data.get("type_check")
    if not isinstance(raw, Mapping):
        return None
    return TypeCheckData(
        success=bool(raw.get("success")),
        description=raw.get("description"),
        metadata=metadata_from_json(raw.get("metadata")),
        type_name=raw.get("name"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class StepOutputData:
    """An output a step yielded (``STEP_OUTPUT``).

    Attributes:
        output_name: the output.
        type_check_data: the check of the value against the output's type, if one ran.
    """

    output_name: str
    type_check_data: TypeCheckData | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StepInputData:
    """An input a step received (``STEP_INPUT``).

    Attributes:
        input_name: the input.
        type_check_data: the check of the value against the input's type, if one ran.
    """

    input_name: str
    type_check_data: TypeCheckData | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HandledOutputData:
    """An output stored by an IO manager (``HANDLED_OUTPUT``).

    Attributes:
        output_name: the output.
        manager_key: the resource key of the IO manager.
        metadata: what the IO manager reported (for example the ``path``).
    """

    output_name: str
    manager_key: str
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class LoadedInputData:
    """An input loaded by an IO manager or input manager (``LOADED_INPUT``).

    Attributes:
        input_name: the input.
        manager_key: the resource key of the manager that loaded it.
        metadata: what the manager reported.
    """

    input_name: str
    manager_key: str
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class StepMaterializationData:
    """A materialization (``ASSET_MATERIALIZATION``).

    Attributes:
        materialization: the asset, partition, metadata, description and tags recorded.
    """

    materialization: AssetMaterialization


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetObservationData:
    """An observation (``ASSET_OBSERVATION``).

    Attributes:
        asset_observation: the asset, partition, metadata, description and tags recorded.
    """

    asset_observation: AssetObservation


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetMaterializationPlannedData:
    """An asset that a run intends to materialize (``ASSET_MATERIALIZATION_PLANNED``).

    Attributes:
        asset_key: the asset.
        partition: the partition, when the run targets one.
    """

    asset_key: AssetKey
    partition: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RunFailureData:
    """Why a run failed (``RUN_FAILURE``).

    Attributes:
        error: an error outside any step (for example a resource that failed to start).
        failed_steps: the keys of the steps that failed.
    """

    error: ErrorInfo | None = None
    failed_steps: Sequence[str] = ()


def event_payload(entry: EventLogEntry) -> Any:
    """The typed payload of ``entry`` (see the table in this module's docstring), or ``None``."""
    build = _BUILDERS.get(entry.event_type)
    return build(entry) if build is not None else None


def _step_failure(entry: EventLogEntry) -> StepFailureData:
    error = _error(entry.data)
    user = None
    # Failure is recorded unwrapped, under its own class name, with its metadata beside it.
    if error is not None and error.cls_name == "Failure":
        metadata = metadata_from_json(entry.data.get("metadata"))
        user = UserFailureData(description=error.message or None, metadata=metadata)
    return StepFailureData(error=error, user_failure_data=user)


def _step_retry(entry: EventLogEntry) -> StepRetryData:
    data = entry.data
    return StepRetryData(error=_error(data), seconds_to_wait=data.get("seconds_to_wait"),
                         retry_number=data.get("retry_number"))  # fmt: skip


def _step_output(entry: EventLogEntry) -> StepOutputData:
    return StepOutputData(output_name=str(entry.data.get("output_name", "result")),
                          type_check_data=_type_check(entry.data))  # fmt: skip


def _step_input(entry: EventLogEntry) -> StepInputData:
    return StepInputData(input_name=str(entry.data.get("input_name", "")),
                         type_check_data=_type_check(entry.data))  # fmt: skip


def _handled_output(entry: EventLogEntry) -> HandledOutputData:
    data = entry.data
    return HandledOutputData(output_name=str(data.get("output_name", "result")),
                             manager_key=str(data.get("manager_key", "")),
                             metadata=metadata_from_json(data.get("metadata")))  # fmt: skip


def _loaded_input(entry: EventLogEntry) -> LoadedInputData:
    data = entry.data
    return LoadedInputData(input_name=str(data.get("input_name", "")),
                           manager_key=str(data.get("manager_key", "")),
                           metadata=metadata_from_json(data.get("metadata")))  # fmt: skip


def _materialization(entry: EventLogEntry) -> StepMaterializationData | None:
    mat = entry.asset_materialization
    return StepMaterializationData(materialization=mat) if mat is not None else None


def _observation(entry: EventLogEntry) -> AssetObservationData | None:
    obs = entry.asset_observation
    return AssetObservationData(asset_observation=obs) if obs is not None else None


def _planned(entry: EventLogEntry) -> AssetMaterializationPlannedData | None:
    if entry.asset_key is None:
        return None
    return AssetMaterializationPlannedData(asset_key=entry.asset_key, partition=entry.partition)


def _check_evaluation(entry: EventLogEntry) -> Any:
    if entry.asset_key is None:
        return None
    from headwater.declarations.checks.definition import AssetCheckEvaluation

    return AssetCheckEvaluation.from_event(
        entry.asset_key, entry.data, run_id=entry.run_id, timestamp=entry.timestamp
    )


def _run_failure(entry: EventLogEntry) -> RunFailureData:
    steps = tuple(str(s) for s in entry.data.get("failed_steps", ()))
    return RunFailureData(error=_error(entry.data), failed_steps=steps)


_BUILDERS: dict[EventType, Callable[[EventLogEntry], Any]] = {
    EventType.STEP_FAILURE: _step_failure,
    EventType.STEP_UP_FOR_RETRY: _step_retry,
    EventType.STEP_OUTPUT: _step_output,
    EventType.STEP_INPUT: _step_input,
    EventType.HANDLED_OUTPUT: _handled_output,
    EventType.LOADED_INPUT: _loaded_input,
    EventType.ASSET_MATERIALIZATION: _materialization,
    EventType.ASSET_OBSERVATION: _observation,
    EventType.ASSET_MATERIALIZATION_PLANNED: _planned,
    EventType.ASSET_CHECK_EVALUATION: _check_evaluation,
    EventType.RUN_FAILURE: _run_failure,
}
