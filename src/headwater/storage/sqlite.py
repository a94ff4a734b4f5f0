"""SQLite storage: the default, embedded backend (a file under ``HEADWATER_HOME``, or memory).

What every run does (open or create the database, add the run, store step events, read the
run) runs on the ``sqlite3`` driver (:mod:`headwater.storage.sql.sqlite_hot_path`,
:mod:`headwater.storage.sql.sqlite_schema`); every other query runs
on the SQLAlchemy implementation :class:`~headwater.storage.sql.storage.SqlStorage`, created
on first use. A process that only materializes therefore never imports SQLAlchemy.
"""

from __future__ import annotations

import abc
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from headwater.errors import StorageError
from headwater.events.records import EventLogEntry
from headwater.storage import base
from headwater.storage.records import Run, RunStatus, RunWorkerHeartbeat
from headwater.storage.revisions import HEAD_REVISION
from headwater.storage.sql import sqlite_hot_path, sqlite_schema
from headwater.storage.sqlite_retry import read_file_revision as read_file_revision
from headwater.storage.sqlite_retry import retry_busy as _retry_busy

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from headwater.storage.sql.storage import SqlStorage

#: How long a writer waits for another process's write lock, in milliseconds.
BUSY_TIMEOUT_MS = 30_000

#: How often a follower of a run's events checks whether the database changed, in seconds.
_CHANGE_POLL_SECONDS = 0.01

# Python >= 3.12 can tell SQLite not to checkpoint when the last connection closes.
_NO_CHECKPOINT_ON_CLOSE: int | None = getattr(sqlite3, "SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE", None)


