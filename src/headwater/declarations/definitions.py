"""``Definitions``: everything a code location declares, validated and indexed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from headwater.asset_graph.graph import AssetGraph, AssetNode
from headwater.declarations import _seam
from headwater.declarations._gc import paused_gc
from headwater.declarations.assets.definition import DEFAULT_IO_MANAGER_KEY, AssetsDefinition
from headwater.declarations.assets.specs import AssetSpec
from headwater.declarations.checks.definition import AssetChecksDefinition, index_asset_checks
from headwater.declarations.executors import (
    OUT_OF_PROCESS,
    coerce_executor_def,
    is_in_memory_io_manager,
    refuse_in_memory_io_managers,
)
from headwater.declarations.jobs.asset_jobs import (
    IMPLICIT_ASSET_JOB_NAME,
    UnresolvedAssetJobDefinition,
)
from headwater.declarations.jobs.definition import JobDefinition
from headwater.errors import (
    DefinitionError,
    DuplicateKeyError,
    MissingResourceError,
    PartitionError,
)
from headwater.keys import AssetCheckKey, AssetKey, CoercibleToAssetKey

if TYPE_CHECKING:
    from headwater.asset_graph.selection import CoercibleToAssetSelection


class Definitions:
    """The assets, jobs and resources of a code location, validated when constructed.

    Args:
        assets: ``@asset``/``@multi_asset`` definitions and ``AssetSpec`` external assets.
        jobs: jobs from ``define_asset_job``.
        resources: resource key -> resource (``ConfigurableResource``, IO manager or any object).
            ``"io_manager"`` defaults to a ``FilesystemIOManager`` under the instance.
        executor: how runs of its jobs execute their steps when the job sets no executor of
            its own (``in_process_executor``, ``multiprocess_executor``...; default:
            ``multi_or_in_process_executor``, in process for ``execute_in_process`` and
            multiprocess for ``execute_job``).
        asset_checks: ``@asset_check``/``@multi_asset_check`` definitions (they may also be
            listed in ``assets``).
        schedules: ``ScheduleDefinition``s (``@schedule``, ``build_schedule_from_partitioned_job``).
        sensors: ``SensorDefinition``s (``@sensor``).
        loggers: not supported yet (use Python logging; records reach the step's event log);
            passing any raises.
        metadata: metadata of the code location.

    Raises:
        DuplicateKeyError: two definitions produce the same asset key, or two jobs share a name.
        CycleError: the asset dependencies form a cycle (the message shows it).
        MissingResourceError: an asset requires a resource key that ``resources`` lacks.
        DefinitionError: an asset check targets an asset no definition declares; a schedule or
            sensor targets an unknown job name.
        DuplicateKeyError (schedules, sensors): two of them share a name.
        DefinitionError (executor): not an executor definition, or a multiprocess executor
            with an in-memory IO manager the assets use.

    A dependency on a key no definition produces becomes an external asset (it can be
    observed and loaded, not materialized).

    Example:
        >>> from headwater import asset
        >>> @asset
        ... def a() -> int:
        ...     return 1
        >>> Definitions(assets=[a]).get_assets_def("a").key
        AssetKey(['a'])
    """

    def __init__(
        self,
        assets: Iterable[AssetsDefinition[..., Any] | AssetSpec] | None = None,
        jobs: Iterable[UnresolvedAssetJobDefinition | Any] | None = None,
        resources: Mapping[str, Any] | None = None,
        executor: Any = None,
        schedules: Iterable[Any] | None = None,
        sensors: Iterable[Any] | None = None,
        asset_checks: Iterable[Any] | None = None,
        loggers: Mapping[str, Any] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        _refuse_unsupported(loggers=loggers)
        self.assets: list[AssetsDefinition[..., Any] | AssetSpec] = list(assets or ())
        self.jobs = list(jobs or ())
        self.resources: dict[str, Any] = dict(resources or {})
        self.executor = coerce_executor_def(executor, "Definitions(executor=...)")
        self.schedules = list(schedules or ())
        self.sensors = list(sensors or ())
        self.asset_checks = list(asset_checks or ())
        if any(isinstance(a, AssetChecksDefinition) for a in self.assets):
            self.asset_checks += [a for a in self.assets if isinstance(a, AssetChecksDefinition)]
            self.assets = [a for a in self.assets if not isinstance(a, AssetChecksDefinition)]
        self.loggers = dict(loggers or {})
        self.metadata = dict(metadata or {})
        with paused_gc():
            self._assets_by_key, self._graph = _index_assets(self.assets)
            self._jobs_by_name = _index_jobs(self.jobs)
            self._checks_by_key = index_asset_checks(self.asset_checks, self._assets_by_key)
            in_assets = [a.check_keys for a in self._assets_by_key.values() if a.check_specs]
            self._graph._add_check_keys([*self._checks_by_key, *(k for c in in_assets for k in c)])
            _check_resources([*self._assets_by_key.values(), *self.asset_checks], self.resources)
            _check_partition_mappings(self._assets_by_key)
            if self.executor is not None and self.executor.name in OUT_OF_PROCESS:
                _refuse_in_memory_io(self)
        self._checked_job_selections: set[str] = set()
        self._schedules_by_name: Mapping[str, Any] = {}
        self._sensors_by_name: Mapping[str, Any] = {}
        if self.schedules or self.sensors:
            self._index_automation()

    # -- assets ------------------------------------------------------------------------------
    def resolve_asset_graph(self) -> AssetGraph:
        """The asset graph (built once, at construction)."""
        return self._graph

    def get_assets_def(self, key: CoercibleToAssetKey) -> AssetsDefinition[..., Any]:
        """The definition producing ``key`` (``"a/b"``, a list, or an ``AssetKey``).

        Raises:
            DefinitionError: no definition has that key.
        """
        akey = AssetKey.from_coercible(key)
        try:
            return self._assets_by_key[akey]
        except KeyError:
            raise DefinitionError(_unknown_key_message(akey, self._assets_by_key)) from None

    @property
    def assets_by_key(self) -> Mapping[AssetKey, AssetsDefinition[..., Any]]:
        """Every known key (external ones included) -> its definition."""
        return self._assets_by_key

    def get_all_asset_specs(self) -> list[AssetSpec]:
        """The spec of every asset, in topological order."""
        return [self._assets_by_key[k].spec_for(k) for k in self._graph.toposorted_keys]

    def get_all_asset_keys(self) -> list[AssetKey]:
        """Every asset key, topologically sorted."""
        return list(self._graph.toposorted_keys)

    def resolve_all_asset_keys(self) -> list[AssetKey]:
        """Every asset key, external ones included (Dagster's name of :meth:`get_all_asset_keys`).

        Example:
            >>> from headwater import asset
            >>> @asset
            ... def a() -> int:
            ...     return 1
            >>> Definitions(assets=[a]).resolve_all_asset_keys()
            [AssetKey(['a'])]
        """
        return self.get_all_asset_keys()

    def resolve_all_asset_specs(self) -> list[AssetSpec]:
        """The spec of every asset, external ones included (Dagster's name of
        :meth:`get_all_asset_specs`)."""
        return self.get_all_asset_specs()

    def map_asset_specs(
        self,
        *,
        func: Callable[[AssetSpec], AssetSpec],
        selection: CoercibleToAssetSelection | None = None,
    ) -> Definitions:
        """A new ``Definitions`` whose asset specs are ``func(spec)``; everything else is kept.

        Args:
            func: takes a spec and returns the changed one (``spec.replace_attributes(...)``,
                ``spec.merge_attributes(...)``); it must keep the key.
            selection: only the specs of these assets are mapped (an ``AssetSelection``, a
                selection string or a list of keys); default: every asset.

        Raises:
            DefinitionError: ``func`` changed a key, or dropped a dependency the asset loads
                as an input.

        Example:
            >>> from headwater import asset
            >>> @asset
            ... def a() -> int:
            ...     return 1
            >>> owned = Definitions(assets=[a]).map_asset_specs(
            ...     func=lambda spec: spec.replace_attributes(owners=["team:data"]))
            >>> owned.get_assets_def("a").specs[0].owners
            ('team:data',)
        """
        chosen = None
        if selection is not None:
            from headwater.asset_graph.selection import AssetSelection

            chosen = AssetSelection.from_coercible(selection).resolve(self._graph)
        mapped = [
            item.map_asset_specs(func, keys=chosen)
            if isinstance(item, AssetsDefinition)
            else (func(item) if chosen is None or item.key in chosen else item)
            for item in self.assets
        ]
        return Definitions(
            assets=mapped, jobs=self.jobs, resources=self.resources, executor=self.executor,
            schedules=self.schedules, sensors=self.sensors, asset_checks=self.asset_checks,
            loggers=self.loggers, metadata=self.metadata,
        )  # fmt: skip

    # -- asset checks -------------------------------------------------------------------------
    @property
    def asset_checks_by_key(self) -> Mapping[AssetCheckKey, AssetChecksDefinition[..., Any]]:
        """Every standalone check (``@asset_check``/``@multi_asset_check``) by key."""
        return self._checks_by_key

    def get_asset_checks_def(self, key: AssetCheckKey) -> AssetChecksDefinition[..., Any]:
        """The standalone check definition evaluating ``key``.

        Raises:
            DefinitionError: no standalone check has that key.
        """
        try:
            return self._checks_by_key[key]
        except KeyError:
            known = sorted(k.to_user_string() for k in self._checks_by_key)
            raise DefinitionError(
                f"No asset check {key.to_user_string()!r} is defined; the checks are {known}."
            ) from None

    def get_all_asset_check_keys(self) -> list[AssetCheckKey]:
        """Keys of every check: standalone ones and ``check_specs`` of assets."""
        in_assets = {k for a in self._assets_by_key.values() for k in a.check_keys}
        return sorted(in_assets | set(self._checks_by_key))

    # -- jobs --------------------------------------------------------------------------------
    def get_job_def(self, name: str) -> Any:
        """The executable job named ``name`` (``__ASSET_JOB`` is the implicit all-assets job).

        Raises:
            DefinitionError: no job has that name (the message lists the jobs there are).
            InvalidSelectionError: the job's asset selection names an asset that is not
                defined (the message suggests close names).
        """
        if name == IMPLICIT_ASSET_JOB_NAME:
            return JobDefinition.for_definitions(self, name=name)
        job = self._jobs_by_name.get(name)
        if job is None:
            known = sorted(self._jobs_by_name)
            raise DefinitionError(f"No job named {name!r}; the jobs defined are {known}.")
        if isinstance(job, UnresolvedAssetJobDefinition):
            resolved = JobDefinition.for_definitions(self, name=job.name, unresolved=job)
            if name not in self._checked_job_selections:  # as in Dagster: unknown assets refused
                resolved.resolve_selection()
                self._checked_job_selections.add(name)
            return resolved
        if isinstance(job, JobDefinition):  # a job of ops gets these resources (and executor)
            return job.bound_to(self.resources, self.executor)
        return job

    resolve_job_def = get_job_def

    def get_implicit_global_asset_job_def(self) -> Any:
        """A job that can materialize any asset."""
        return self.get_job_def(IMPLICIT_ASSET_JOB_NAME)

    resolve_implicit_global_asset_job_def = get_implicit_global_asset_job_def

    @property
    def job_names(self) -> list[str]:
        """Names of the defined jobs."""
        return sorted(self._jobs_by_name)

    # -- schedules and sensors ----------------------------------------------------------------
    def _index_automation(self) -> None:
        from headwater.declarations.automation.registry import index_automation

        index = index_automation(
            self.schedules, self.sensors, jobs_by_name=self._jobs_by_name,
            resources=self.resources, definitions=self,
        )  # fmt: skip
        self._schedules_by_name, self._sensors_by_name = index.schedules, index.sensors

    def get_schedule_def(self, name: str) -> Any:
        """The schedule named ``name`` (a partitioned schedule with its partitions resolved).

        Raises:
            DefinitionError: no schedule has that name (the message lists those there are).
        """
        found = self._schedules_by_name.get(name)
        if found is None:
            raise DefinitionError(
                f"No schedule named {name!r}; the schedules are {sorted(self._schedules_by_name)}."
            )
        return found

    def get_sensor_def(self, name: str) -> Any:
        """The sensor named ``name``.

        Raises:
            DefinitionError: no sensor has that name (the message lists those there are).
        """
        found = self._sensors_by_name.get(name)
        if found is None:
            raise DefinitionError(
                f"No sensor named {name!r}; the sensors are {sorted(self._sensors_by_name)}."
            )
        return found

    @property
    def schedule_names(self) -> list[str]:
        """Names of the schedules."""
        return sorted(self._schedules_by_name)

    @property
    def sensor_names(self) -> list[str]:
        """Names of the sensors."""
        return sorted(self._sensors_by_name)

    # -- values -------------------------------------------------------------------------------
    def load_asset_value(
        self,
        asset_key: CoercibleToAssetKey,
        *,
        instance: Any = None,
        partition_key: str | None = None,
    ) -> Any:
        """Load an asset's stored value with its IO manager (as a downstream asset would).

        Args:
            asset_key: the asset.
            instance: the instance whose storage to read (default ``Instance.get()``).
            partition_key: the partition to load.

        Raises:
            DefinitionError: unknown key. Errors of the IO manager are raised as ``UserCodeError``.
        """
        return _seam.call(
            "load_asset_value",
            self, AssetKey.from_coercible(asset_key), instance=instance, partition_key=partition_key
        )

    # -- composition --------------------------------------------------------------------------
    @staticmethod
    def merge(*defs: Definitions) -> Definitions:
        """One Definitions holding everything of ``defs``.

        The same object (an asset, job, schedule, ...) reached through several of them is kept
        once, so definitions imported into several modules merge cleanly.

        Raises:
            DefinitionError: two of them give different resources (or loggers) for one key, or
                set different executors.
            DuplicateKeyError: two different definitions of the same asset key or job name.
        """
        return Definitions(**merged_arguments(defs))

    @staticmethod
    def validate_loadable(defs: Definitions) -> None:
        """Check that ``defs`` is valid (construction already validated it; jobs are resolved
        here so a bad job selection is reported too).

        Raises:
            HeadwaterError: the first problem found.
        """
        for name in defs.job_names:
            job = defs.get_job_def(name)
            if job.is_asset_job:  # a job of ops is complete when built
                job.resolve_selection()


class DefinitionsParts(Protocol):
    """What :func:`merged_arguments` reads: a ``Definitions``, or loose parts of one."""

    @property
    def assets(self) -> Sequence[Any]: ...
    @property
    def jobs(self) -> Sequence[Any]: ...
    @property
    def resources(self) -> Mapping[str, Any]: ...
    @property
    def executor(self) -> Any: ...
    @property
    def schedules(self) -> Sequence[Any]: ...
    @property
    def sensors(self) -> Sequence[Any]: ...
    @property
    def asset_checks(self) -> Sequence[Any]: ...
    @property
    def loggers(self) -> Mapping[str, Any]: ...
    @property
    def metadata(self) -> Mapping[str, Any]: ...


def merged_arguments(parts: Sequence[DefinitionsParts]) -> dict[str, Any]:
    """The ``Definitions(...)`` keyword arguments holding everything of ``parts``, each object
    once (see :meth:`Definitions.merge`, which raises what this raises)."""
    executors = {id(p.executor): p.executor for p in parts if p.executor is not None}
    if len(executors) > 1:
        raise DefinitionError("Definitions.merge: more than one executor is set; keep one.")

    def unique(attribute: str) -> list[Any]:
        seen: dict[int, Any] = {}
        for part in parts:
            for item in getattr(part, attribute):
                seen.setdefault(id(item), item)
        return list(seen.values())

    return {
        "assets": unique("assets"),
        "jobs": unique("jobs"),
        "resources": _merged_mapping(parts, "resources"),
        "executor": next(iter(executors.values()), None),
        "schedules": unique("schedules"),
        "sensors": unique("sensors"),
        "asset_checks": unique("asset_checks"),
        "loggers": _merged_mapping(parts, "loggers"),
        "metadata": {k: v for p in parts for k, v in p.metadata.items()},
    }


def _merged_mapping(parts: Sequence[DefinitionsParts], attribute: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        for key, value in getattr(part, attribute).items():
            if key in merged and not _same(merged[key], value):
                kind = attribute.rstrip("s")
                raise DefinitionError(
                    f"Definitions.merge: {kind} {key!r} is defined differently in two of the "
                    "merged Definitions; give it once."
                )
            merged[key] = value
    return merged


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    try:
        return bool(a == b)  # equal configured resources (pydantic models compare by value)
    except Exception:
        return False


def _index_assets(
    assets: Sequence[AssetsDefinition[..., Any] | AssetSpec],
) -> tuple[dict[AssetKey, AssetsDefinition[..., Any]], AssetGraph]:
    by_key: dict[AssetKey, AssetsDefinition[..., Any]] = {}
    nodes: list[AssetNode] = []
    seen: set[int] = set()
    for item in assets:
        if id(item) in seen:
            continue  # the same object listed twice (e.g. via two modules) is one definition
        seen.add(id(item))
        defs: Sequence[AssetsDefinition[..., Any]]
        if isinstance(item, AssetsDefinition):
            defs = (item,)
        elif isinstance(item, AssetSpec):
            defs = tuple(AssetsDefinition.from_specs([item]))
        else:
            raise DefinitionError(
                f"Definitions(assets=...) got {item!r}; expected @asset/@multi_asset definitions "
                "or AssetSpec objects."
            )
        for assets_def in defs:
            for spec in assets_def.specs_by_output_name.values():
                key = spec.key
                other = by_key.setdefault(key, assets_def)
                if other is not assets_def:
                    raise DuplicateKeyError(
                        f"Asset key {key.to_user_string()!r} is defined twice: by "
                        f"{_describe(other)} and by {_describe(assets_def)}. Rename one (name=, "
                        "key= or key_prefix=) or remove the duplicate from Definitions."
                    )
            nodes += assets_def.to_asset_nodes()
    missing = {p for node in nodes for p in node.parent_keys if p not in by_key}
    for key in sorted(missing):
        (external,) = AssetsDefinition.from_specs([AssetSpec(key)])
        by_key[key] = external
        nodes += external.to_asset_nodes()
    return by_key, AssetGraph(nodes)


def _describe(assets_def: AssetsDefinition[..., Any]) -> str:
    if assets_def.is_external:
        return "an AssetSpec (external asset)"
    fn = assets_def.compute_fn
    code = getattr(fn, "__code__", None)
    where = f" at {code.co_filename}:{code.co_firstlineno}" if code is not None else ""
    return f"{assets_def.node_name!r}{where}"


def _check_partition_mappings(by_key: Mapping[AssetKey, AssetsDefinition[..., Any]]) -> None:
    """Raise now (not when a run starts) if partitions of two dependent assets cannot map."""
    partitioned = [a for a in by_key.values() if a.partitions_def is not None]
    if not partitioned:
        return
    from headwater.declarations.partitions.mappings import infer_partition_mapping

    seen: set[str] = set()
    for assets_def in by_key.values():
        if assets_def.is_external or assets_def.node_name in seen:
            continue
        seen.add(assets_def.node_name)
        explicit = {
            i.key: i.partition_mapping for i in assets_def.ins.values() if i.partition_mapping
        }
        for spec in assets_def.specs:
            for dep in spec.deps:
                upstream = by_key.get(dep.asset_key)
                upstream_def = upstream.partitions_def if upstream is not None else None
                own_def = assets_def.partitions_def
                if upstream_def is None and own_def is None:
                    continue
                mapping = dep.partition_mapping or explicit.get(dep.asset_key)
                try:
                    if mapping is None and upstream_def is not None:
                        mapping = infer_partition_mapping(upstream_def, own_def)
                    if mapping is not None:
                        mapping.validate_partition_mapping(upstream_def, own_def)
                except PartitionError as exc:
                    raise type(exc)(
                        f"Asset {spec.key.to_user_string()!r} depends on "
                        f"{dep.asset_key.to_user_string()!r}: {exc}"
                    ) from exc


def _index_jobs(jobs: Sequence[Any]) -> dict[str, Any]:
    by_name: dict[str, Any] = {}
    for job in jobs:
        name = getattr(job, "name", None)
        if not isinstance(name, str):
            raise DefinitionError(f"Definitions(jobs=...) got {job!r}, which is not a job.")
        if name in by_name:
            raise DuplicateKeyError(f"Two jobs are named {name!r}; job names must be unique.")
        by_name[name] = job
    return by_name


_DEFAULT_IO_MANAGER_ONLY = {"result": DEFAULT_IO_MANAGER_KEY}  # what most assets declare


def _check_resources(
    assets_defs: Iterable[AssetsDefinition[..., Any]], resources: Mapping[str, Any]
) -> None:
    problems: list[str] = []
    seen: set[str] = set()
    for assets_def in assets_defs:
        if assets_def.is_external or assets_def.node_name in seen:
            continue
        seen.add(assets_def.node_name)
        if (
            not assets_def.required_resource_keys
            and not assets_def.ins
            and (
                assets_def.io_manager_keys == _DEFAULT_IO_MANAGER_ONLY
                or all(k == DEFAULT_IO_MANAGER_KEY for k in assets_def.io_manager_keys.values())
            )
        ):
            continue  # the common case: nothing beyond the default IO manager
        needed = set(assets_def.required_resource_keys) | set(assets_def.io_manager_keys.values())
        needed |= {i.input_manager_key for i in assets_def.ins.values() if i.input_manager_key}
        needed.discard(DEFAULT_IO_MANAGER_KEY)
        for key in sorted(needed - set(resources)):
            problems.append(f"asset {assets_def.node_name!r} requires resource {key!r}")
    if problems:
        raise MissingResourceError(
            "Missing resources: "
            + "; ".join(problems)
            + f". Provided resources: {sorted(resources)}. Add them to "
            "Definitions(resources={...})."
        )


def _unknown_key_message(key: AssetKey, known: Mapping[AssetKey, Any]) -> str:
    import difflib

    names = [k.to_user_string() for k in known]
    close = difflib.get_close_matches(key.to_user_string(), names, n=3)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"No asset with key {key.to_user_string()!r} is defined.{hint}"


def _refuse_in_memory_io(defs: Definitions) -> None:
    """A multiprocess executor cannot share values kept in memory between its processes."""
    if not any(is_in_memory_io_manager(value) for value in defs.resources.values()):
        return
    keys = {DEFAULT_IO_MANAGER_KEY}
    for assets_def in defs.assets_by_key.values():
        keys |= set(assets_def.io_manager_keys.values())
    refuse_in_memory_io_managers("(every job of these Definitions)", defs.resources, keys)


def _refuse_unsupported(*, loggers: Mapping[str, Any] | None) -> None:
    """Arguments Dagster accepts that headwater does not support yet raise, never pass silently."""
    if loggers:
        raise DefinitionError(
            f"Definitions(loggers=...) is not supported yet (got {sorted(loggers)}): configure "
            "Python logging instead; records logged inside a step reach its event log."
        )
