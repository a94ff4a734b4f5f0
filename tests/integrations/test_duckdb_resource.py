"""DuckDBResource and the shared connect(): connections, settings and cross-process locks."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from headwater import HeadwaterError
from headwater.integrations.duckdb import DuckDBResource
from headwater.integrations.duckdb import resource as resource_module
from headwater.integrations.duckdb.resource import connect


@contextmanager
def _locked_by_another_process(database: Path, seconds: float) -> Iterator[None]:
    """Hold ``database`` open (and so its write lock) in a child process for ``seconds``."""
    code = (
        "import duckdb, sys, time\n"
        f"conn = duckdb.connect({str(database)!r})\n"
        "print('locked', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "locked"
        yield
    finally:
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()


def test_connection_is_open_in_the_block_and_closed_after(tmp_path: Path) -> None:
    database = tmp_path / "db" / "w.duckdb"
    resource = DuckDBResource(database=str(database), connection_config={"threads": 1})
    with resource.get_connection() as conn:
        assert conn.execute("SELECT current_setting('threads')").fetchall() == [(1,)]
        assert conn.execute("SELECT current_setting('TimeZone')").fetchall() == [("UTC",)]
    with pytest.raises(duckdb.ConnectionException):
        conn.execute("SELECT 1")


def test_connect_waits_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    database = tmp_path / "shared.duckdb"
    with _locked_by_another_process(database, seconds=1.0):
        started = time.monotonic()
        conn = connect(str(database))
        waited = time.monotonic() - started
    conn.close()
    assert waited > 0.3


def test_connect_gives_up_with_a_clear_error_when_the_lock_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resource_module, "_LOCK_WAIT_SECONDS", 0.2)
    database = tmp_path / "shared.duckdb"
    with _locked_by_another_process(database, seconds=0.8), pytest.raises(HeadwaterError) as info:
        connect(str(database))
    assert "stayed locked by another process" in str(info.value)
    assert "run the steps in one process" in str(info.value)
