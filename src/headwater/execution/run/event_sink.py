"""Emitting events during a run: buffered per step, committed in one transaction, then announced."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.keys import AssetKey

EventListener = Callable[[EventLogEntry], None]

# Announced to listeners only after the batch holding them is committed.
_TERMINAL = frozenset(
    {
        EventType.STEP_SUCCESS,
        EventType.STEP_FAILURE,
        EventType.STEP_SKIPPED,
        EventType.RUN_SUCCESS,
        EventType.RUN_FAILURE,
        EventType.RUN_CANCELED,
    }
)


class EventSink:
    """Collects a run's events and persists them through a store function.

    Args:
        run_id / job_name: stamped on every event.
        store: persists a batch atomically (``Instance.store_events``), or ``None`` to keep
            events in memory only.
        listeners: called with every event; a terminal step or run event is announced only
            after it has been committed.
        keep_events: keep every event in :attr:`all_events` (the run's result returns them);
            ``False`` for a run worker, whose memory must not grow with the steps done (the
            events are in storage). The indexes the run itself reads
            (:attr:`succeeded_steps`, :attr:`materialized_by_step`) are kept either way.
    """

    __slots__ = (
        "_buffer",
        "_pending",
        "all_events",
        "job_name",
        "keep_events",
        "listeners",
        "materialization_ids",
        "materialized_by_step",
        "run_id",
        "store",
        "succeeded_steps",
    )

    def __init__(
        self,
        *,
        run_id: str,
        job_name: str,
        store: Callable[[list[EventLogEntry]], Any] | None,
        listeners: list[EventListener] | None = None,
        keep_events: bool = True,
    ) -> None:
        self.run_id = run_id
        self.job_name = job_name
        self.store = store
        self.listeners = list(listeners or ())
        self.keep_events = keep_events
        self.all_events: list[EventLogEntry] = []
        #: the steps with a STEP_SUCCESS event in this run
        self.succeeded_steps: set[str] = set()
        #: the assets each step materialized in this run
        self.materialized_by_step: dict[str, set[AssetKey]] = {}
        #: storage id of the latest materialization of each asset stored by this run
        self.materialization_ids: dict[AssetKey, int] = {}
        self._buffer: list[EventLogEntry] = []
        self._pending: list[EventLogEntry] = []

    def emit(
        self,
        event_type: EventType,
        message: str = "",
        *,
        step_key: str | None = None,
        asset_key: AssetKey | None = None,
        partition: str | None = None,
        data: Mapping[str, Any] | None = None,
        level: int = logging.INFO,
    ) -> EventLogEntry:
        """Record one event (buffered until :meth:`flush`)."""
        entry = EventLogEntry(
            run_id=self.run_id,
            timestamp=time.time(),
            event_type=event_type,
            message=message,
            level=level,
            job_name=self.job_name,
            step_key=step_key,
            asset_key=asset_key,
            partition=partition,
            data=data or {},
        )
        self._buffer.append(entry)
        self._index(entry)
        if event_type in _TERMINAL:
            self._pending.append(entry)
        else:
            for listener in self.listeners:
                listener(entry)
        return entry

    def add(self, entries: list[EventLogEntry]) -> None:
        """Record events made elsewhere (by a step in a worker process), as :meth:`emit` does:
        buffered until :meth:`flush`, announced to listeners (terminal ones after the commit)."""
        self._buffer.extend(entries)
        for entry in entries:
            self._index(entry)
            if entry.event_type in _TERMINAL:
                self._pending.append(entry)
            else:
                for listener in self.listeners:
                    listener(entry)

    def _index(self, entry: EventLogEntry) -> None:
        if self.keep_events:
            self.all_events.append(entry)
        event_type = entry.event_type
        if event_type is EventType.STEP_SUCCESS and entry.step_key is not None:
            self.succeeded_steps.add(entry.step_key)
        elif event_type is EventType.ASSET_MATERIALIZATION and entry.asset_key is not None:
            made = self.materialized_by_step.setdefault(entry.step_key or "", set())
            made.add(entry.asset_key)

    def materialized(self, asset_key: AssetKey) -> bool:
        """Whether a step of this run materialized ``asset_key``."""
        return any(asset_key in made for made in self.materialized_by_step.values())

    def flush(self) -> None:
        """Commit buffered events in one transaction, then announce terminal ones."""
        if self._buffer and self.store is not None:
            ids = self.store(self._buffer)
            if ids:
                for entry, storage_id in zip(self._buffer, ids, strict=False):
                    if entry.event_type is EventType.ASSET_MATERIALIZATION and entry.asset_key:
                        self.materialization_ids[entry.asset_key] = storage_id
        self._buffer = []
        pending, self._pending = self._pending, []
        for entry in pending:
            for listener in self.listeners:
                listener(entry)
