"""One ``LISTEN`` connection per PostgreSQL storage, waking the threads that follow runs.

:class:`EventNotifier` runs a thread that listens on the events channel and counts the
notifications of each run id; a follower takes a :meth:`~EventNotifier.token` before it reads the
events after its cursor and, when there were none, :meth:`~EventNotifier.wait`\\ s until the
count moves. A (re)connection of the listener moves every count, since notifications sent while
it was away are lost: followers then read once more.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import URL

_log = logging.getLogger(__name__)
# How long the listener blocks on the socket between checks of the stop flag.
_POLL_SECONDS = 0.2
# How long a follower waits for the listener to be ready before reading anyway.
_READY_SECONDS = 5.0
# How often a waiter with a stop event looks at it, in seconds.
_STOP_SLICE = 0.05
# How often a waiter with a stop event looks at it, in seconds.
_STOP_SLICE = 0.05


class EventNotifier:
    """Counts notifications per payload (run id) on ``channel``; started on first use.

    Args:
        url: the database (its password is used to connect, never logged).
        channel: the ``LISTEN`` channel.
    """

    def __init__(self, url: URL, channel: str) -> None:
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._channel = channel
        self._cond = threading.Condition()
        self._counts: dict[str, int] = {}
        self._total = 0
        self._generation = 0
        self._closed = False
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="headwater-listen", daemon=True)
        self._thread.start()

    def token(self, run_id: str) -> tuple[int, int]:
        """Where the notifications of ``run_id`` are now (take it before reading events)."""
        self._ready.wait(_READY_SECONDS)
        with self._cond:
            return (self._generation, self._counts.get(run_id, 0))

    def wait(
        self, run_id: str, token: object, timeout: float, stop: threading.Event | None = None
    ) -> None:
        """Block until a notification for ``run_id`` arrived after ``token``, the listener
        reconnected, the notifier closed, ``stop`` was set, or ``timeout`` seconds passed."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._changed(run_id, token):
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (stop is not None and stop.is_set()):
                    return
                # In slices when a stop event may end the wait (it cannot wake a condition).
                self._cond.wait(remaining if stop is None else min(remaining, _STOP_SLICE))

    def version(self) -> int:
        """A number that moves with every notification and every reconnection."""
        self._ready.wait(_READY_SECONDS)
        with self._cond:
            return (self._generation << 40) + self._total

    def _changed(self, run_id: str, token: object) -> bool:
        return self._closed or (self._generation, self._counts.get(run_id, 0)) != token

    def close(self) -> None:
        """Stop listening and wake every waiter (returns once the thread ended)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join()

    def _listen(self) -> None:
        import psycopg
        from psycopg import sql

        while not self._closed:
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._channel)))
                    with self._cond:
                        self._generation += 1
                        self._cond.notify_all()
                    self._ready.set()
                    while not self._closed:
                        for note in conn.notifies(timeout=_POLL_SECONDS):
                            with self._cond:
                                self._counts[note.payload] = self._counts.get(note.payload, 0) + 1
                                self._total += 1
                                self._cond.notify_all()
            except psycopg.Error as exc:
                _log.warning("Listening for new events failed (%s); reconnecting in 1 s", exc)
                self._ready.set()  # followers fall back to reading on their timeout
                time.sleep(1.0)
