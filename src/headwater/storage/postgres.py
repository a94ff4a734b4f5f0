"""PostgreSQL storage: the shared SQL implementation on a pooled psycopg 3 engine.

What differs from SQLite lives here: connecting (one clear line when the server cannot be
reached, never the password), the schema check (a database behind the head revision is refused
until ``headwater instance migrate`` upgrades it; many processes share a server, so none
upgrades it on its own), retrying a transaction PostgreSQL aborted as a deadlock or
serialization failure, and ``NOTIFY`` on every stored batch so that followers of a run's
events (:meth:`~headwater.storage.base.Storage.wait_for_run_events`) wake up at once.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, create_engine, event, func, make_url, text
from sqlalchemy.exc import DisconnectionError, OperationalError

from headwater.errors import StorageError
from headwater.events.records import EventLogEntry
from headwater.storage.sql import events as event_log
from headwater.storage.sql.schema import event_logs
from headwater.storage.sql.storage import SqlStorage

if TYPE_CHECKING:
    from sqlalchemy import URL

    from headwater.storage.pg_notify import EventNotifier

T = TypeVar("T")

#: The channel every stored batch notifies, with the run id as payload.
EVENTS_CHANNEL = "headwater_events"
#: Seconds to wait for the server when connecting.
CONNECT_TIMEOUT_SECONDS = 10
# SQLSTATEs of transactions PostgreSQL aborted and that succeed when run again.
_RETRYABLE = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure
_ATTEMPTS = 5


class PostgresStorage(SqlStorage):
    """Run and event log storage in a PostgreSQL database (psycopg 3, pooled connections).

    Open it with :meth:`from_url`; close it with :meth:`dispose` or a ``with`` block.

    Example:
        >>> storage = PostgresStorage.from_url(  # doctest: +SKIP
        ...     "postgresql://headwater@127.0.0.1:5432/headwater", pool_size=10
        ... )
        >>> storage.get_runs_count()  # doctest: +SKIP
        0
    """

    # Every inserted event also notifies its run id (delivered at commit; PostgreSQL sends one
    # notification per distinct payload of a transaction), in the insert's round trip.
    _event_inserts = event_log.returning_inserts(
        func.pg_notify(EVENTS_CHANNEL, event_logs.c.run_id)
    )

    def __init__(self, engine: Any) -> None:
        super().__init__(engine)
        self._notifier: EventNotifier | None = None
        self._notifier_pid = os.getpid()
        self._notifier_lock = threading.Lock()

    @classmethod
    def from_url(
        cls, url: str | URL, *, pool_size: int = 5, check_schema: bool = True
    ) -> PostgresStorage:
        """Connect to the database at ``url`` and check its schema.

        Args:
            url: ``postgresql://user:password@host:port/db`` (``postgresql+psycopg://`` too).
            pool_size: connections kept open in this process (as many more may open at peaks).
            check_schema: create the schema in an empty database and refuse one that is not at
                the head revision; ``False`` for ``headwater instance migrate`` and ``info``.

        Returns:
            The storage.

        Raises:
            StorageError: if the server cannot be reached or refuses the login (one line naming
                host and database, never the password); if the schema is behind (naming
                ``headwater instance migrate``) or from a newer headwater (naming both
                revisions).
        """
        parsed = make_url(url)
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        engine = create_engine(
            parsed,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            hide_parameters=True,
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_SECONDS,
                "application_name": "headwater",
            },
        )
        _never_share_across_fork(engine)
        storage = cls(engine)
        try:
            storage._check_connection()
            if check_schema:
                from headwater.storage.migrations import ensure_schema

                ensure_schema(engine, migrate=False, where=describe(engine.url))
        except BaseException:
            storage.dispose()
            raise
        return storage

    def _check_connection(self) -> None:
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except OperationalError as exc:
            reason = first_line(exc.orig, self._engine.url.password)
            raise StorageError(
                f"Cannot connect to PostgreSQL {describe(self._engine.url)}: {reason}"
            ) from None

    # -- retries and notifications ---------------------------------------------------------
    def _retrying(self, attempt: Callable[[], T]) -> T:
        for number in range(1, _ATTEMPTS + 1):
            try:
                return attempt()
            except StorageError as exc:
                cause = exc.__cause__
                code = getattr(getattr(cause, "orig", None), "sqlstate", None)
                if code not in _RETRYABLE or number == _ATTEMPTS:
                    raise
                time.sleep(0.01 * number)
        raise AssertionError("unreachable")

    def store_events(self, events: Sequence[EventLogEntry]) -> list[int]:
        """Persist ``events`` in one transaction and return their storage ids (retried when
        PostgreSQL aborts the transaction as a deadlock; either all are stored or none)."""
        return self._retrying(lambda: SqlStorage.store_events(self, events))

    def update_run_status_if(
        self, run_id: str, expected: Any, new: Any, *, event: Any = None
    ) -> bool:
        """Like :meth:`SqlStorage.update_run_status_if`, retried on deadlock."""
        return self._retrying(
            lambda: SqlStorage.update_run_status_if(self, run_id, expected, new, event=event)
        )

    def _notifications(self) -> EventNotifier:
        with self._notifier_lock:
            # A forked child has the parent's notifier but not its thread: start its own.
            if self._notifier is None or self._notifier_pid != os.getpid():
                from headwater.storage.pg_notify import EventNotifier

                self._notifier = EventNotifier(self._engine.url, EVENTS_CHANNEL)
                self._notifier_pid = os.getpid()
            return self._notifier

    def _change_token(self, run_id: str) -> object:
        return self._notifications().token(run_id)

    def _wait_for_change(
        self, run_id: str, token: object, timeout: float, stop: threading.Event | None
    ) -> None:
        self._notifications().wait(run_id, token, timeout, stop)

    def data_version(self) -> int:
        """Moves whenever any process stored events in this database (counted from
        ``NOTIFY``, no query): the daemon's run queue reacts to runs queued or finished at once."""
        return self._notifications().version()

    def dispose(self) -> None:
        """Stop listening for notifications and close every pooled connection."""
        with self._notifier_lock:
            notifier, self._notifier = self._notifier, None
        if notifier is not None and self._notifier_pid == os.getpid():
            notifier.close()
        super().dispose()


def _never_share_across_fork(engine: Engine) -> None:
    """A process forked from one holding pooled connections opens its own: two processes on
    one PostgreSQL connection would corrupt its protocol stream."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        record.info["pid"] = os.getpid()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if record.info.get("pid") != os.getpid():
            # Forget the parent's connection without closing it (the parent still uses it).
            record.dbapi_connection = proxy.dbapi_connection = None
            raise DisconnectionError("connection opened by another process; reconnecting")


def describe(url: URL) -> str:
    """``database 'db' at host:port`` for messages (no user, no password)."""
    host = url.host or "the local socket"
    port = f":{url.port}" if url.port else ""
    return f"database {url.database!r} at {host}{port}"


def first_line(error: BaseException | None, password: str | None) -> str:
    """The first line of a driver error, the password (if it appears at all) masked."""
    message = str(error or "").strip().splitlines()[0] if str(error or "").strip() else "failed"
    if password:
        message = message.replace(password, "***")
    return message.removeprefix("connection failed: ")
