"""Live delivery of a run's events: wait for the events stored after a cursor.

:class:`LiveEventsMixin` gives every storage two methods built on ``get_logs_for_run`` and two
hooks a backend overrides to wait without busy polling:

- ``_change_token(run_id)``: an opaque value describing "what has been committed so far";
- ``_wait_for_change(run_id, token, timeout)``: block until that may have changed.

PostgreSQL waits for ``NOTIFY`` (:mod:`headwater.storage.pg_notify`); SQLite compares its
``PRAGMA data_version`` every few milliseconds, which reads no table; the default sleeps a
short interval. Readers query the event log only when something may have changed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.events.records import EventLogRecord
    from headwater.events.types import EventType
    from headwater.storage.records import Run

#: The longest one wait lasts before the follower reads anyway (a safety net, not a poll rate).
MAX_WAIT_SECONDS = 5.0
_DEFAULT_POLL_SECONDS = 0.05


class LiveEventsMixin:
    """Waiting for and following the events of one run (mixed into ``Storage``)."""

    if TYPE_CHECKING:  # provided by the storage

        def get_logs_for_run(
            self,
            run_id: str,
            cursor: int | None = None,
            of_type: EventType | set[EventType] | None = None,
            limit: int | None = None,
        ) -> list[EventLogRecord]: ...

        def get_run_by_id(self, run_id: str) -> Run | None: ...

    def _change_token(self, run_id: str) -> object:
        """A value taken before reading; see :meth:`_wait_for_change`."""
        return None

    def _wait_for_change(
        self, run_id: str, token: object, timeout: float, stop: threading.Event | None
    ) -> None:
        """Block until events of ``run_id`` may have been stored since ``token`` was taken,
        ``stop`` is set, or ``timeout`` seconds passed (may return early)."""
        time.sleep(min(timeout, _DEFAULT_POLL_SECONDS))

    def wait_for_run_events(
        self,
        run_id: str,
        cursor: int | None = None,
        *,
        timeout: float = 30.0,
        limit: int | None = 1000,
        stop: threading.Event | None = None,
    ) -> list[EventLogRecord]:
        """The run's events stored after ``cursor``, waiting up to ``timeout`` seconds for one.

        Returns as soon as at least one event is there (at most ``limit``, oldest first), or
        an empty list once ``timeout`` passed. The next cursor is the last record's
        ``storage_id``. Storage ids of one run only grow, and a batch of events becomes visible
        at once, so a follower that always passes the last id it saw misses nothing.

        Args:
            run_id: the run.
            cursor: a storage id; ``None`` starts at the run's first event.
            timeout: seconds to wait at most (0: do not wait).
            limit: the most events returned at once; ``None``: all.
            stop: return (empty-handed) as soon as this is set.

        Returns:
            Records in storage order.

        Example:
            >>> from headwater.storage.sqlite import SqliteStorage
            >>> with SqliteStorage.in_memory() as storage:
            ...     storage.wait_for_run_events("no-such-run", timeout=0)
            []
        """
        deadline = time.monotonic() + timeout
        while True:
            token = self._change_token(run_id)
            found = self.get_logs_for_run(run_id, cursor=cursor, limit=limit)
            remaining = deadline - time.monotonic()
            if found or remaining <= 0 or (stop is not None and stop.is_set()):
                return found
            self._wait_for_change(run_id, token, min(remaining, MAX_WAIT_SECONDS), stop)

    def follow_run_events(
        self,
        run_id: str,
        cursor: int | None = None,
        *,
        until_finished: bool = True,
        stop: threading.Event | None = None,
        idle_timeout: float | None = None,
    ) -> Iterator[EventLogRecord]:
        """Yield the run's events after ``cursor`` as they are stored, oldest first.

        Args:
            run_id: the run.
            cursor: a storage id to start after; ``None``: from the first event.
            until_finished: stop once the run is SUCCESS, FAILURE or CANCELED and every event
                stored before that was yielded.
            stop: stop when this event is set (within a few tens of milliseconds).
            idle_timeout: stop after this many seconds without a new event; ``None``: never.

        Yields:
            Event log records (``storage_id`` is the cursor to resume from).

        Example:
            >>> from headwater.instance.instance import Instance
            >>> with Instance.ephemeral() as instance:
            ...     run = instance.create_run(job_name="etl")
            ...     list(instance.storage.follow_run_events(run.run_id, idle_timeout=0))
            []
        """
        idle_since = time.monotonic()
        while stop is None or not stop.is_set():
            run = self.get_run_by_id(run_id) if until_finished else None
            finished = run is not None and run.status.is_finished
            wait = MAX_WAIT_SECONDS
            if idle_timeout is not None:
                wait = max(0.0, min(wait, idle_since + idle_timeout - time.monotonic()))
            records = self.wait_for_run_events(
                run_id, cursor, timeout=0 if finished else wait, stop=stop
            )
            if records:
                cursor = records[-1].storage_id
                idle_since = time.monotonic()
                yield from records
                continue
            if finished:
                return
            if idle_timeout is not None and time.monotonic() - idle_since >= idle_timeout:
                return
