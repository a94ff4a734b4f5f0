"""Scratch PostgreSQL databases for tests and benchmarks.

:func:`scratch_database` creates a database with a unique name on a server (by default
``HEADWATER_TEST_POSTGRES_URL``, else the local server as user ``postgres``) and drops it
afterwards, so that tests running at once never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

#: The environment variable naming the server tests use.
SERVER_ENV_VAR = "HEADWATER_TEST_POSTGRES_URL"
DEFAULT_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def server_url() -> str:
    """``$HEADWATER_TEST_POSTGRES_URL``, else ``postgresql+psycopg://postgres@127.0.0.1:5432/test``."""
    return os.environ.get(SERVER_ENV_VAR) or DEFAULT_SERVER_URL


def server_unavailable_reason(url: str | None = None) -> str | None:
    """Why no test database can be created on the server (``None``: it can)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'headwater[postgres]')"
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    engine = create_engine(url or server_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        return f"no PostgreSQL server at {engine.url!r}: {str(exc.orig).strip().splitlines()[0]}"
    finally:
        engine.dispose()
    return None


@contextmanager
def scratch_database(url: str | None = None, *, prefix: str = "headwater_test") -> Iterator[str]:
    """Create a new database on the server at ``url`` and drop it (with its connections) after.

    Args:
        url: any database URL of the server (default: :func:`server_url`).
        prefix: the start of the database's name (a random suffix follows).

    Yields:
        The new database's URL, password included (``postgresql+psycopg://...``).

    Example:
        >>> with scratch_database() as url:  # doctest: +SKIP
        ...     storage = PostgresStorage.from_url(url)
    """
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url or server_url())
    if base.drivername in ("postgresql", "postgres"):
        base = base.set(drivername="postgresql+psycopg")
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()
