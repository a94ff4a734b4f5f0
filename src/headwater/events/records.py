"""The event record stored in the event log, and its JSON form."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from headwater.declarations.results import AssetMaterialization, AssetObservation
from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.metadata import metadata_from_json, metadata_to_json

if TYPE_CHECKING:
    from headwater.declarations.checks.definition import AssetCheckEvaluation
    from headwater.events.payloads import (
        AssetObservationData,
        StepFailureData,
        StepMaterializationData,
        StepOutputData,
        StepRetryData,
    )

_E = TypeVar("_E", AssetMaterialization, AssetObservation)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventLogEntry:
    """One event of a run (or a run-less asset event), as stored in the event log.

    Attributes:
        run_id: the run the event belongs to (``""`` for run-less asset events).
        timestamp: seconds since the epoch (float, UTC).
        event_type: the kind of event; ``EventType.LOG_MESSAGE`` for log lines.
        message: human-readable text.
        level: a ``logging`` level (``logging.INFO`` for most events).
        job_name: the job of the run.
        step_key: the step that emitted it, or ``None`` for run-level events.
        asset_key: the asset concerned, for asset events and the step events of an asset.
        partition: the partition key, when partitioned.
        data: event-specific JSON-able data (e.g. ``{"metadata": ..., "description": ...}`` of a
            materialization, ``{"error": {...}}`` of a failure, ``{"output_name": ...}``).
    """

    run_id: str
    timestamp: float
    event_type: EventType
    message: str = ""
    level: int = logging.INFO
    job_name: str | None = None
    step_key: str | None = None
    asset_key: AssetKey | None = None
    partition: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    # -- Dagster-style conveniences ----------------------------------------------------------
    @property
    def event_type_value(self) -> str:
        """The event type as a string."""
        return self.event_type.value

    @property
    def is_step_success(self) -> bool:
        """Whether this is STEP_SUCCESS."""
        return self.event_type is EventType.STEP_SUCCESS

    @property
    def is_step_failure(self) -> bool:
        """Whether this is STEP_FAILURE."""
        return self.event_type is EventType.STEP_FAILURE

    @property
    def is_failure(self) -> bool:
        """Whether this is a step or run failure."""
        return self.event_type in (EventType.STEP_FAILURE, EventType.RUN_FAILURE)

    @property
    def asset_materialization(self) -> AssetMaterialization | None:
        """The materialization carried by an ASSET_MATERIALIZATION event, else ``None``."""
        return self._asset_event(EventType.ASSET_MATERIALIZATION, AssetMaterialization)

    @property
    def asset_observation(self) -> AssetObservation | None:
        """The observation carried by an ASSET_OBSERVATION event, else ``None``."""
        return self._asset_event(EventType.ASSET_OBSERVATION, AssetObservation)

    def _asset_event(self, kind: EventType, cls: type[_E]) -> _E | None:
        if self.event_type is not kind or self.asset_key is None:
            return None
        return cls(
            asset_key=self.asset_key,
            description=self.data.get("description"),
            metadata=metadata_from_json(self.data.get("metadata")),
            partition=self.partition,
            tags=self.data.get("tags") or {},
        )

    @property
    def materialization(self) -> AssetMaterialization | None:
        """Alias of :attr:`asset_materialization`."""
        return self.asset_materialization

    # -- log messages and structured events ---------------------------------------------------
    @property
    def user_message(self) -> str:
        """The event's text: what user code logged for a log message, else the event's message."""
        return self.message

    @property
    def is_structured_event(self) -> bool:
        """Whether this is a structured event (anything but a ``LOG_MESSAGE`` log line)."""
        return self.event_type is not EventType.LOG_MESSAGE

    @property
    def structured_event(self) -> EventLogEntry | None:
        """This entry when it is a structured event, ``None`` for a log message.

        headwater keeps one record for both; code that expects the event nested in the entry
        (``entry.structured_event.event_type_value``) reads the same record.
        """
        return self if self.is_structured_event else None

    @property
    def structured_event_type(self) -> EventType | None:
        """The event type of a structured event, ``None`` for a log message."""
        return self.event_type if self.is_structured_event else None

    # -- what kind of event -------------------------------------------------------------------
    @property
    def is_step_event(self) -> bool:
        """Whether a step emitted this event."""
        return self.step_key is not None

    @property
    def is_step_start(self) -> bool:
        """Whether this is STEP_START."""
        return self.event_type is EventType.STEP_START

    @property
    def is_step_skipped(self) -> bool:
        """Whether this is STEP_SKIPPED."""
        return self.event_type is EventType.STEP_SKIPPED

    @property
    def is_step_up_for_retry(self) -> bool:
        """Whether this is STEP_UP_FOR_RETRY."""
        return self.event_type is EventType.STEP_UP_FOR_RETRY

    @property
    def is_successful_output(self) -> bool:
        """Whether this is STEP_OUTPUT."""
        return self.event_type is EventType.STEP_OUTPUT

    @property
    def is_handled_output(self) -> bool:
        """Whether this is HANDLED_OUTPUT."""
        return self.event_type is EventType.HANDLED_OUTPUT

    @property
    def is_loaded_input(self) -> bool:
        """Whether this is LOADED_INPUT."""
        return self.event_type is EventType.LOADED_INPUT

    @property
    def is_step_materialization(self) -> bool:
        """Whether this is ASSET_MATERIALIZATION."""
        return self.event_type is EventType.ASSET_MATERIALIZATION

    @property
    def is_asset_materialization_planned(self) -> bool:
        """Whether this is ASSET_MATERIALIZATION_PLANNED."""
        return self.event_type is EventType.ASSET_MATERIALIZATION_PLANNED

    @property
    def is_asset_observation(self) -> bool:
        """Whether this is ASSET_OBSERVATION."""
        return self.event_type is EventType.ASSET_OBSERVATION

    @property
    def is_run_success(self) -> bool:
        """Whether this is RUN_SUCCESS."""
        return self.event_type is EventType.RUN_SUCCESS

    @property
    def is_run_failure(self) -> bool:
        """Whether this is RUN_FAILURE."""
        return self.event_type is EventType.RUN_FAILURE

    # -- typed payloads -----------------------------------------------------------------------
    @property
    def event_specific_data(self) -> Any:
        """The typed payload of the event (see :mod:`headwater.events.payloads`), or ``None``.

        Example:
            >>> entry = EventLogEntry(
            ...     run_id="r", timestamp=0.0, event_type=EventType.STEP_OUTPUT,
            ...     data={"output_name": "result"},
            ... )
            >>> entry.event_specific_data.output_name
            'result'
        """
        return self._payload(None)

    @property
    def step_failure_data(self) -> StepFailureData | None:
        """The error (and :class:`~headwater.Failure` data) of a STEP_FAILURE, else ``None``."""
        return cast("StepFailureData | None", self._payload(EventType.STEP_FAILURE))

    @property
    def step_retry_data(self) -> StepRetryData | None:
        """The error and delay of a STEP_UP_FOR_RETRY, else ``None``."""
        return cast("StepRetryData | None", self._payload(EventType.STEP_UP_FOR_RETRY))

    @property
    def step_output_data(self) -> StepOutputData | None:
        """The output name and type check of a STEP_OUTPUT, else ``None``."""
        return cast("StepOutputData | None", self._payload(EventType.STEP_OUTPUT))

    @property
    def step_materialization_data(self) -> StepMaterializationData | None:
        """The materialization of an ASSET_MATERIALIZATION, else ``None``."""
        return cast(
            "StepMaterializationData | None", self._payload(EventType.ASSET_MATERIALIZATION)
        )

    @property
    def asset_observation_data(self) -> AssetObservationData | None:
        """The observation of an ASSET_OBSERVATION, else ``None``."""
        return cast("AssetObservationData | None", self._payload(EventType.ASSET_OBSERVATION))

    @property
    def asset_check_evaluation_data(self) -> AssetCheckEvaluation | None:
        """The check evaluation of an ASSET_CHECK_EVALUATION, else ``None``."""
        return cast("AssetCheckEvaluation | None", self._payload(EventType.ASSET_CHECK_EVALUATION))

    def _payload(self, kind: EventType | None) -> Any:
        if kind is not None and self.event_type is not kind:
            return None
        from headwater.events.payloads import event_payload  # its classes load on first use

        return event_payload(self)

    @property
    def error(self) -> Mapping[str, Any] | None:
        """For failures: ``{"message", "cls_name", "traceback"}``."""
        err = self.data.get("error")
        return err if isinstance(err, Mapping) else None

    # -- serialization -----------------------------------------------------------------------
    def to_json(self) -> str:
        """The whole record as a JSON string (the ``body`` column of the event log)."""
        return json.dumps(
            {
                "run_id": self.run_id,
                "timestamp": self.timestamp,
                "event_type": self.event_type.value,
                "message": self.message,
                "level": self.level,
                "job_name": self.job_name,
                "step_key": self.step_key,
                "asset_key": list(self.asset_key.path) if self.asset_key else None,
                "partition": self.partition,
                "data": self.data,
            },
            separators=(",", ":"),
            default=str,
        )

    @staticmethod
    def from_json(text: str) -> EventLogEntry:
        """Inverse of :meth:`to_json`."""
        raw = json.loads(text)
        key = raw.get("asset_key")
        return EventLogEntry(
            run_id=raw["run_id"],
            timestamp=raw["timestamp"],
            event_type=EventType(raw["event_type"]),
            message=raw.get("message", ""),
            level=raw.get("level", logging.INFO),
            job_name=raw.get("job_name"),
            step_key=raw.get("step_key"),
            asset_key=AssetKey(key) if key else None,
            partition=raw.get("partition"),
            data=raw.get("data") or {},
        )


def materialization_data(mat: AssetMaterialization | AssetObservation) -> dict[str, Any]:
    """The ``data`` of an ASSET_MATERIALIZATION / ASSET_OBSERVATION event."""
    return {
        "description": mat.description,
        "metadata": metadata_to_json(mat.metadata),
        "tags": dict(mat.tags),
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class EventLogRecord:
    """An event with its storage id (monotonic per storage; use it as a cursor)."""

    storage_id: int
    event_log_entry: EventLogEntry

    @property
    def run_id(self) -> str:
        """The event's run."""
        return self.event_log_entry.run_id

    @property
    def timestamp(self) -> float:
        """The event's timestamp."""
        return self.event_log_entry.timestamp

    @property
    def asset_key(self) -> AssetKey | None:
        """The event's asset key."""
        return self.event_log_entry.asset_key

    @property
    def partition_key(self) -> str | None:
        """The event's partition."""
        return self.event_log_entry.partition

    @property
    def asset_materialization(self) -> AssetMaterialization | None:
        """Shortcut to ``event_log_entry.asset_materialization``."""
        return self.event_log_entry.asset_materialization

    @property
    def asset_observation(self) -> AssetObservation | None:
        """Shortcut to ``event_log_entry.asset_observation``."""
        return self.event_log_entry.asset_observation
