"""SQLite storage: the default, embedded backend (a file under ``HEADWATER_HOME``, or memory)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import StaticPool

from headwater.storage.migrations import ensure_schema
from headwater.storage.sql.dialect import WRITE_OPTION
from headwater.storage.sql.storage import SqlStorage

#: How long a writer waits for another process's write lock, in milliseconds.
BUSY_TIMEOUT_MS = 30_000


class SqliteStorage(SqlStorage):
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
        engine = create_engine(f"sqlite:///{file}")
        _configure(engine, wal=True)
        return cls._open(engine, serialize=False)

    @classmethod
    def in_memory(cls) -> SqliteStorage:
        """A private in-memory database, gone once disposed.

        All threads share its one connection, one thread at a time.

        Returns:
            The storage.
        """
        engine = create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
        _configure(engine, wal=False)
        return cls._open(engine, serialize=True)

    @classmethod
    def _open(cls, engine: Engine, *, serialize: bool) -> SqliteStorage:
        try:
            ensure_schema(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, serialize=serialize)


def _configure(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below control transactions instead of pysqlite.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Reads run in autocommit; writes take the write lock at once.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