class SqliteStorage(base.Storage):
    """Run and event log storage in one SQLite database.

    Files are opened in WAL mode with ``synchronous=NORMAL`` (a commit survives a process
    crash; the last commits may be lost on power loss), foreign keys on, and a busy timeout of
    :data:`BUSY_TIMEOUT_MS` so that several processes (webserver, daemon, run workers) can share
    the file. Write transactions begin ``IMMEDIATE``.

    Example:
        >>> with SqliteStorage.in_memory() as storage:
        ...     storage.get_asset_keys()
        []
    """

    def __init__(self, connections: _Connections, url: str) -> None:
        self._connections = connections
        self._url = url
        self._sql: SqlStorage | None = None
        self._sql_lock = threading.Lock()
        self._version_conn: sqlite3.Connection | None = None
        self._version_lock = threading.Lock()

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> SqliteStorage:
        """Open (creating or upgrading if needed) the database file at ``path``.

        Args:
            path: the database file; missing parent directories are created.

        Returns:
            The storage; call :meth:`dispose` (or use it as a context manager) when done.

        Raises:
            StorageError: if the file holds a schema this headwater cannot use.
        """
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        return cls._open(_Connections(lambda: _connect(str(file), wal=True)), f"sqlite:///{file}")

    @classmethod
    def in_memory(cls) -> SqliteStorage:
        """A private in-memory database, gone once disposed.

        All threads share its one connection, one thread at a time.

        Returns:
            The storage.
        """
        connections = _Connections(lambda: _connect(":memory:", wal=False), shared=True)
        return cls._open(connections, "sqlite://")

    @classmethod
    def _open(cls, connections: _Connections, url: str) -> SqliteStorage:
        storage = cls(connections, url)
        try:
            with _translate_errors(), connections.connection() as conn:
                revision = sqlite_hot_path.read_revision(conn)
                empty = revision is None and sqlite_hot_path.is_empty(conn)
                if empty:
                    sqlite_schema.create_schema(conn)
            if revision != HEAD_REVISION and not empty:  # upgrade or refuse: may import Alembic
                from headwater.storage.migrations import ensure_schema

                ensure_schema(storage.engine)
        except BaseException:
            storage.dispose()
            raise
        return storage

    def __enter__(self) -> SqliteStorage:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.dispose()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (created on first use, on this storage's connections)."""
        return self._sql_storage().engine

    def _sql_storage(self) -> SqlStorage:
        with self._sql_lock:
            if self._sql is None:
                from headwater.storage.sql.storage import SqlStorage

                self._sql = SqlStorage(
                    _engine(self._url, self._connections), lock=self._connections.lock
                )
            return self._sql

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with _translate_errors(), self._connections.connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    # -- the hot path ----------------------------------------------------------------------
    def add_run(self, run: Run) -> Run:
        """Insert a new run.

        Raises:
            StorageError: if a run with the same id exists.
        """
        try:
            with self._write() as conn:
                sqlite_hot_path.insert_run(conn, run, time.time())
        except StorageError as exc:
            if isinstance(exc.__cause__, sqlite3.IntegrityError):
                raise StorageError(
                    f"A run with id {run.run_id!r} already exists; use a new run id."
                ) from exc.__cause__
            raise
        return run

    def get_run_by_id(self, run_id: str) -> Run | None:
        """The run, or ``None``."""
        with _translate_errors(), self._connections.connection() as conn:
            return sqlite_hot_path.select_run(conn, run_id)

    def store_events(self, events: Sequence[EventLogEntry]) -> list[int]:
        """Persist ``events`` in one transaction and return their storage ids.

        Also updates the asset index and, for RUN_* events, the run's status and times.
        Either every event of the batch is stored or none is.

        Raises:
            StorageError: if the database fails; nothing of the batch is stored.
        """
        if not events:
            return []
        bodies = [e.to_json() for e in events]

        def attempt() -> list[int]:
            with self._write() as conn:
                return sqlite_hot_path.store_events(conn, events, bodies, time.time())

        return _retry_busy(attempt)

    def update_run_status_if(
        self,
        run_id: str,
        expected: RunStatus | Collection[RunStatus],
        new: RunStatus,
        *,
        event: EventLogEntry | None = None,
    ) -> bool:
        """Move the run to ``new`` only if its status is (one of) ``expected``; store ``event``
        in the same transaction when it moved. Returns whether it moved."""
        statuses = [expected] if isinstance(expected, RunStatus) else list(expected)

        def attempt() -> bool:
            now = time.time()
            with self._write() as conn:
                moved = sqlite_hot_path.update_status_if(conn, run_id, statuses, new, now)
                if moved and event is not None:
                    sqlite_hot_path.store_events(conn, [event], [event.to_json()], now)
            return moved

        return _retry_busy(attempt)

    def add_snapshot(self, snapshot_id: str, kind: str, body: str) -> None:
        """Store a snapshot once (an existing ``snapshot_id`` is left as it is)."""
        with self._write() as conn:
            sqlite_hot_path.insert_snapshot(conn, snapshot_id, kind, body, time.time())

    def get_snapshot(self, snapshot_id: str) -> str | None:
        """The JSON body of a snapshot, or ``None``."""
        with _translate_errors(), self._connections.connection() as conn:
            return sqlite_hot_path.select_snapshot(conn, snapshot_id)

    def record_run_worker_heartbeat(self, heartbeat: RunWorkerHeartbeat) -> None:
        """Store the latest heartbeat of a run's worker."""

        def attempt() -> None:
            with self._write() as conn:
                sqlite_hot_path.upsert_heartbeat(conn, heartbeat)

        _retry_busy(attempt)

    def get_run_worker_heartbeats(
        self, run_ids: Sequence[str] | None = None
    ) -> dict[str, RunWorkerHeartbeat]:
        """The latest worker heartbeats of ``run_ids`` (all when ``None``), by run id."""
        with _translate_errors(), self._connections.connection() as conn:
            return sqlite_hot_path.select_heartbeats(conn, run_ids)

    def data_version(self) -> int | None:
        """SQLite's ``PRAGMA data_version`` on a connection kept for it (it never writes), so
        the number changes with every commit of any other connection or process; ``None`` for
        an in-memory database (one connection: no other commits to see)."""
        if self._connections.shared is not None:
            return None
        with self._version_lock, _translate_errors():
            if self._version_conn is None:
                self._version_conn = self._connections.connect()
            row = self._version_conn.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _change_token(self, run_id: str) -> object:
        return self.data_version()

    def _wait_for_change(
        self, run_id: str, token: object, timeout: float, stop: threading.Event | None
    ) -> None:
        # PRAGMA data_version reads no table: checking it every few milliseconds is cheap.
        if token is None:
            time.sleep(min(timeout, _CHANGE_POLL_SECONDS * 5))
            return
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
            time.sleep(min(_CHANGE_POLL_SECONDS, max(0.0, deadline - time.monotonic())))
            if self.data_version() != token:
                return

    def dispose(self) -> None:
        """Close every connection."""
        if self._sql is not None:
            self._sql.dispose()
        with self._version_lock:
            if self._version_conn is not None:
                self._version_conn.close()
                self._version_conn = None
        self._connections.dispose()


def _delegate(name: str) -> Callable[..., Any]:
    def method(self: SqliteStorage, *args: Any, **kwargs: Any) -> Any:
        return getattr(self._sql_storage(), name)(*args, **kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = getattr(base.Storage, name).__doc__
    return method


# Every other Storage method runs on the SQLAlchemy implementation.
for _name in sorted(SqliteStorage.__abstractmethods__):
    setattr(SqliteStorage, _name, _delegate(_name))
abc.update_abstractmethods(cast("type[Any]", SqliteStorage))


# This process's id, kept current across fork() (os.getpid() is a system call; every storage
# call checks it).
_pid = os.getpid()


def _after_fork_in_child() -> None:
    global _pid
    _pid = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class _Connections:
    """``sqlite3`` connections to one database, each used by one thread at a time.

    A file gets a pool of connections (idle ones are reused; a forked child starts a pool of
    its own). An in-memory database (``shared``) has exactly one connection, which every
    caller, SQLAlchemy's engine included, uses under :attr:`lock`.
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], *, shared: bool = False) -> None:
        self.connect = connect
        self.lock: AbstractContextManager[object] = threading.RLock() if shared else nullcontext()
        self.shared = connect() if shared else None
        self._idle: list[sqlite3.Connection] = []
        self._idle_lock = threading.Lock()
        self._pid = _pid

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection for the duration of the block."""
        if self.shared is not None:
            with self.lock:
                yield self.shared
            return
        conn = self._checkout()
        try:
            yield conn
        finally:
            with self._idle_lock:
                self._idle.append(conn)

    def _checkout(self) -> sqlite3.Connection:
        with self._idle_lock:
            if self._pid != _pid:  # never share a connection with the parent process
                self._idle, self._pid = [], _pid
            if self._idle:
                return self._idle.pop()
        return self.connect()

    def dispose(self) -> None:
        """Close the idle connections (and the in-memory database's one)."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        if self.shared is not None:
            self.shared.close()


def _connect(database: str, *, wal: bool) -> sqlite3.Connection:
    # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE for writes).
    conn = sqlite3.connect(
        database,
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
        if _NO_CHECKPOINT_ON_CLOSE is not None:
            # The last connection to close would checkpoint the WAL into the file and fsync
            # both (10-15 ms, paid by every short-lived process); commits still checkpoint
            # automatically once the WAL reaches 1,000 pages, and durability is unchanged.
            conn.setconfig(_NO_CHECKPOINT_ON_CLOSE, True)  # type: ignore[attr-defined,unused-ignore]
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


@contextmanager
def _translate_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"The storage database failed: {exc}") from exc


def _engine(url: str, connections: _Connections) -> Engine:
    """A SQLAlchemy engine on ``connections``: new connections from its factory, or its one
    shared connection."""
    from sqlalchemy import Connection, create_engine, event
    from sqlalchemy.pool import StaticPool

    from headwater.storage.sql.dialect import WRITE_OPTION

    shared = connections.shared
    if shared is not None:
        engine = create_engine(url, creator=lambda: shared, poolclass=StaticPool)
    else:
        engine = create_engine(url, creator=connections.connect)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Reads run in autocommit; writes take the write lock at once.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
