"""The kinds of structured events headwater records."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    """Every structured event kind; the values are stored in the event log.

    Dagster name: ``DagsterEventType``.
    """

    RUN_ENQUEUED = "RUN_ENQUEUED"
    RUN_DEQUEUED = "RUN_DEQUEUED"
    RUN_STARTING = "RUN_STARTING"
    RUN_START = "RUN_START"
    RUN_SUCCESS = "RUN_SUCCESS"
    RUN_FAILURE = "RUN_FAILURE"
    RUN_CANCELING = "RUN_CANCELING"
    RUN_CANCELED = "RUN_CANCELED"
    STEP_START = "STEP_START"
    STEP_INPUT = "STEP_INPUT"
    STEP_OUTPUT = "STEP_OUTPUT"
    STEP_SUCCESS = "STEP_SUCCESS"
    STEP_FAILURE = "STEP_FAILURE"
    STEP_SKIPPED = "STEP_SKIPPED"
    STEP_UP_FOR_RETRY = "STEP_UP_FOR_RETRY"
    STEP_RESTARTED = "STEP_RESTARTED"
    ASSET_MATERIALIZATION = "ASSET_MATERIALIZATION"
    ASSET_MATERIALIZATION_PLANNED = "ASSET_MATERIALIZATION_PLANNED"
    ASSET_OBSERVATION = "ASSET_OBSERVATION"
    ASSET_CHECK_EVALUATION = "ASSET_CHECK_EVALUATION"
    LOADED_INPUT = "LOADED_INPUT"
    HANDLED_OUTPUT = "HANDLED_OUTPUT"
    LOGS_CAPTURED = "LOGS_CAPTURED"
    ENGINE_EVENT = "ENGINE_EVENT"
    HOOK_COMPLETED = "HOOK_COMPLETED"
    HOOK_ERRORED = "HOOK_ERRORED"
    HOOK_SKIPPED = "HOOK_SKIPPED"
    RESOURCE_INIT_STARTED = "RESOURCE_INIT_STARTED"
    RESOURCE_INIT_SUCCESS = "RESOURCE_INIT_SUCCESS"
    RESOURCE_INIT_FAILURE = "RESOURCE_INIT_FAILURE"
    # An asset's freshness state (PASS, WARN, FAIL, UNKNOWN) changed (run-less).
    FRESHNESS_STATE_CHANGE = "FRESHNESS_STATE_CHANGE"
    # Not a structured event in Dagster's sense: a message from ``context.log`` or ``logging``.
    LOG_MESSAGE = "LOG_MESSAGE"


RUN_EVENTS = frozenset(
    {
        EventType.RUN_ENQUEUED,
        EventType.RUN_DEQUEUED,
        EventType.RUN_STARTING,
        EventType.RUN_START,
        EventType.RUN_SUCCESS,
        EventType.RUN_FAILURE,
        EventType.RUN_CANCELING,
        EventType.RUN_CANCELED,
    }
)

ASSET_EVENTS = frozenset(
    {
        EventType.ASSET_MATERIALIZATION,
        EventType.ASSET_MATERIALIZATION_PLANNED,
        EventType.ASSET_OBSERVATION,
        EventType.ASSET_CHECK_EVALUATION,
    }
)
