"""Helpers of SQLite storage: running a locked-out write again, reading a file's revision."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from headwater.errors import StorageError
from headwater.storage.sql import sqlite_hot_path

T = TypeVar("T")

# Write transactions of the hot path are tried this many times when the database is locked.
_BUSY_ATTEMPTS = 4


def sqlite_busy_timeout_ms() -> int:
    """The busy timeout SQLite storage connects with (read at call time: tests lower it)."""
    from headwater.storage import sqlite

    return sqlite.BUSY_TIMEOUT_MS


def retry_busy(attempt: Callable[[], T]) -> T:
    """Run a write transaction again when SQLite gave up waiting for the lock.

    The busy timeout makes a writer wait up to :data:`sqlite_busy_timeout_ms()` for another one; a
    transaction that still found the database locked (a writer holding the lock longer, or
    SQLite reporting busy without waiting) rolled back whole and is run again, a few times,
    so that no caller sees "database is locked" under load.
    """
    for number in range(1, _BUSY_ATTEMPTS + 1):
        try:
            return attempt()
        except StorageError as exc:
            cause = exc.__cause__
            busy = isinstance(cause, sqlite3.OperationalError) and (
                "locked" in str(cause) or "busy" in str(cause)
            )
            if not busy or number == _BUSY_ATTEMPTS:
                raise
            time.sleep(0.05 * number)
    raise AssertionError("unreachable")


def read_file_revision(path: str | os.PathLike[str]) -> str | None:
    """The schema revision of the database file at ``path`` (``None``: no file, or empty)."""
    if not Path(path).exists():
        return None
    try:
        conn = sqlite3.connect(str(path), timeout=sqlite_busy_timeout_ms() / 1000)
        try:
            return sqlite_hot_path.read_revision(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StorageError(f"The storage database failed: {exc}") from exc
