"""Reading ``headwater.yaml``, the configuration file of an instance directory.

Recognised keys (everything else is an error naming the key)::

    storage:
      sqlite:
        base_dir: db          # relative to the instance directory; default: the directory itself

    storage:
      postgres:
        url: {env: HEADWATER_PG_URL}   # or host/port/username/password/db_name; pool_size

    retention:
      event_logs: {purge_after_days: 30}
      runs: {purge_after_days: 90, keep_failed: true}

    concurrency:
      pools:
        default_limit: 4      # steps of one pool at once, across runs, for pools without a limit
                              # set by `headwater instance concurrency set` (default: unlimited)

The storage and retention sections are read by :mod:`headwater.instance.storage_config`
(PostgreSQL settings, ``{env: VAR}`` secrets, retention periods). The daemon's sections
(``run_queue``, ``run_monitoring``, ``run_retries``, ``daemon``) are read by
:mod:`headwater.instance.daemon_settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from headwater.errors import InvalidConfigError
from headwater.instance.daemon_settings import (
    SECTIONS,
    DaemonConfig,
    RunMonitoringConfig,
    RunQueueConfig,
    RunRetriesConfig,
    parse_daemon_settings,
)
from headwater.instance.storage_config import (
    PostgresConfig,
    RetentionConfig,
    parse_postgres,
    parse_retention,
)

#: The config file read from the instance directory.
CONFIG_FILE = "headwater.yaml"
#: The SQLite database file name inside the storage base directory.
SQLITE_FILE = "history.db"


@dataclass(frozen=True, slots=True, kw_only=True)
class InstanceConfig:
    """What ``headwater.yaml`` asks for, with defaults filled in.

    Attributes:
        sqlite_path: the SQLite database file (unused when ``postgres`` is set).
        postgres: the PostgreSQL storage settings, or ``None`` for SQLite.
        retention: what retention deletes (nothing by default).
        run_queue / run_monitoring / run_retries / daemon: the daemon's sections.
    """

    sqlite_path: Path
    run_queue: RunQueueConfig = field(default_factory=RunQueueConfig)
    run_monitoring: RunMonitoringConfig = field(default_factory=RunMonitoringConfig)
    run_retries: RunRetriesConfig = field(default_factory=RunRetriesConfig)
    daemon: DaemonConfig = field(default_factory=DaemonConfig)
    pool_default_limit: int | None = None
    postgres: PostgresConfig | None = None
    retention: RetentionConfig = field(default_factory=RetentionConfig)


def load_instance_config(root: Path) -> InstanceConfig:
    """Read ``root/headwater.yaml`` (a missing or empty file means all defaults).

    Args:
        root: the instance directory (absolute).

    Returns:
        The configuration.

    Raises:
        InvalidConfigError: if the file is not valid YAML, has unknown keys or wrong types; the
            error's ``errors`` name each bad path (e.g. ``storage.sqlite.base_dir``).
    """
    path = root / CONFIG_FILE
    raw = _read_yaml(path)
    settings = parse_daemon_settings(path, raw)
    storage = raw.get("storage")
    postgres = None
    if isinstance(storage, dict) and "postgres" in storage and len(storage) == 1:
        postgres = parse_postgres(path, storage["postgres"])
    return InstanceConfig(
        sqlite_path=(root if postgres else _sqlite_base_dir(root, path, raw)) / SQLITE_FILE,
        postgres=postgres,
        retention=parse_retention(path, raw.get("retention")),
        run_queue=settings.run_queue,
        run_monitoring=settings.run_monitoring,
        run_retries=settings.run_retries,
        daemon=settings.daemon,
        pool_default_limit=_pool_default_limit(path, raw),
    )


def _pool_default_limit(path: Path, config: Mapping[str, Any]) -> int | None:
    section = config.get("concurrency")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise InvalidConfigError(
            f"Invalid concurrency config in {path}",
            [("concurrency", f"expected a mapping, got {_kind(section)}")],
        )
    _check_keys(path, section, {"pools", "runs"}, "concurrency.")  # runs: daemon_settings
    pools = section.get("pools") or {}
    if not isinstance(pools, dict):
        raise InvalidConfigError(
            f"Invalid concurrency config in {path}",
            [("concurrency.pools", f"expected a mapping, got {_kind(pools)}")],
        )
    _check_keys(path, pools, {"default_limit"}, "concurrency.pools.")
    limit = pools.get("default_limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise InvalidConfigError(
            f"Invalid concurrency config in {path}",
            [("concurrency.pools.default_limit", f"expected an integer >= 1, got {_kind(limit)}")],
        )
    return limit


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InvalidConfigError(f"{path} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidConfigError(
            f"{path} must hold a mapping", [("<root>", f"expected a mapping, got {_kind(data)}")]
        )
    _check_keys(path, data, {"storage", "concurrency", "retention", *SECTIONS}, "")
    return data


def _sqlite_base_dir(root: Path, path: Path, config: Mapping[str, Any]) -> Path:
    storage = config.get("storage")
    if storage is None:
        return root
    if not isinstance(storage, dict) or len(storage) != 1:
        raise InvalidConfigError(
            f"Invalid storage config in {path}",
            [("storage", "expected exactly one of: sqlite: {base_dir: ...}, postgres: {url: ...}")],
        )
    _check_keys(path, storage, {"sqlite", "postgres"}, "storage.")
    sqlite = storage["sqlite"] or {}
    if not isinstance(sqlite, dict):
        raise InvalidConfigError(
            f"Invalid storage config in {path}",
            [("storage.sqlite", f"expected a mapping, got {_kind(sqlite)}")],
        )
    _check_keys(path, sqlite, {"base_dir"}, "storage.sqlite.")
    base_dir = sqlite.get("base_dir")
    if base_dir is None:
        return root
    if not isinstance(base_dir, str):
        raise InvalidConfigError(
            f"Invalid storage config in {path}",
            [("storage.sqlite.base_dir", f"expected a path string, got {_kind(base_dir)}")],
        )
    return root / Path(os.path.expandvars(base_dir)).expanduser()


def _check_keys(path: Path, data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in allowed)
    if unknown:
        raise InvalidConfigError(
            f"Unknown key(s) {', '.join(unknown)} in {path}",
            [(where + key, f"unknown key; expected one of {sorted(allowed)}") for key in unknown],
        )


def _kind(value: object) -> str:
    return f"{value!r} ({type(value).__name__})"
