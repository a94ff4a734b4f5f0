"""Executor definitions: how the steps of a run are executed (pure data, no processes here).

``in_process_executor`` runs the steps one after another in the process that runs the run;
``multiprocess_executor`` runs them in a warm pool of worker processes, several at once;
``dask_executor`` submits them to a Dask (``distributed``) cluster;
``multi_or_in_process_executor`` (the default) is in-process for ``execute_in_process`` /
``materialize`` and multiprocess for runs executed with ``execute_job``. Pass one to
``define_asset_job(executor_def=)``, ``@job(executor_def=)`` or ``Definitions(executor=)``;
the executors themselves live in :mod:`headwater.execution.executors`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.declarations.dask_config import DaskConfig, dask_config, dask_config_errors
from headwater.errors import DefinitionError, InvalidConfigError

IN_PROCESS = "in_process"
MULTIPROCESS = "multiprocess"
MULTI_OR_IN_PROCESS = "multi_or_in_process"
DASK = "dask"
_KINDS = (IN_PROCESS, MULTIPROCESS, MULTI_OR_IN_PROCESS, DASK)
#: executors whose steps run in other processes (values must be stored outside the process)
OUT_OF_PROCESS = frozenset({MULTIPROCESS, DASK})
_START_METHODS = ("forkserver", "spawn")


@dataclass(frozen=True, slots=True, kw_only=True)
class TagConcurrencyLimit:
    """At most ``limit`` steps with tag ``key`` (equal to ``value``) run at once in one run.

    Attributes:
        key: the step (op) tag.
        value: the tag value the limit counts (``None``: any value, counted together).
        per_unique_value: count each value of the tag separately (Dagster's
            ``{"applyLimitPerUniqueValue": True}``).
        limit: how many such steps may run at once (at least 1).
    """

    key: str
    value: str | None = None
    per_unique_value: bool = False
    limit: int

    def bucket(self, tags: Mapping[str, str]) -> tuple[str, str | None] | None:
        """The bucket a step with ``tags`` counts in under this limit (``None``: it does not)."""
        if self.key not in tags:
            return None
        if self.per_unique_value:
            return (self.key, tags[self.key])
        if self.value is not None and tags[self.key] != self.value:
            return None
        return (self.key, self.value)


@dataclass(frozen=True, slots=True, kw_only=True)
class MultiprocessConfig:
    """The validated config of a multiprocess executor.

    Attributes:
        max_concurrent: how many steps run at once (worker processes), ``None``: the CPU count.
        start_method: ``"forkserver"`` (the default on Linux) or ``"spawn"`` (elsewhere).
        preload_modules: modules the forkserver imports once, before it forks workers.
        tag_concurrency_limits: limits on steps by tag.
    """

    max_concurrent: int | None = None
    start_method: str = field(
        default_factory=lambda: "forkserver" if sys.platform.startswith("linux") else "spawn"
    )
    preload_modules: tuple[str, ...] = ()
    tag_concurrency_limits: tuple[TagConcurrencyLimit, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class ExecutorDefinition:
    """How a job's runs execute their steps: in process, in a pool of worker processes, or on
    a Dask cluster.

    Use the three definitions this module provides, optionally ``configured``; Dagster's custom
    ``@executor`` is not supported.

    Attributes:
        name: ``"in_process"``, ``"multiprocess"``, ``"multi_or_in_process"`` or ``"dask"``.
        config: the executor config, validated (see :meth:`configured`).
        description: what it does.

    Example:
        >>> from headwater import define_asset_job, multiprocess_executor
        >>> four = multiprocess_executor.configured({"max_concurrent": 4})
        >>> four.name, four.config
        ('multiprocess', {'max_concurrent': 4})
        >>> define_asset_job("nightly", executor_def=four).executor_def is four
        True
    """

    name: str
    config: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None

    def __post_init__(self) -> None:
        if self.name not in _KINDS:
            raise DefinitionError(
                f"Unknown executor {self.name!r}; use in_process_executor, multiprocess_executor, "
                "multi_or_in_process_executor or dask_executor."
            )
        validate_executor_config(self.name, self.config)

    def __repr__(self) -> str:
        config = f", config={dict(self.config)!r}" if self.config else ""
        return f"<ExecutorDefinition {self.name!r}{config}>"

    def configured(
        self, config: Mapping[str, Any], name: str | None = None
    ) -> ExecutorDefinition:
        """This executor with ``config``.

        Args:
            config: for ``multiprocess_executor``: ``max_concurrent`` (int >= 0; 0 or absent:
                the CPU count), ``start_method`` (``"forkserver"`` or ``"spawn"``, or Dagster's
                ``{"forkserver": {"preload_modules": [...]}}`` / ``{"spawn": {}}``) and
                ``tag_concurrency_limits`` (a list of ``{"key": str, "value": str, "limit":
                int}``; ``value`` may be left out (any value) or be
                ``{"applyLimitPerUniqueValue": True}``). ``in_process_executor`` takes ``{}``;
                ``multi_or_in_process_executor`` takes ``{"multiprocess": {...}}`` and
                ``{"in_process": {}}``; ``dask_executor`` takes ``{"cluster": {"local":
                {"n_workers": int, "threads_per_worker": int, "processes": bool}}}`` or
                ``{"cluster": {"existing": {"address": str, "timeout": seconds}}}`` (see
                :class:`~headwater.declarations.dask_config.DaskConfig`).
            name: ignored (kept for Dagster's signature): an executor is named by its kind.

        Raises:
            InvalidConfigError: an unknown key or a value of the wrong type (the path is named).
        """
        return ExecutorDefinition(name=self.name, config=dict(config),
                                  description=self.description)  # fmt: skip

    def resolve(
        self, *, in_process: bool, execution_config: Mapping[str, Any] | None = None
    ) -> tuple[str, MultiprocessConfig | DaskConfig | None]:
        """The executor a run uses: ``("in_process", None)``, ``("multiprocess", config)`` or
        ``("dask", config)``.

        Args:
            in_process: the run is executed by ``execute_in_process`` (or ``materialize``):
                ``multi_or_in_process_executor`` is then in-process.
            execution_config: the run config's ``execution`` section (``{"config": {...}}``),
                overriding this executor's config.

        Raises:
            InvalidConfigError: the ``execution`` section is not valid for this executor.
        """
        config = dict(self.config)
        if execution_config:
            given = execution_config.get("config", {})
            validate_executor_config(self.name, given, path="execution.config")
            # For multi_or_in_process the run config chooses one of the two (a selector).
            config = dict(given) if self.name == MULTI_OR_IN_PROCESS else {**config, **given}
        if self.name == IN_PROCESS:
            return IN_PROCESS, None
        if self.name == DASK:
            return DASK, dask_config(config)
        if self.name == MULTI_OR_IN_PROCESS:
            if in_process or ("in_process" in config and "multiprocess" not in config):
                return IN_PROCESS, None
            config = dict(config.get("multiprocess") or {})
        return MULTIPROCESS, _multiprocess_config(config)


def validate_executor_config(
    kind: str, config: Mapping[str, Any], *, path: str = "config"
) -> None:
    """Check the config of an executor of ``kind``.

    Raises:
        InvalidConfigError: every bad path, with what is expected there.
    """
    errors: list[tuple[str, str]] = []
    if not isinstance(config, Mapping):
        raise InvalidConfigError(f"Executor {kind!r}: config must be a dict, got {config!r}.")
    if kind == IN_PROCESS:
        errors += [(f"{path}.{k}", "unknown key (the in-process executor takes no config)")
                   for k in config]  # fmt: skip
    elif kind == MULTIPROCESS:
        errors += _multiprocess_errors(config, path)
    elif kind == DASK:
        errors += dask_config_errors(config, path)
    else:
        for key, value in config.items():
            if key == "multiprocess":
                errors += _multiprocess_errors(value or {}, f"{path}.multiprocess")
            elif key == "in_process":
                if value:
                    errors.append((f"{path}.in_process", "expected {} (no config)"))
            else:
                errors.append((f"{path}.{key}", "unknown key; expected multiprocess or in_process"))
    if errors:
        raise InvalidConfigError(f"Executor {kind!r}: invalid config.", errors)


def _multiprocess_errors(config: Any, path: str) -> list[tuple[str, str]]:
    if not isinstance(config, Mapping):
        return [(path, f"expected a dict, got {config!r}")]
    errors: list[tuple[str, str]] = []
    for key, value in config.items():
        where = f"{path}.{key}"
        if key == "max_concurrent":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                      or value < 0):  # fmt: skip
                errors.append((where, f"expected an int >= 0, got {value!r}"))
        elif key == "start_method":
            errors += _start_method_errors(value, where)
        elif key == "tag_concurrency_limits":
            errors += _tag_limit_errors(value, where)
        else:
            errors.append(
                (where, "unknown key; expected max_concurrent, start_method or "
                        "tag_concurrency_limits")
            )  # fmt: skip
    return errors


def _start_method_errors(value: Any, where: str) -> list[tuple[str, str]]:
    expected = "expected 'forkserver' or 'spawn' (or {'forkserver': {'preload_modules': [...]}})"
    if isinstance(value, str):
        return [] if value in _START_METHODS else [(where, f"{expected}, got {value!r}")]
    if not isinstance(value, Mapping) or len(value) != 1:
        return [(where, f"{expected}, got {value!r}")]
    (method, options), = value.items()
    if method not in _START_METHODS:
        return [(where, f"{expected}, got {method!r}")]
    options = options or {}
    if not isinstance(options, Mapping):
        return [(f"{where}.{method}", f"expected a dict, got {options!r}")]
    errors = []
    for key, item in options.items():
        if key != "preload_modules" or method != "forkserver":
            errors.append((f"{where}.{method}.{key}", "unknown key"))
        elif not isinstance(item, Sequence) or isinstance(item, str) or not all(
            isinstance(m, str) for m in item
        ):
            errors.append((f"{where}.{method}.{key}", "expected a list of module names"))
    return errors


def _tag_limit_errors(value: Any, where: str) -> list[tuple[str, str]]:
    if value is None:
        return []
    if not isinstance(value, Sequence) or isinstance(value, str):
        return [(where, f"expected a list of {{key, value, limit}}, got {value!r}")]
    errors: list[tuple[str, str]] = []
    for index, item in enumerate(value):
        at = f"{where}[{index}]"
        if not isinstance(item, Mapping):
            errors.append((at, f"expected a dict with key and limit, got {item!r}"))
            continue
        for unknown in sorted(set(item) - {"key", "value", "limit"}):
            errors.append((f"{at}.{unknown}", "unknown key; expected key, value, limit"))
        if not isinstance(item.get("key"), str):
            errors.append((f"{at}.key", f"expected a tag key (str), got {item.get('key')!r}"))
        limit = item.get("limit")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            errors.append((f"{at}.limit", f"expected an int >= 1, got {limit!r}"))
        tag_value = item.get("value")
        if tag_value is not None and not isinstance(tag_value, str) and tag_value != {
            "applyLimitPerUniqueValue": True
        }:
            errors.append(
                (f"{at}.value", "expected a str or {'applyLimitPerUniqueValue': True}, got "
                                f"{tag_value!r}")
            )  # fmt: skip
    return errors


def _multiprocess_config(config: Mapping[str, Any]) -> MultiprocessConfig:
    start = config.get("start_method")
    preload: tuple[str, ...] = ()
    if isinstance(start, Mapping):
        (method, options), = start.items()
        preload = tuple((options or {}).get("preload_modules", ()))
        start = method
    limits = tuple(
        TagConcurrencyLimit(
            key=item["key"],
            value=item.get("value") if isinstance(item.get("value"), str) else None,
            per_unique_value=isinstance(item.get("value"), Mapping),
            limit=item["limit"],
        )
        for item in config.get("tag_concurrency_limits") or ()
    )
    defaults = MultiprocessConfig()
    return MultiprocessConfig(
        max_concurrent=config.get("max_concurrent") or None,
        start_method=start or defaults.start_method,
        preload_modules=preload,
        tag_concurrency_limits=limits,
    )


in_process_executor = ExecutorDefinition(
    name=IN_PROCESS,
    description="Runs the steps one after another in the process that runs the run.",
)
"""Runs the steps of a run one after another in the process executing the run."""

multiprocess_executor = ExecutorDefinition(
    name=MULTIPROCESS,
    description="Runs the steps in a warm pool of worker processes, several at once.",
)
"""Runs the steps of a run in a warm pool of worker processes (``max_concurrent`` at once)."""

multi_or_in_process_executor = ExecutorDefinition(
    name=MULTI_OR_IN_PROCESS,
    description="In process for execute_in_process, multiprocess for execute_job.",
)
"""The default: in-process for ``execute_in_process``, multiprocess for ``execute_job``."""

dask_executor = ExecutorDefinition(
    name=DASK,
    description="Submits the steps to a Dask cluster (a LocalCluster, or an existing scheduler).",
)
"""Submits the steps of a run to a Dask ``distributed`` cluster as their inputs become ready.

Config (``dask_executor.configured({...})`` or the run config's ``execution.config``):
``{"cluster": {"local": {"n_workers": 2, "threads_per_worker": 1, "processes": True}}}`` (the
default: a ``LocalCluster`` started for the run and closed after it) or ``{"cluster":
{"existing": {"address": "tcp://127.0.0.1:8786"}}}``. A step tagged
``op_tags={"dask/resource/GPU": "1"}`` runs only on workers with that Dask resource. Needs the
``[dask]`` extra (``pip install 'headwater[dask]'``); the workers must be able to import the
code location and open the run's instance (values pass between steps through IO managers).

Example:
    >>> from headwater import dask_executor, define_asset_job
    >>> cluster = dask_executor.configured(
    ...     {"cluster": {"existing": {"address": "tcp://127.0.0.1:8786"}}})
    >>> define_asset_job("big", selection="*", executor_def=cluster).executor_def.name
    'dask'
"""


def coerce_executor_def(value: Any, where: str) -> ExecutorDefinition | None:
    """``value`` as an executor definition (``None`` stays ``None``).

    Raises:
        DefinitionError: ``value`` is not an :class:`ExecutorDefinition`.
    """
    if value is None or isinstance(value, ExecutorDefinition):
        return value
    raise DefinitionError(
        f"{where}: executor must be in_process_executor, multiprocess_executor, "
        f"multi_or_in_process_executor or dask_executor (optionally .configured({{...}})), "
        f"got {value!r}."
    )


def refuse_in_memory_io_managers(
    job_name: str, resources: Mapping[str, Any], io_manager_keys: set[str]
) -> None:
    """Raise when a multiprocess run would store values with an in-memory IO manager.

    Raises:
        DefinitionError: one of ``io_manager_keys`` is an ``InMemoryIOManager`` (or
            ``mem_io_manager``) in ``resources``.
    """
    in_memory = sorted(k for k in io_manager_keys if is_in_memory_io_manager(resources.get(k)))
    if in_memory:
        raise DefinitionError(
            f"Job {job_name!r} runs its steps in separate processes (multiprocess or Dask "
            "executor), "
            f"but IO manager(s) {in_memory} keep values in memory, where the other processes "
            "cannot read them. Use FilesystemIOManager (the default) or another IO manager "
            "that stores values outside the process, or run the job in process "
            "(executor_def=in_process_executor, or execute_in_process)."
        )


def is_in_memory_io_manager(resource: Any) -> bool:
    """Whether ``resource`` keeps values in this process (``InMemoryIOManager``,
    ``mem_io_manager``)."""
    if resource is None:
        return False
    # Neither class can have instances before its module is imported: look, do not import.
    builtin = sys.modules.get("headwater.declarations.io_managers.builtin")
    if builtin is not None and isinstance(resource, builtin.InMemoryIOManager):
        return True
    legacy = sys.modules.get("headwater.declarations.io_managers.legacy")
    return legacy is not None and resource is legacy.mem_io_manager
