"""The sections of ``headwater.yaml`` read by the daemon: run queue, run monitoring, run retries.

::

    run_queue:
      max_concurrent_runs: 10          # runs STARTING/STARTED/CANCELING at once; -1: no limit,
                                       # 0: dequeue nothing (the queue is paused)
      tag_concurrency_limits:
        - {key: team, limit: 4}                    # runs carrying the tag, whatever its value
        - {key: team, value: data, limit: 2}       # runs whose tag has this value
        - {key: customer, value: {applyLimitPerUniqueValue: true}, limit: 1}  # per value
      dequeue_interval_seconds: 0.5
    run_monitoring:
      enabled: true
      start_timeout_seconds: 180      # a run STARTING longer than this fails
      heartbeat_interval_seconds: 10  # how often run workers heartbeat
      poll_interval_seconds: 5        # default: half the heartbeat interval, at most 5 s
      max_runtime_seconds: null       # default for runs without a headwater/max_runtime tag
    run_retries:
      enabled: false
      max_retries: 0                  # default for runs without a headwater/max_retries tag
      retry_on_asset_or_op_failure: true
    daemon:
      heartbeat_interval_seconds: 5
      heartbeat_tolerance_seconds: 60 # a daemon silent this long is taken over
      max_catchup_runs: 1             # missed ticks a schedule catches up after downtime
      sensor_timeout_seconds: 60      # one sensor or schedule evaluation fails after this long
      sensor_workers: 8               # sensors evaluated at once
      automation_interval_seconds: 30 # between two ticks of the default automation sensor
      freshness_interval_seconds: 30  # between two evaluations of freshness policies

Every key is optional. An unknown key or a value of the wrong type is an
:class:`~headwater.errors.InvalidConfigError` naming the key path and the expected value.

Dagster's forms of the run queue settings are read too, so a ``dagster.yaml`` section can be
copied as it is: ``run_coordinator: {module: dagster.core.run_coordinator, class:
QueuedRunCoordinator, config: {...}}`` and ``concurrency: {runs: {max_concurrent_runs,
tag_concurrency_limits}}`` (only one of them, or ``run_queue``, per file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from headwater.errors import InvalidConfigError

#: The top-level keys this module reads (``concurrency`` is shared with concurrency pools).
SECTIONS = ("run_queue", "run_monitoring", "run_retries", "daemon", "run_coordinator")

_COORDINATOR_CLASSES = ("QueuedRunCoordinator",)
_COORDINATOR_MODULES = ("dagster", "dagster.core.run_coordinator", "dagster._core.run_coordinator")
# QueuedRunCoordinator settings about how Dagster's own daemon dequeues: accepted, no effect.
_IGNORED_COORDINATOR_KEYS = frozenset({"dequeue_use_threads", "dequeue_num_workers"})

_PER_VALUE = "applyLimitPerUniqueValue"


@dataclass(frozen=True, slots=True, kw_only=True)
class TagConcurrencyLimit:
    """At most ``limit`` in-progress runs carrying tag ``key``.

    Attributes:
        key: the tag key.
        value: only runs whose tag has this value count; ``None``: any value.
        per_unique_value: the limit applies to each value separately (``value:
            {applyLimitPerUniqueValue: true}`` in YAML).
        limit: how many such runs may be in progress at once (0 blocks them).
    """

    key: str
    value: str | None = None
    per_unique_value: bool = False
    limit: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RunQueueConfig:
    """``run_queue:``: how the daemon dequeues QUEUED runs (see the module docstring)."""

    max_concurrent_runs: int = 10
    tag_concurrency_limits: tuple[TagConcurrencyLimit, ...] = ()
    dequeue_interval_seconds: float = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class RunMonitoringConfig:
    """``run_monitoring:``: how the daemon watches runs in progress."""

    enabled: bool = True
    start_timeout_seconds: float = 180.0
    heartbeat_interval_seconds: float = 10.0
    poll_interval_seconds: float | None = None
    max_runtime_seconds: float | None = None

    @property
    def poll_interval(self) -> float:
        """Seconds between monitoring ticks: the configured value, else half the worker
        heartbeat interval (at most 5 s), so a dead worker is noticed within 2 heartbeats."""
        if self.poll_interval_seconds is not None:
            return self.poll_interval_seconds
        return min(self.heartbeat_interval_seconds / 2, 5.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRetriesConfig:
    """``run_retries:``: whether the daemon re-executes failed runs from failure."""

    enabled: bool = False
    max_retries: int = 0
    retry_on_asset_or_op_failure: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class DaemonConfig:
    """``daemon:``: how often the daemon heartbeats and when another may take over; how
    schedules catch up and sensors are evaluated.

    Attributes:
        max_catchup_runs: of the ticks a schedule missed while no daemon ran, at most this
            many (the latest) are evaluated; 0 evaluates none of them.
        sensor_timeout_seconds: a sensor (or schedule) evaluation still running after this
            long is a FAILURE tick (the others are not held up).
        sensor_workers: how many sensors (and, separately, schedules) are evaluated at once.
        automation_interval_seconds: seconds between two ticks of the default automation
            sensor (Dagster's 30 s).
        freshness_interval_seconds: seconds between two evaluations of the freshness
            policies.
    """

    heartbeat_interval_seconds: float = 5.0
    heartbeat_tolerance_seconds: float = 60.0
    max_catchup_runs: int = 1
    sensor_timeout_seconds: float = 60.0
    sensor_workers: int = 8
    automation_interval_seconds: float = 30.0
    freshness_interval_seconds: float = 30.0


@dataclass(frozen=True, slots=True, kw_only=True)
class DaemonSettings:
    """The four sections together, defaults filled in."""

    run_queue: RunQueueConfig = RunQueueConfig()
    run_monitoring: RunMonitoringConfig = RunMonitoringConfig()
    run_retries: RunRetriesConfig = RunRetriesConfig()
    daemon: DaemonConfig = DaemonConfig()


def parse_daemon_settings(path: Path, config: Mapping[str, Any]) -> DaemonSettings:
    """Read the daemon's sections of a ``headwater.yaml`` already loaded as ``config``.

    Args:
        path: the file (for error messages).
        config: its top-level mapping.

    Returns:
        The settings.

    Raises:
        InvalidConfigError: an unknown key or a bad value; ``errors`` name each path, e.g.
            ``run_queue.tag_concurrency_limits[0].limit``.

    Example:
        >>> from pathlib import Path
        >>> raw = {"run_queue": {"max_concurrent_runs": 2}}
        >>> parse_daemon_settings(Path("headwater.yaml"), raw).run_queue.max_concurrent_runs
        2
    """
    reader = _Reader(path)
    where, queue = _queue_section(reader, config)
    settings = DaemonSettings(
        run_queue=RunQueueConfig(
            max_concurrent_runs=reader.integer(queue, f"{where}.max_concurrent_runs", 10, -1),
            tag_concurrency_limits=reader.tag_limits(
                queue.get("tag_concurrency_limits"), f"{where}.tag_concurrency_limits"
            ),
            dequeue_interval_seconds=reader.seconds(
                queue, f"{where}.dequeue_interval_seconds", 0.5
            ),
        ),
        run_monitoring=_monitoring(
            reader, reader.section(config, "run_monitoring", RunMonitoringConfig)
        ),
        run_retries=_retries(reader, reader.section(config, "run_retries", RunRetriesConfig)),
        daemon=_daemon(reader, reader.section(config, "daemon", DaemonConfig)),
    )
    reader.raise_errors()
    return settings


def _queue_section(reader: _Reader, config: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """Where the run queue settings are (``run_queue``, or a Dagster form) and their mapping."""
    given = [name for name in ("run_queue", "run_coordinator") if config.get(name) is not None]
    runs = config.get("concurrency")
    if isinstance(runs, dict) and runs.get("runs") is not None:
        given.append("concurrency.runs")
    if len(given) > 1:
        reader.error(given[1], f"the run queue is already configured by {given[0]}; keep one")
    if not given or given[0] == "run_queue":
        return "run_queue", reader.section(config, "run_queue", RunQueueConfig)
    if given[0] == "concurrency.runs":
        section = runs["runs"] if isinstance(runs, dict) else None
        if not isinstance(section, dict):
            reader.error("concurrency.runs", f"expected a mapping, got {_kind(section)}")
            return "concurrency.runs", {}
        allowed = {"max_concurrent_runs", "tag_concurrency_limits"}
        reader.unknown_keys(section, "concurrency.runs", allowed)
        return "concurrency.runs", section
    return _run_coordinator(reader, config["run_coordinator"])


def _run_coordinator(reader: _Reader, raw: Any) -> tuple[str, Mapping[str, Any]]:
    where = "run_coordinator"
    if not isinstance(raw, dict):
        reader.error(where, f"expected a mapping {{module, class, config}}, got {_kind(raw)}")
        return where, {}
    reader.unknown_keys(raw, where, {"module", "class", "config"})
    if raw.get("class") not in _COORDINATOR_CLASSES or raw.get("module") not in (
        None,
        *_COORDINATOR_MODULES,
    ):
        reader.error(
            where,
            "expected Dagster's QueuedRunCoordinator (module dagster.core.run_coordinator, "
            f"class QueuedRunCoordinator), got module {raw.get('module')!r} class "
            f"{raw.get('class')!r}; headwater always queues runs (run_queue: in headwater.yaml)",
        )
        return where, {}
    section = raw.get("config") or {}
    if not isinstance(section, dict):
        reader.error(f"{where}.config", f"expected a mapping, got {_kind(section)}")
        return f"{where}.config", {}
    allowed = {*RunQueueConfig.__dataclass_fields__, *_IGNORED_COORDINATOR_KEYS}
    reader.unknown_keys(section, f"{where}.config", allowed)
    return f"{where}.config", section


def _monitoring(reader: _Reader, raw: Mapping[str, Any]) -> RunMonitoringConfig:
    where = "run_monitoring."
    return RunMonitoringConfig(
        enabled=reader.boolean(raw, where + "enabled", True),
        start_timeout_seconds=reader.seconds(raw, where + "start_timeout_seconds", 180.0),
        heartbeat_interval_seconds=reader.seconds(raw, where + "heartbeat_interval_seconds", 10.0),
        poll_interval_seconds=reader.seconds(raw, where + "poll_interval_seconds", None),
        max_runtime_seconds=reader.seconds(raw, where + "max_runtime_seconds", None),
    )


def _retries(reader: _Reader, raw: Mapping[str, Any]) -> RunRetriesConfig:
    where = "run_retries."
    return RunRetriesConfig(
        enabled=reader.boolean(raw, where + "enabled", False),
        max_retries=reader.integer(raw, where + "max_retries", 0, 0),
        retry_on_asset_or_op_failure=reader.boolean(
            raw, where + "retry_on_asset_or_op_failure", True
        ),
    )


def _daemon(reader: _Reader, raw: Mapping[str, Any]) -> DaemonConfig:
    interval = reader.seconds(raw, "daemon.heartbeat_interval_seconds", 5.0)
    tolerance = reader.seconds(raw, "daemon.heartbeat_tolerance_seconds", 60.0)
    if interval is not None and tolerance is not None and tolerance <= interval:
        reader.error(
            "daemon.heartbeat_tolerance_seconds",
            f"expected more than heartbeat_interval_seconds ({interval}), got {tolerance}",
        )
    automation = reader.seconds(raw, "daemon.automation_interval_seconds", 30.0)
    freshness = reader.seconds(raw, "daemon.freshness_interval_seconds", 30.0)
    return DaemonConfig(
        heartbeat_interval_seconds=interval or 5.0,
        heartbeat_tolerance_seconds=tolerance or 60.0,
        max_catchup_runs=reader.integer(raw, "daemon.max_catchup_runs", 1, 0),
        sensor_timeout_seconds=reader.seconds(raw, "daemon.sensor_timeout_seconds", 60.0) or 60.0,
        sensor_workers=reader.integer(raw, "daemon.sensor_workers", 8, 1),
        automation_interval_seconds=automation or 30.0,
        freshness_interval_seconds=freshness or 30.0,
    )


class _Reader:
    """Reads values, collecting one error per bad path (all reported together)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[tuple[str, str]] = []

    def error(self, where: str, problem: str) -> None:
        self.errors.append((where, problem))

    def raise_errors(self) -> None:
        if self.errors:
            raise InvalidConfigError(f"Invalid daemon settings in {self.path}", self.errors)

    def section(self, config: Mapping[str, Any], name: str, kind: Any) -> Mapping[str, Any]:
        raw = config.get(name)
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.error(name, f"expected a mapping, got {_kind(raw)}")
            return {}
        self.unknown_keys(raw, name, set(kind.__dataclass_fields__))
        return raw

    def unknown_keys(self, raw: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        for key in sorted(str(k) for k in raw if k not in allowed):
            self.error(f"{where}.{key}", f"unknown key; expected one of {sorted(allowed)}")

    def integer(self, raw: Mapping[str, Any], where: str, default: int, minimum: int) -> int:
        value = raw.get(where.rsplit(".", 1)[-1], default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(where, f"expected an integer >= {minimum}, got {_kind(value)}")
            return default
        return value

    def seconds(self, raw: Mapping[str, Any], where: str, default: float | None) -> Any:
        value = raw.get(where.rsplit(".", 1)[-1], default)
        if value is None:
            if default is not None:
                self.error(where, "expected a number of seconds > 0, got None")
            return default
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            self.error(where, f"expected a number of seconds > 0, got {_kind(value)}")
            return default
        return float(value)

    def boolean(self, raw: Mapping[str, Any], where: str, default: bool) -> bool:
        value = raw.get(where.rsplit(".", 1)[-1], default)
        if not isinstance(value, bool):
            self.error(where, f"expected true or false, got {_kind(value)}")
            return default
        return value

    def tag_limits(self, raw: Any, where: str) -> tuple[TagConcurrencyLimit, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.error(where, f"expected a list of {{key, value, limit}}, got {_kind(raw)}")
            return ()
        limits = []
        for index, item in enumerate(raw):
            found = self._tag_limit(f"{where}[{index}]", item)
            if found is not None:
                limits.append(found)
        return tuple(limits)

    def _tag_limit(self, where: str, item: Any) -> TagConcurrencyLimit | None:
        if not isinstance(item, dict):
            self.error(where, f"expected a mapping {{key, value, limit}}, got {_kind(item)}")
            return None
        for unknown in sorted(str(k) for k in item if k not in ("key", "value", "limit")):
            self.error(
                f"{where}.{unknown}", "unknown key; expected one of ['key', 'limit', 'value']"
            )
        key: Any = item.get("key")
        value: Any = item.get("value")
        limit: Any = item.get("limit")
        ok = True
        if not isinstance(key, str) or not key:
            self.error(f"{where}.key", f"expected a tag key (a string), got {_kind(key)}")
            ok = False
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            self.error(f"{where}.limit", f"expected an integer >= 0, got {_kind(limit)}")
            ok = False
        per_value = isinstance(value, dict) and value == {_PER_VALUE: True}
        if value is not None and not per_value and not isinstance(value, str):
            self.error(
                f"{where}.value",
                f"expected a string or {{{_PER_VALUE}: true}}, got {_kind(value)}",
            )
            ok = False
        if not ok:
            return None
        return TagConcurrencyLimit(
            key=key,
            value=value if isinstance(value, str) else None,
            per_unique_value=per_value,
            limit=limit,
        )


def _kind(value: object) -> str:
    return f"{value!r} ({type(value).__name__})"
