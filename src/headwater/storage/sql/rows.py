"""What the write path stores, computed without SQL: shared by the Core and the SQLite paths.

This module must not import SQLAlchemy: the SQLite hot path
(:mod:`headwater.storage.sql.sqlite_hot_path`) runs on the ``sqlite3`` driver alone so that a
process that only materializes never pays SQLAlchemy's import time. Both paths build their rows
here, so they cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.execution.plan.origin import JobOrigin
from headwater.keys import AssetKey
from headwater.storage.records import Run, RunStatus

MAT = EventType.ASSET_MATERIALIZATION
OBS = EventType.ASSET_OBSERVATION
PLANNED = EventType.ASSET_MATERIALIZATION_PLANNED

#: How a run event moves the run's status.
RUN_EVENT_STATUS: Mapping[EventType, RunStatus] = {
    EventType.RUN_ENQUEUED: RunStatus.QUEUED,
    EventType.RUN_DEQUEUED: RunStatus.NOT_STARTED,
    EventType.RUN_STARTING: RunStatus.STARTING,
    EventType.RUN_START: RunStatus.STARTED,
    EventType.RUN_SUCCESS: RunStatus.SUCCESS,
    EventType.RUN_FAILURE: RunStatus.FAILURE,
    EventType.RUN_CANCELING: RunStatus.CANCELING,
    EventType.RUN_CANCELED: RunStatus.CANCELED,
}

#: The ``asset_keys`` (and ``asset_partitions``) columns holding an event kind's latest event.
KIND_COLUMNS = {
    MAT: ("last_materialization_storage_id", "last_materialization"),
    OBS: ("last_observation_storage_id", "last_observation"),
}


def run_to_body(run: Run) -> str:
    """The JSON stored in ``runs.run_body``: the run without its status (kept in a column)."""
    selection = None
    if run.asset_selection is not None:
        selection = sorted(list(key.path) for key in run.asset_selection)
    return json.dumps(
        {
            "job_name": run.job_name,
            "tags": dict(run.tags),
            "run_config": run.run_config,
            "asset_selection": selection,
            "parent_run_id": run.parent_run_id,
            "root_run_id": run.root_run_id,
            "job_origin": run.job_origin.to_dict() if run.job_origin is not None else None,
            "plan_snapshot_id": run.plan_snapshot_id,
        },
        separators=(",", ":"),
        default=str,
    )


def run_from_body(run_id: str, status: str, run_body: str) -> Run:
    """Rebuild a :class:`Run` from its ``runs`` columns."""
    body = json.loads(run_body)
    selection = body.get("asset_selection")
    origin = body.get("job_origin")
    return Run(
        run_id=run_id,
        job_name=body["job_name"],
        status=RunStatus(status),
        tags=body.get("tags") or {},
        run_config=body.get("run_config") or {},
        asset_selection=None if selection is None else frozenset(AssetKey(p) for p in selection),
        parent_run_id=body.get("parent_run_id"),
        root_run_id=body.get("root_run_id"),
        job_origin=JobOrigin.from_dict(origin) if origin is not None else None,
        plan_snapshot_id=body.get("plan_snapshot_id"),
    )


def status_values(event_type: EventType, timestamp: float, now: float) -> dict[str, Any]:
    """The ``runs`` columns a RUN_* event sets: status, update time, start or end time."""
    status = RUN_EVENT_STATUS[event_type]
    values: dict[str, Any] = {"status": status.value, "update_timestamp": now}
    if status is RunStatus.STARTED:
        values["start_time"] = timestamp
    elif status.is_finished:
        values["end_time"] = timestamp
    return values


@dataclass(slots=True)
class IndexRows:
    """The asset index upserts of a batch of events, rows keyed by column name.

    Attributes:
        assets: event kind (materialization, observation, planned) -> ``asset_keys`` rows.
        partitions: event kind (materialization, observation) -> ``asset_partitions`` rows.
        planned: ``asset_partitions`` rows of planned partitions.
        failed: asset key -> id of the run whose step for the asset just failed.
    """

    assets: dict[EventType, list[dict[str, Any]]] = field(default_factory=dict)
    partitions: dict[EventType, list[dict[str, Any]]] = field(default_factory=dict)
    planned: list[dict[str, Any]] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def index_rows(
    events: Sequence[EventLogEntry], ids: Sequence[int], bodies: Sequence[str], now: float
) -> IndexRows:
    """The asset index rows of a batch of just-inserted events (later events of a key win)."""
    latest: dict[EventType, dict[str, dict[str, Any]]] = {MAT: {}, OBS: {}, PLANNED: {}}
    partitions: dict[EventType, dict[tuple[str, str], dict[str, Any]]] = {MAT: {}, OBS: {}}
    planned: dict[tuple[str, str], dict[str, Any]] = {}
    failed: dict[str, str] = {}
    for event, storage_id, body in zip(events, ids, bodies, strict=True):
        kind = event.event_type
        if event.asset_key is None:
            continue
        key = event.asset_key.to_user_string()
        if kind in latest:
            row: dict[str, Any] = {
                "asset_key": key,
                "last_event_storage_id": storage_id,
                "updated_timestamp": now,
            }
            if kind is not OBS:
                row["last_run_id"] = event.run_id or None
            if kind in KIND_COLUMNS:
                id_column, body_column = KIND_COLUMNS[kind]
                row[id_column] = storage_id
                row[body_column] = body
                if event.partition is not None:
                    partitions[kind][key, event.partition] = {
                        "asset_key": key,
                        "partition": event.partition,
                        id_column: storage_id,
                        "updated_timestamp": now,
                    }
            if kind is PLANNED and event.partition is not None:
                planned[key, event.partition] = {
                    "asset_key": key,
                    "partition": event.partition,
                    "last_planned_storage_id": storage_id,
                    "last_planned_run_id": event.run_id or None,
                    "updated_timestamp": now,
                }
            latest[kind][key] = row
        elif kind is EventType.STEP_FAILURE and event.run_id:
            failed[key] = event.run_id
    return IndexRows(
        assets={kind: list(rows.values()) for kind, rows in latest.items() if rows},
        partitions={kind: list(rows.values()) for kind, rows in partitions.items() if rows},
        planned=list(planned.values()),
        failed=failed,
    )


def check_evaluation_rows(
    events: Sequence[EventLogEntry], ids: Sequence[int], now: float
) -> list[dict[str, Any]]:
    """``asset_check_executions`` rows for the check evaluations among just-inserted events."""
    return [
        {
            "asset_key": event.asset_key.to_user_string(),
            "check_name": str(event.data["check_name"]),
            "partition": event.partition,
            "run_id": event.run_id or None,
            "passed": bool(event.data.get("passed")),
            "evaluation_event_storage_id": storage_id,
            "create_timestamp": now,
        }
        for event, storage_id in zip(events, ids, strict=True)
        if event.event_type is EventType.ASSET_CHECK_EVALUATION
        and event.asset_key is not None
        and "check_name" in event.data
    ]


def event_columns(event: EventLogEntry, body: str) -> tuple[Any, ...]:
    """The ``event_logs`` values of an event, in :data:`EVENT_COLUMNS` order."""
    return (
        event.run_id,
        event.event_type.value,
        event.step_key,
        event.asset_key.to_user_string() if event.asset_key is not None else None,
        event.partition,
        event.timestamp,
        body,
    )


#: The ``event_logs`` columns written for every event (``id`` is assigned by the database).
EVENT_COLUMNS = ("run_id", "event_type", "step_key", "asset_key", "partition", "timestamp", "body")
