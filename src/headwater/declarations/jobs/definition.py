"""JobDefinition: a named selection of assets bound to the Definitions it runs with."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from headwater.declarations import _seam
from headwater.declarations.jobs.asset_jobs import (
    IMPLICIT_ASSET_JOB_NAME,
    UnresolvedAssetJobDefinition,
    coerce_selection,
)
from headwater.keys import AssetKey


class JobDefinition:
    """A job: the assets it may materialize, with resources and default config.

    Get one from ``Definitions.get_job_def(name)``; run it with :meth:`execute_in_process`.
    """

    def __init__(
        self,
        *,
        name: str,
        definitions: Any,
        selection: Any = None,
        config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        description: str | None = None,
        op_retry_policy: Any = None,
        hooks: frozenset[Any] = frozenset(),
    ) -> None:
        self.name = name
        self.definitions = definitions
        self.selection = coerce_selection(selection)
        self.config = dict(config or {})
        self.tags = dict(tags or {})
        self.description = description
        self.op_retry_policy = op_retry_policy
        self.hooks = hooks

    @staticmethod
    def for_definitions(
        definitions: Any, *, name: str, unresolved: UnresolvedAssetJobDefinition | None = None
    ) -> JobDefinition:
        """Bind a job (or the implicit all-assets job) to ``definitions``."""
        if unresolved is None:
            return JobDefinition(name=name, definitions=definitions)
        return JobDefinition(
            name=unresolved.name,
            definitions=definitions,
            selection=unresolved.selection,
            config=unresolved.config,
            tags={**unresolved.tags, **unresolved.run_tags},
            description=unresolved.description,
            op_retry_policy=unresolved.op_retry_policy,
            hooks=unresolved.hooks,
        )

    def resolve_selection(self) -> frozenset[AssetKey]:
        """The asset keys this job materializes.

        Raises:
            InvalidSelectionError: the selection names unknown assets.
        """
        graph = self.definitions.resolve_asset_graph()
        return frozenset(k for k in self.selection.resolve(graph) if graph.get(k).is_materializable)

    @property
    def is_implicit(self) -> bool:
        """Whether this is the implicit all-assets job."""
        return self.name == IMPLICIT_ASSET_JOB_NAME

    def execute_in_process(
        self,
        run_config: Mapping[str, Any] | None = None,
        instance: Any = None,
        resources: Mapping[str, Any] | None = None,
        raise_on_error: bool = True,
        tags: Mapping[str, str] | None = None,
        asset_selection: Any = None,
        partition_key: str | None = None,
        partition_key_range: Any = None,
        skip_unchanged: bool = False,
        run_id: str | None = None,
        listeners: list[Callable[..., None]] | None = None,
        parent_run_id: str | None = None,
        root_run_id: str | None = None,
    ) -> Any:
        """Execute the job (or a subset of its assets) in this process.

        Args:
            run_config: ``{"ops": {name: {"config": {...}}}, "resources": {...}}``, validated
                before anything runs.
            instance: where the run and its events are stored (default: an ephemeral instance).
            resources: resources overriding the Definitions' ones.
            raise_on_error: raise the first step error after the run is recorded.
            tags: run tags.
            asset_selection: a subset of the job's assets (selection, string or keys).
            partition_key: the partition to materialize.
            partition_key_range: a ``PartitionKeyRange`` to materialize in this one run.
            skip_unchanged: skip steps whose code and input data versions are unchanged.
        partition_key_range: a ``PartitionKeyRange`` to materialize in this one run instead
            (every partitioned asset gets all the partitions of the range in one step).
        skip_unchanged: skip a step whose code version and input data versions equal those of
            its latest materialization (its stored value is reused; the step is recorded as
            STEP_SKIPPED with reason "unchanged"). Assets without a code_version always run.
            run_id: use this id instead of a fresh UUID.
            listeners: callables receiving every event as it happens (used by the CLI).
            parent_run_id / root_run_id: set by re-execution (see ``execute_job``).

        Returns:
            An :class:`ExecuteInProcessResult`.

        Raises:
            InvalidConfigError: bad run config (nothing is stored).
            InvalidSelectionError: an unknown asset in the selection (nothing is stored).
            UserCodeError: with ``raise_on_error``, the first step error.
        """
        return _seam.call(
            "execute_job_in_process",
            self,
            run_config=run_config,
            instance=instance,
            resources=resources,
            raise_on_error=raise_on_error,
            tags=tags,
            asset_selection=asset_selection,
            partition_key=partition_key,
            partition_key_range=partition_key_range,
            skip_unchanged=skip_unchanged,
            run_id=run_id,
            listeners=listeners,
            parent_run_id=parent_run_id,
            root_run_id=root_run_id,
        )
