"""Builders of runs and events for the storage conformance suite."""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from typing import Any

from headwater.declarations.results import AssetMaterialization
from headwater.events.records import EventLogEntry, materialization_data
from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.storage.records import Run, RunStatus

_counter = itertools.count()


def make_run(
    run_id: str | None = None,
    *,
    job_name: str = "my_job",
    status: RunStatus = RunStatus.NOT_STARTED,
    tags: Mapping[str, str] | None = None,
) -> Run:
    """A run with a unique id (``run-<n>``) unless ``run_id`` is given."""
    return Run(
        run_id=run_id or f"run-{next(_counter)}",
        job_name=job_name,
        status=status,
        tags=dict(tags or {}),
    )


def make_event(
    run_id: str,
    event_type: EventType,
    *,
    asset_key: AssetKey | str | None = None,
    partition: str | None = None,
    timestamp: float | None = None,
    step_key: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> EventLogEntry:
    """An event; ``asset_key`` may be given as ``"a/b"``."""
    key = AssetKey.from_coercible(asset_key) if asset_key is not None else None
    return EventLogEntry(
        run_id=run_id,
        timestamp=time.time() if timestamp is None else timestamp,
        event_type=event_type,
        message=f"{event_type.value} of {run_id}",
        job_name="my_job",
        step_key=step_key,
        asset_key=key,
        partition=partition,
        data=dict(data or {}),
    )


def materialization(
    run_id: str,
    asset_key: AssetKey | str,
    *,
    partition: str | None = None,
    timestamp: float | None = None,
    rows: int = 0,
) -> EventLogEntry:
    """An ASSET_MATERIALIZATION event carrying ``{"rows": rows}`` as metadata."""
    key = AssetKey.from_coercible(asset_key)
    data = materialization_data(AssetMaterialization(key, metadata={"rows": rows}))
    return make_event(
        run_id,
        EventType.ASSET_MATERIALIZATION,
        asset_key=key,
        partition=partition,
        timestamp=timestamp,
        data=data,
    )


def observation(
    run_id: str, asset_key: AssetKey | str, *, partition: str | None = None
) -> EventLogEntry:
    """An ASSET_OBSERVATION event."""
    return make_event(run_id, EventType.ASSET_OBSERVATION, asset_key=asset_key, partition=partition)
