"""Emitting events during a run: buffered per step, committed in one transaction, then announced.

A step's events are buffered and committed in one batch when the step ends (or at another
``flush``): one transaction per step is what keeps the per-step overhead low.

So that a step that runs for a long time is still seen live (its STEP_START, its log
messages), one background thread per process, the *flusher*, wakes every
``_FLUSH_INTERVAL`` seconds and commits the buffer of any sink whose oldest unflushed event
has waited longer than ``_FLUSH_AFTER`` seconds. A step that ends sooner than that flushes
its own buffer as before, so fast steps pay nothing but an uncontended lock per event.

Correctness:

- Each sink has one lock, held by ``emit``/``add`` while they append and by every flush for
  the whole store call, so batches of a sink are committed one after another in emit order:
  the storage ids of a run's events stay strictly increasing (a run has one writing sink).
- The flusher only commits; it never calls listeners. Terminal step/run events are announced
  by the owner's next ``flush`` (which every step and run end makes), after their commit.
- Stores it writes through are used from two threads: SQLite storage checks out a pooled
  connection per call (an in-memory database serializes on its lock), PostgreSQL uses its
  engine's pool; a worker process's "store" sends the batch to the parent under a lock.
- A failing background commit leaves the buffer as it was and the sink is not flushed in the
  background again: the owner's ``flush`` retries and raises the error where it belongs.
- The thread holds only weak references to sinks and exits once none is left; a forked child
  starts its own.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.keys import AssetKey

EventListener = Callable[[EventLogEntry], None]

_log = logging.getLogger(__name__)

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

#: seconds an unflushed event may wait before the flusher commits it
_FLUSH_AFTER = 0.25
#: seconds between two looks of the flusher
_FLUSH_INTERVAL = 0.1


class EventSink:
    """Collects a run's events and persists them through a store function.

    Events are committed in batches: by :meth:`flush` (at the end of every step), and, for a
    step still running, by a background thread once the oldest unflushed event is older than
    0.25 s (see the module docstring).

    Args:
        run_id / job_name: stamped on every event.
        store: persists a batch atomically (``Instance.store_events``), or ``None`` to keep
            events in memory only. May be called from the flusher thread.
        listeners: called with every event (in the thread that emits it); a terminal step or
            run event is announced only after it has been committed, by :meth:`flush`.
        keep_events: keep every event in :attr:`all_events` (the run's result returns them);
            ``False`` for a run worker, whose memory must not grow with the steps done (the
            events are in storage). The indexes the run itself reads
            (:attr:`succeeded_steps`, :attr:`materialized_by_step`) are kept either way.
    """

    __slots__ = (
        "__weakref__",
        "_background_failed",
        "_buffer",
        "_lock",
        "_pending",
        "_since",
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
        self._lock = threading.Lock()
        self._since = 0.0  # monotonic time the oldest buffered event was added
        self._background_failed = False
        if store is not None:
            _flusher.watch(self)

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
        """Record one event (buffered until :meth:`flush` or the flusher commits it)."""
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
        with self._lock:
            if not self._buffer:
                self._since = time.monotonic()
            self._buffer.append(entry)
            self._index(entry)
            if event_type in _TERMINAL:
                self._pending.append(entry)
                return entry
        for listener in self.listeners:
            listener(entry)
        return entry

    def add(self, entries: list[EventLogEntry]) -> None:
        """Record events made elsewhere (by a step in a worker process), as :meth:`emit` does:
        buffered until :meth:`flush`, announced to listeners (terminal ones after the commit)."""
        with self._lock:
            if not self._buffer:
                self._since = time.monotonic()
            self._buffer.extend(entries)
            for entry in entries:
                self._index(entry)
            self._pending.extend(e for e in entries if e.event_type in _TERMINAL)
        for entry in entries:
            if entry.event_type not in _TERMINAL:
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
        """Commit buffered events in one transaction, then announce terminal ones.

        Raises:
            whatever the store raises (nothing is announced; the events stay buffered).
        """
        with self._lock:
            self._commit()
            pending, self._pending = self._pending, []
        for entry in pending:
            for listener in self.listeners:
                listener(entry)

    def flush_stale(self, now: float) -> None:
        """Commit the buffer if its oldest event has waited longer than the flush deadline
        (called by the flusher thread; never announces, never raises)."""
        if not self._buffer or self._background_failed or now - self._since < _FLUSH_AFTER:
            return
        with self._lock:
            try:
                self._commit()
            except Exception:
                self._background_failed = True
                _log.debug("Background commit of run %s events failed", self.run_id,
                           exc_info=True)  # fmt: skip

    def _commit(self) -> None:
        """Store the buffer (the caller holds the lock); it stays buffered if the store fails."""
        if self._buffer and self.store is not None:
            ids = self.store(self._buffer)
            if ids:
                for entry, storage_id in zip(self._buffer, ids, strict=False):
                    if entry.event_type is EventType.ASSET_MATERIALIZATION and entry.asset_key:
                        self.materialization_ids[entry.asset_key] = storage_id
        self._buffer = []


class _Flusher:
    """The process's background thread committing stale buffers of the sinks it watches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sinks: weakref.WeakSet[EventSink] = weakref.WeakSet()
        self._thread: threading.Thread | None = None

    def watch(self, sink: EventSink) -> None:
        with self._lock:
            self._sinks.add(sink)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="headwater-event-flusher", daemon=True
                )
                self._thread.start()

    def _loop(self) -> None:
        while True:
            time.sleep(_FLUSH_INTERVAL)
            with self._lock:
                sinks = list(self._sinks)
                if not sinks:
                    self._thread = None
                    return
            now = time.monotonic()
            for sink in sinks:
                sink.flush_stale(now)
            del sinks

    def after_fork(self) -> None:
        self._lock = threading.Lock()
        self._sinks = weakref.WeakSet()
        self._thread = None


_flusher = _Flusher()

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_flusher.after_fork)
