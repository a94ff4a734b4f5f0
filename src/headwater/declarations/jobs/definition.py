"""JobDefinition: the one kind of executable job, of assets or of ops (pure data).

A job of assets is a selection of assets bound to the ``Definitions`` it runs with (made by
``Definitions.get_job_def`` from ``define_asset_job``, or the implicit all-assets job); a job of
ops is a graph of ops with resources and default config (made by ``@job`` or
``GraphDefinition.to_job``). Both are executed by the same run driver.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.declarations import _seam
from headwater.declarations.executors import (
    OUT_OF_PROCESS,
    ExecutorDefinition,
    coerce_executor_def,
    is_in_memory_io_manager,
    multi_or_in_process_executor,
    refuse_in_memory_io_managers,
)
from headwater.declarations.jobs.asset_jobs import (
    IMPLICIT_ASSET_JOB_NAME,
    UnresolvedAssetJobDefinition,
    coerce_selection,
)
from headwater.declarations.ops.graphs import GraphDefinition, Node
from headwater.declarations.ops.hooks import HookDefinition
from headwater.errors import DefinitionError
from headwater.keys import AssetCheckKey, AssetKey


class JobDefinition:
    """A job: what one run executes, with its resources, default config, tags and hooks.

    Get a job of assets from ``Definitions.get_job_def(name)``; a job of ops from ``@job`` or
    ``GraphDefinition.to_job()``. Run either with :meth:`execute_in_process`.

    Attributes:
        name, description, tags, metadata: as declared.
        config: default run config (``{"ops": {...}, "resources": {...}}``).
        hooks: ``@success_hook`` / ``@failure_hook`` definitions run after every step.
        op_retry_policy: the ``RetryPolicy`` of steps without their own.
        resource_defs: resource key -> resource (a job of assets: its Definitions' resources).
        graph: the :class:`GraphDefinition` of a job of ops (``None`` for a job of assets).
        definitions / selection: the ``Definitions`` and ``AssetSelection`` of a job of assets.
        partitions_def: the partitions of a job of assets, when declared.
        input_values: values of the graph inputs of a job of ops.

    Raises:
        executor_def: how runs execute the steps (``None``: the ``Definitions``' executor,
            else ``multi_or_in_process_executor``); see :mod:`headwater.declarations.executors`.

    Raises:
        DefinitionError: the name is not an identifier, a hook is not a hook definition, the
            executor is not an executor definition, or a multiprocess executor would store
            values with an in-memory IO manager.
    """

    def __init__(
        self,
        *,
        name: str,
        graph_def: GraphDefinition | None = None,
        definitions: Any = None,
        selection: Any = None,
        description: str | None = None,
        resource_defs: Mapping[str, Any] | None = None,
        config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        executor_def: Any = None,
        hooks: Iterable[HookDefinition] | None = None,
        op_retry_policy: Any = None,
        input_values: Mapping[str, Any] | None = None,
        partitions_def: Any = None,
    ) -> None:
        if (graph_def is None) == (definitions is None):
            raise DefinitionError(
                f"Job {name!r}: give either graph_def= (a job of ops) or definitions= (a job "
                "of assets), not both or neither."
            )
        if not name.isidentifier():
            raise DefinitionError(f"Job name {name!r} is not valid: use letters, digits and _.")
        self.name = name
        self._graph_def = graph_def
        self.definitions = definitions
        self.selection = coerce_selection(selection) if graph_def is None else None
        self.description = description
        self._resource_defs = dict(resource_defs or {})
        to_dict = getattr(config, "to_config_dict", None)  # a RunConfig
        self.config = dict((to_dict() if to_dict is not None else config) or {})
        self.tags = dict(tags or {})
        self.metadata = dict(metadata or {})
        self._executor_def = coerce_executor_def(executor_def, f"Job {name!r}")
        self.hooks = frozenset(hooks or ())
        for hook in self.hooks:
            if not isinstance(hook, HookDefinition):
                raise DefinitionError(
                    f"Job {name!r}: hooks= takes @success_hook/@failure_hook definitions, got "
                    f"{hook!r}."
                )
        self.op_retry_policy = op_retry_policy
        self.input_values = dict(input_values or {})
        self.partitions_def = partitions_def
        if graph_def is not None and _is_multiprocess(self._executor_def):
            self.refuse_in_memory_io_managers()

    # -- the two kinds -----------------------------------------------------------------------
    @staticmethod
    def for_definitions(
        definitions: Any, *, name: str, unresolved: UnresolvedAssetJobDefinition | None = None
    ) -> JobDefinition:
        """Bind a job of assets (or the implicit all-assets job) to ``definitions``."""
        if unresolved is None:
            return JobDefinition(name=name, definitions=definitions)
        job = JobDefinition(
            name=unresolved.name,
            definitions=definitions,
            selection=unresolved.selection,
            config=unresolved.config,
            tags={**unresolved.tags, **unresolved.run_tags},
            metadata=unresolved.metadata,
            description=unresolved.description,
            op_retry_policy=unresolved.op_retry_policy,
            hooks=unresolved.hooks,
            partitions_def=unresolved.partitions_def,
            executor_def=unresolved.executor_def,
        )
        if _is_multiprocess(unresolved.executor_def):
            job.refuse_in_memory_io_managers()
        return job

    def refuse_in_memory_io_managers(self, resource_defs: Mapping[str, Any] | None = None) -> None:
        """Raise when the job's IO managers (or those of ``resource_defs``, which replace the
        job's) keep values in memory, which a multiprocess run cannot share between processes.

        Raises:
            DefinitionError: the message names the IO manager keys and what to use instead.
        """
        resources = {**self.resource_defs, **(resource_defs or {})}
        if not any(is_in_memory_io_manager(value) for value in resources.values()):
            return  # the usual case: nothing to look up
        if self._graph_def is not None:
            keys = _op_io_manager_keys(self._graph_def)
        else:
            assets_by_key = self.definitions.assets_by_key
            keys = {"io_manager"} | {
                assets_by_key[k].io_manager_key_for(k) for k in self.resolve_selection()
            }
        refuse_in_memory_io_managers(self.name, resources, keys)

    def with_resources(self, resource_defs: Mapping[str, Any]) -> JobDefinition:
        """A job of ops whose resources are ``resource_defs`` under its own (what
        ``Definitions(jobs=[...], resources=...)`` does to the jobs of ops it holds)."""
        return self.bound_to(resource_defs, None)

    def bound_to(self, resource_defs: Mapping[str, Any], executor_def: Any) -> JobDefinition:
        """A job of ops with ``resource_defs`` under its own resources and ``executor_def``
        unless it has its own executor (what ``Definitions(jobs=[...], resources=...,
        executor=...)`` does to the jobs of ops it holds)."""
        executor = self._executor_def or executor_def
        if self._graph_def is None or (not resource_defs and executor is self._executor_def):
            return self
        return JobDefinition(
            name=self.name, graph_def=self._graph_def, description=self.description,
            resource_defs={**resource_defs, **self._resource_defs}, config=self.config,
            tags=self.tags, metadata=self.metadata, hooks=self.hooks,
            op_retry_policy=self.op_retry_policy, input_values=self.input_values,
            executor_def=executor,
        )  # fmt: skip

    @property
    def executor_def(self) -> ExecutorDefinition:
        """How runs of this job execute their steps: the job's executor, else its
        ``Definitions``' executor, else ``multi_or_in_process_executor`` (in process for
        :meth:`execute_in_process`, multiprocess for ``execute_job``)."""
        if self._executor_def is not None:
            return self._executor_def
        definitions_executor = getattr(self.definitions, "executor", None)
        if isinstance(definitions_executor, ExecutorDefinition):
            return definitions_executor
        return multi_or_in_process_executor

    @property
    def is_asset_job(self) -> bool:
        """Whether this job materializes a selection of assets (else: a graph of ops)."""
        return self._graph_def is None

    @property
    def graph(self) -> GraphDefinition | None:
        """The graph of ops of a job of ops (``None`` for a job of assets)."""
        return self._graph_def

    @property
    def graph_def(self) -> GraphDefinition:
        """The graph of a job of ops.

        Raises:
            DefinitionError: this is a job of assets.
        """
        if self._graph_def is None:
            raise DefinitionError(f"Job {self.name!r} is a job of assets; it has no graph of ops.")
        return self._graph_def

    @property
    def nodes(self) -> Mapping[str, Node]:
        """Node name -> node of a job of ops, each after the nodes it reads from (empty for a
        job of assets)."""
        return self._graph_def.op_nodes if self._graph_def is not None else {}

    @property
    def resource_defs(self) -> dict[str, Any]:
        """Resource key -> resource the job runs with."""
        if self._graph_def is None:
            return dict(self.definitions.resources)
        return dict(self._resource_defs)

    @property
    def is_implicit(self) -> bool:
        """Whether this is the implicit all-assets job."""
        return self.name == IMPLICIT_ASSET_JOB_NAME

    def resolve_selection(self) -> frozenset[AssetKey]:
        """The asset keys a job of assets materializes (empty for a job of ops).

        Raises:
            InvalidSelectionError: the selection names unknown assets.
        """
        if self.selection is None:
            return frozenset()
        graph = self.definitions.resolve_asset_graph()
        return frozenset(k for k in self.selection.resolve(graph) if graph.get(k).is_materializable)

    def resolve_check_selection(self) -> frozenset[AssetCheckKey] | None:
        """The standalone asset checks the selection names with
        ``AssetSelection.checks_for_assets`` (``None`` when it names none); they run without
        their assets being materialized."""
        if self.selection is None:
            return None
        targets = self.selection.resolve_check_targets(self.definitions.resolve_asset_graph())
        if not targets:
            return None
        return frozenset(k for k in self.definitions.asset_checks_by_key if k.asset_key in targets)

    def resolve_observations(self) -> list[Any]:
        """The observable source assets a job of assets selects: a run of the job observes
        them (before its other steps) instead of materializing them."""
        if self.selection is None:
            return []
        from headwater.declarations.assets.observable import ObservableSourceAsset

        graph = self.definitions.resolve_asset_graph()
        found = {}
        for key in self.selection.resolve(graph):
            assets_def = self.definitions.assets_by_key.get(key)
            if isinstance(assets_def, ObservableSourceAsset):
                found[assets_def.node_name] = assets_def
        return [found[name] for name in sorted(found)]

    # -- running -----------------------------------------------------------------------------
    def execute_in_process(
        self,
        run_config: Mapping[str, Any] | None = None,
        instance: Any = None,
        partition_key: str | None = None,
        raise_on_error: bool = True,
        op_selection: Sequence[str] | None = None,
        asset_selection: Any = None,
        run_id: str | None = None,
        input_values: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        resources: Mapping[str, Any] | None = None,
        *,
        partition_key_range: Any = None,
        skip_unchanged: bool = False,
        listeners: list[Callable[..., None]] | None = None,
        parent_run_id: str | None = None,
        root_run_id: str | None = None,
    ) -> Any:
        """Execute the job (or a subset of it) in this process and record the run.

        Args:
            run_config: ``{"ops": {name: {"config": {...}}}, "resources": {...}}``; nested
                graphs take ``{"ops": {graph: {"ops": {op: {"config": ...}}}}}`` or the dotted
                node name. Validated before anything runs.
            instance: where the run and its events are stored (default: an ephemeral instance).
            partition_key: the partition to materialize (jobs of assets).
            raise_on_error: raise the first step error after the run is recorded.
            op_selection: node names to run, jobs of ops (``"*op"``: op and its upstream;
                ``"op+"`` / ``"op*"``: op and one level / all of its downstream). Inputs from
                unselected ops are loaded from their IO managers.
            asset_selection: a subset of a job of assets (selection, string or keys).
            run_id: use this id instead of a fresh UUID.
            input_values: values of the graph inputs of a job of ops (over ``to_job``'s).
            tags: run tags (merged over the job's).
            resources: resources overriding the job's.
            partition_key_range: a ``PartitionKeyRange`` to materialize in this one run instead
                (every partitioned asset gets all the partitions of the range in one step).
            skip_unchanged: skip a step whose code version and input data versions equal those
                of its latest materialization (its stored value is reused; the step is recorded
                as STEP_SKIPPED with reason "unchanged"). Assets without a code_version always
                run.
            listeners: callables receiving every event as it happens (used by the CLI).
            parent_run_id / root_run_id: set by re-execution.

        Returns:
            An :class:`~headwater.ExecuteInProcessResult`; ``output_for_node("graph.op")``
            reads a nested op's output, and a mapped op's output is a dict mapping key -> value.

        Raises:
            InvalidConfigError: bad run config, listing every path (nothing is stored).
            InvalidSelectionError: an unknown asset or op in the selection (nothing is stored).
            InvalidInvocationError: an argument of the other kind of job (``op_selection`` on a
                job of assets, ``partition_key`` on a job of ops), or a graph input without a
                value (nothing is stored).
            UserCodeError: with ``raise_on_error``, the first step error.

        Example:
            >>> from headwater import Definitions, asset, define_asset_job, job, op
            >>> @op(config_schema={"start": int})
            ... def load(context) -> int:
            ...     return context.op_config["start"]
            >>> @op
            ... def add_one(n: int) -> int:
            ...     return n + 1
            >>> @job
            ... def my_job():
            ...     add_one(load())
            >>> result = my_job.execute_in_process(
            ...     run_config={"ops": {"load": {"config": {"start": 1}}}}
            ... )
            >>> result.success, result.output_for_node("add_one")
            (True, 2)

            A job of assets runs the same way once ``Definitions`` has resolved it:

            >>> @asset
            ... def orders() -> list[int]:
            ...     return [1, 2]
            >>> @asset
            ... def order_count(orders: list[int]) -> int:
            ...     return len(orders)
            >>> defs = Definitions(
            ...     assets=[orders, order_count], jobs=[define_asset_job("refresh", selection="*")]
            ... )
            >>> defs.get_job_def("refresh").execute_in_process().output_for_node("order_count")
            2
        """
        return _seam.call(
            "execute_job_in_process",
            self,
            run_config=run_config,
            instance=instance,
            resources=resources,
            raise_on_error=raise_on_error,
            tags=tags,
            op_selection=op_selection,
            asset_selection=asset_selection,
            partition_key=partition_key,
            partition_key_range=partition_key_range,
            input_values=input_values,
            skip_unchanged=skip_unchanged,
            run_id=run_id,
            listeners=listeners,
            parent_run_id=parent_run_id,
            root_run_id=root_run_id,
        )

    def __repr__(self) -> str:
        kind = "assets" if self.is_asset_job else "ops"
        return f"<JobDefinition {self.name!r} ({kind})>"


def _is_multiprocess(executor_def: ExecutorDefinition | None) -> bool:
    return executor_def is not None and executor_def.name in OUT_OF_PROCESS


def _op_io_manager_keys(graph_def: GraphDefinition) -> set[str]:
    return {
        out.io_manager_key or "io_manager"
        for node in graph_def.op_nodes.values()
        for out in node.op_def.outs.values()
    }
