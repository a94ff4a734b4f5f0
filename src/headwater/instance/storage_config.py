"""The ``storage:`` and ``retention:`` sections of ``headwater.yaml``.

::

    storage:
      sqlite:
        base_dir: db                       # relative to the instance directory
    # or
    storage:
      postgres:
        url: {env: HEADWATER_PG_URL}       # postgresql://user:password@host:5432/db
        # or, instead of url, each optional and each may be {env: VAR}:
        # host: 127.0.0.1, port: 5432, username: headwater, password: {env: PGPASSWORD},
        # db_name: headwater
        pool_size: 10                      # connections kept open per process (default 5)

    retention:
      event_logs: {purge_after_days: 30}   # log and step events of finished runs
      runs: {purge_after_days: 90, keep_failed: true}

Secrets are read from the environment when the file is loaded and never shown:
:class:`PostgresConfig`'s ``repr`` and :attr:`PostgresConfig.display_url` mask the password.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from headwater.errors import InvalidConfigError
from headwater.storage.maintenance import RetentionPolicy

#: Connections a PostgreSQL storage keeps open per process unless ``pool_size`` says otherwise.
DEFAULT_POOL_SIZE = 5
_POSTGRES_PARTS = ("host", "port", "username", "password", "db_name")


@dataclass(frozen=True, slots=True, kw_only=True)
class PostgresConfig:
    """``storage: postgres:``: where the PostgreSQL database is and how many connections to keep.

    Attributes:
        url: the SQLAlchemy URL, password included (``postgresql+psycopg://...``); never shown.
        pool_size: connections kept open per process.
    """

    url: str = field(repr=False)
    pool_size: int = DEFAULT_POOL_SIZE

    @property
    def display_url(self) -> str:
        """The URL with its password masked, safe to print or log."""
        from sqlalchemy import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    def __repr__(self) -> str:
        return f"PostgresConfig(url={self.display_url!r}, pool_size={self.pool_size})"


#: ``retention:`` of ``headwater.yaml`` (the storage layer applies it).
RetentionConfig = RetentionPolicy


def parse_postgres(path: Path, raw: Any) -> PostgresConfig:
    """Read ``storage.postgres``; ``{env: VAR}`` values are read from the environment.

    Raises:
        InvalidConfigError: for unknown keys, wrong types, both ``url`` and parts, or an unset
            environment variable (naming the variable, never a value).
    """
    where = "storage.postgres"
    section = _mapping(path, raw or {}, where)
    _check_keys(path, section, {"url", "pool_size", *_POSTGRES_PARTS}, where + ".")
    pool_size = section.get("pool_size", DEFAULT_POOL_SIZE)
    if not isinstance(pool_size, int) or isinstance(pool_size, bool) or pool_size < 1:
        _fail(path, f"{where}.pool_size", f"expected an integer >= 1, got {_kind(pool_size)}")
    parts = {k: _value(path, section[k], f"{where}.{k}") for k in _POSTGRES_PARTS if k in section}
    if "url" in section:
        if parts:
            _fail(path, where, "give either url or host/port/username/password/db_name, not both")
        url = _value(path, section["url"], f"{where}.url")
        return PostgresConfig(url=_with_driver(path, url), pool_size=pool_size)
    if "db_name" not in parts:
        _fail(path, where, "expected url, or db_name (with host, port, username, password)")
    from sqlalchemy import URL

    port = parts.get("port")
    if port is not None and not port.isdigit():
        _fail(path, f"{where}.port", "expected a port number")
    url_obj = URL.create(
        "postgresql+psycopg",
        username=parts.get("username"),
        password=parts.get("password"),
        host=parts.get("host"),
        port=int(port) if port is not None else None,
        database=parts["db_name"],
    )
    return PostgresConfig(url=url_obj.render_as_string(hide_password=False), pool_size=pool_size)


def parse_retention(path: Path, raw: Any) -> RetentionPolicy:
    """Read ``retention``.

    Raises:
        InvalidConfigError: for unknown keys, wrong types, or a retention of 0 days or less
            (which would delete the history of runs still being looked at).
    """
    if raw is None:
        return RetentionPolicy()
    section = _mapping(path, raw, "retention")
    _check_keys(path, section, {"event_logs", "runs"}, "retention.")
    events = _mapping(path, section.get("event_logs") or {}, "retention.event_logs")
    _check_keys(path, events, {"purge_after_days"}, "retention.event_logs.")
    runs = _mapping(path, section.get("runs") or {}, "retention.runs")
    _check_keys(path, runs, {"purge_after_days", "keep_failed"}, "retention.runs.")
    keep_failed = runs.get("keep_failed", True)
    if not isinstance(keep_failed, bool):
        _fail(
            path, "retention.runs.keep_failed", f"expected true or false, got {_kind(keep_failed)}"
        )
    return RetentionPolicy(
        event_logs_days=_days(path, events.get("purge_after_days"), "retention.event_logs"),
        runs_days=_days(path, runs.get("purge_after_days"), "retention.runs"),
        keep_failed=keep_failed,
    )


def _days(path: Path, value: Any, where: str) -> float | None:
    if value is None:
        return None
    key = f"{where}.purge_after_days"
    if not isinstance(value, int | float) or isinstance(value, bool):
        _fail(path, key, f"expected a number of days, got {_kind(value)}")
    if value <= 0:
        _fail(
            path,
            key,
            f"{value} days would delete the history of every finished run, including runs that "
            "just ended; use at least 1 day, or remove the key to keep everything",
        )
    return float(value)


def _value(path: Path, value: Any, where: str) -> str:
    """A string, an integer (ports) or ``{env: VAR}`` read from the environment."""
    if isinstance(value, dict):
        _check_keys(path, value, {"env"}, where + ".")
        var = value.get("env")
        if not isinstance(var, str) or not var:
            _fail(path, where + ".env", "expected the name of an environment variable")
        found = os.environ.get(var)
        if found is None:
            _fail(path, where, f"environment variable {var} is not set")
        return found
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        _fail(path, where, f"expected a string or {{env: VAR}}, got {type(value).__name__}")
    return value


def _with_driver(path: Path, url: str) -> str:
    """``postgresql://`` and ``postgres://`` URLs use psycopg 3."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        _fail(path, "storage.postgres.url", "not a URL like postgresql://user@host:5432/db")
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    else:
        _fail(
            path,
            "storage.postgres.url",
            f"expected a postgresql:// URL, got scheme {parsed.drivername!r}",
        )
    return parsed.render_as_string(hide_password=False)


def _mapping(path: Path, value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(path, where, f"expected a mapping, got {_kind(value)}")
    return dict(value)


def _check_keys(path: Path, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise InvalidConfigError(
            f"Unknown key(s) {', '.join(unknown)} in {path}",
            [(where + key, f"unknown key; expected one of {sorted(allowed)}") for key in unknown],
        )


def _fail(path: Path, where: str, message: str) -> NoReturn:
    raise InvalidConfigError(f"Invalid {where} in {path}: {message}", [(where, message)])


def _kind(value: object) -> str:
    # Never used for secrets: only types and non-secret settings reach it.
    return f"{value!r} ({type(value).__name__})"
