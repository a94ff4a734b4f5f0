"""The context handed to asset functions, and ``build_asset_context`` for unit tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from headwater.declarations.results import AssetMaterialization, AssetObservation
from headwater.errors import InvalidInvocationError, PartitionError
from headwater.execution.run.logs import StepLogger
from headwater.keys import AssetKey
from headwater.metadata import MetadataValue, normalize_metadata


class _Resources:
    """Attribute and item access to resources (used when no run initialized them)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(
                f"No resource {name!r}; available: {sorted(self._values)}. Add it to "
                "Definitions(resources=...) or pass it to build_asset_context(resources=...)."
            ) from None

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def keys(self) -> list[str]:
        """Resource keys."""
        return list(self._values)


@dataclass(frozen=True, slots=True)
class StepNode:
    """The node a step executes, as ``context.op`` shows it.

    Attributes:
        name: the node name (an asset's node name, or an op's name in its graph).
    """

    name: str


class AssetExecutionContext:
    """What an asset function can ask about the run it executes in.

    Attributes:
        log: logger whose messages are stored as events of this step.
        run_id: the id of the run.
        job_name: the job of the run.
        resources: initialized resources (``context.resources.my_resource``).
        instance: the :class:`~headwater.Instance` the run is stored in (``None`` in a bare
            ``build_asset_context()``).
        op_config: the step's config as a dict (``Config`` parameters are preferred).
        partition_key: the partition being materialized (``None`` when unpartitioned).
        retry_number: 0 on the first attempt, then 1, 2, ... on retries.
    """

    __slots__ = (
        "_assets_def",
        "_emitted",
        "_output_metadata",
        "instance",
        "job_name",
        "log",
        "op_config",
        "partition_key_value",
        "partitions",
        "resources",
        "retry_number",
        "run",
        "run_id",
        "run_tags",
        "step_key",
    )

    def __init__(
        self,
        *,
        run_id: str,
        job_name: str,
        step_key: str,
        assets_def: Any,
        resources: Any,
        instance: Any,
        log: StepLogger,
        op_config: Any = None,
        partition_key: str | None = None,
        partitions: Any = None,
        run: Any = None,
        run_tags: Mapping[str, str] | None = None,
        retry_number: int = 0,
    ) -> None:
        self.run_id = run_id
        self.job_name = job_name
        self.step_key = step_key
        self._assets_def = assets_def
        self.resources = resources
        self.instance = instance
        self.log = log
        self.op_config = op_config
        from headwater.execution.plan.step_partitions import UNPARTITIONED, StepPartitions

        if partitions is None and partition_key is not None:
            partitions = StepPartitions(keys=(partition_key,))
        self.partitions: StepPartitions = partitions if partitions is not None else UNPARTITIONED
        self.partition_key_value = self.partitions.single_key
        self.run = run
        self.retry_number = retry_number
        self.run_tags = dict(run_tags or {})
        self._output_metadata: dict[AssetKey | None, dict[str, MetadataValue]] = {}
        self._emitted: list[AssetMaterialization | AssetObservation] = []

    def bind_direct_invocation(self, assets_def: Any) -> Callable[[], None] | None:
        """Make this unit-test context execute ``assets_def`` for one direct call of it.

        Returns the function that undoes it, or ``None`` when the context already executes an
        asset (a run's context, or one bound by an enclosing call)."""
        if self._assets_def is not None:
            return None
        self._assets_def = assets_def

        def unbind() -> None:
            self._assets_def = None

        return unbind

    # -- what is being materialized -----------------------------------------------------------
    @property
    def assets_def(self) -> Any:
        """The :class:`AssetsDefinition` being executed."""
        return self._assets_def

    @property
    def asset_key(self) -> AssetKey:
        """The key of the asset being materialized; raises for a multi-asset."""
        if self._assets_def is None:
            raise InvalidInvocationError("This context is not executing an asset.")
        return self._assets_def.key  # type: ignore[no-any-return]

    @property
    def selected_asset_keys(self) -> frozenset[AssetKey]:
        """The keys this step must materialize (a subset for ``can_subset`` multi-assets)."""
        return self._assets_def.keys if self._assets_def is not None else frozenset()

    @property
    def selected_output_names(self) -> frozenset[str]:
        """Output names of the selected keys."""
        if self._assets_def is None:
            return frozenset()
        names = self._assets_def.output_names_by_key
        return frozenset(names[k] for k in self._assets_def.keys)

    def asset_key_for_output(self, output_name: str = "result") -> AssetKey:
        """The key produced by ``output_name``."""
        return self._assets_def.keys_by_output_name[output_name]  # type: ignore[no-any-return]

    def asset_key_for_input(self, input_name: str) -> AssetKey:
        """The upstream key loaded into ``input_name``."""
        return self._assets_def.input_keys[input_name]  # type: ignore[no-any-return]

    @property
    def op_execution_context(self) -> AssetExecutionContext:
        """This context (Dagster keeps a separate op context here)."""
        return self

    @property
    def dagster_run(self) -> Any:
        """The :class:`~headwater.Run` being executed."""
        return self.run

    @property
    def op(self) -> StepNode:
        """The node being executed (``context.op.name``: the asset's or op's node name)."""
        return StepNode(name=self.step_key.split("[", 1)[0])

    @property
    def has_assets_def(self) -> bool:
        """Whether this step executes an asset definition (``False`` for a plain op)."""
        return self._assets_def is not None

    def has_tag(self, key: str) -> bool:
        """Whether the run has the tag ``key``."""
        return key in self.run_tags

    def get_tag(self, key: str) -> str | None:
        """The run's tag ``key``, or ``None``."""
        return self.run_tags.get(key)

    # -- partitions ----------------------------------------------------------------------------
    @property
    def has_partition_key(self) -> bool:
        """Whether exactly one partition is being materialized."""
        return self.partition_key_value is not None

    @property
    def has_partition_key_range(self) -> bool:
        """Whether one or more partitions are being materialized."""
        return self.partitions.keys is not None

    @property
    def partition_key(self) -> str:
        """The partition being materialized.

        Raises:
            HeadwaterError: the step is unpartitioned, or materializes a range (use
                ``partition_keys`` / ``partition_key_range``).
        """
        if self.partition_key_value is None:
            what = "a range of partitions" if self.partitions.keys else "no partition"
            raise PartitionError(
                f"Step {self.step_key!r} materializes {what}, so context.partition_key is "
                "unavailable; check context.has_partition_key, or use context.partition_keys."
            )
        as_multi = getattr(self.partitions.partitions_def, "get_multipartition_key_from_str", None)
        if as_multi is not None:  # multi-partitioned: a MultiPartitionKey (keys_by_dimension)
            return as_multi(self.partition_key_value)  # type: ignore[no-any-return]
        return self.partition_key_value

    @property
    def partition_keys(self) -> list[str]:
        """Every partition being materialized, in order (one unless a range was requested)."""
        return list(self._require_keys())

    @property
    def partition_key_range(self) -> Any:
        """A ``PartitionKeyRange`` from the first to the last partition being materialized."""
        from headwater.declarations.partitions.base import PartitionKeyRange

        keys = self._require_keys()
        return PartitionKeyRange(keys[0], keys[-1])

    @property
    def partition_time_window(self) -> Any:
        """The ``TimeWindow`` covered by the partitions being materialized.

        Raises:
            HeadwaterError: the asset is not time-partitioned.
        """
        return _time_window(self.partitions.partitions_def, self._require_keys(), "this asset")

    def asset_partition_key_for_input(self, input_name: str) -> str:
        """The single upstream partition loaded into ``input_name``."""
        keys = self._input_keys(input_name)
        if len(keys) != 1:
            raise PartitionError(
                f"Input {input_name!r} loads {len(keys)} upstream partitions; use "
                "asset_partition_keys_for_input."
            )
        return keys[0]

    def asset_partition_keys_for_input(self, input_name: str) -> list[str]:
        """The upstream partitions loaded into ``input_name``, in order."""
        return list(self._input_keys(input_name))

    def asset_partition_key_range_for_input(self, input_name: str) -> Any:
        """A ``PartitionKeyRange`` over the upstream partitions loaded into ``input_name``."""
        from headwater.declarations.partitions.base import PartitionKeyRange

        keys = self._input_keys(input_name)
        return PartitionKeyRange(keys[0], keys[-1])

    def asset_partitions_time_window_for_input(self, input_name: str) -> Any:
        """The ``TimeWindow`` spanned by the upstream partitions loaded into ``input_name``."""
        upstream_def = self.partitions.input_defs.get(input_name)
        return _time_window(upstream_def, self._input_keys(input_name), repr(input_name))

    def _require_keys(self) -> tuple[str, ...]:
        if self.partitions.keys is None:
            raise PartitionError(
                f"Step {self.step_key!r} is not partitioned; it has no partition keys."
            )
        return self.partitions.keys

    def _input_keys(self, input_name: str) -> tuple[str, ...]:
        keys = self.partitions.input_keys.get(input_name)
        if not keys:
            raise PartitionError(
                f"Input {input_name!r} of step {self.step_key!r} is not a partitioned asset."
            )
        return keys

    # -- reporting ----------------------------------------------------------------------------
    def add_output_metadata(
        self, metadata: Mapping[str, Any], output_name: str | None = None
    ) -> None:
        """Attach metadata to the materialization of an output (the only one by default).

        Raises:
            HeadwaterError: ``output_name`` is needed because the step has several outputs.
        """
        key: AssetKey | None = None
        if self._assets_def is not None:
            if output_name is None:
                if len(self._assets_def.keys) != 1:
                    raise InvalidInvocationError(
                        f"Step {self.step_key!r} has several outputs; pass output_name= to "
                        "add_output_metadata."
                    )
                key = next(iter(self._assets_def.keys))
            else:
                key = self._assets_def.keys_by_output_name[output_name]
        values = normalize_metadata(metadata, where=f"add_output_metadata in {self.step_key!r}")
        self._output_metadata.setdefault(key, {}).update(values)

    def add_asset_metadata(self, metadata: Mapping[str, Any], asset_key: Any = None) -> None:
        """Attach metadata to the materialization of ``asset_key`` (the only one by default)."""
        if asset_key is None:
            self.add_output_metadata(metadata)
            return
        key = AssetKey.from_coercible(asset_key)
        name = self._assets_def.output_names_by_key[key]
        self.add_output_metadata(metadata, output_name=name)

    def output_metadata_for(self, key: AssetKey | None) -> dict[str, MetadataValue]:
        """Metadata added for ``key`` so far."""
        return self._output_metadata.get(key, {})

    def log_event(self, event: AssetMaterialization | AssetObservation) -> None:
        """Record an ``AssetMaterialization`` or ``AssetObservation`` from inside the step."""
        if not isinstance(event, AssetMaterialization | AssetObservation):
            raise InvalidInvocationError(
                f"log_event takes an AssetMaterialization or AssetObservation, got {event!r}."
            )
        self._emitted.append(event)

    @property
    def logged_events(self) -> list[AssetMaterialization | AssetObservation]:
        """Events recorded with :meth:`log_event`."""
        return self._emitted


def _time_window(partitions_def: Any, keys: tuple[str, ...], what: str) -> Any:
    window_of = getattr(partitions_def, "time_window_for_partition_key", None)
    if window_of is None:
        raise PartitionError(
            f"{what[:1].upper()}{what[1:]} has no time window: it is not time-partitioned (in a "
            "unit test, pass partitions_def= to build_asset_context)."
        )
    from headwater.declarations.partitions.time_window import TimeWindow

    return TimeWindow(window_of(keys[0]).start, window_of(keys[-1]).end)


OpExecutionContext = AssetExecutionContext


def build_asset_context(
    *,
    resources: Mapping[str, Any] | None = None,
    op_config: Any = None,
    asset_config: Any = None,
    instance: Any = None,
    partition_key: str | None = None,
    run_tags: Mapping[str, str] | None = None,
    partitions_def: Any = None,
    partition_key_range: Any = None,
) -> AssetExecutionContext:
    """A context for calling an asset function directly in a unit test.

    Args:
        resources: resource key -> resource object (``ConfigurableResource`` instances are used
            as given: their ``setup_for_execution`` is not called).
        op_config / asset_config: the step config (dict), for assets reading ``context.op_config``.
        instance: an Instance, if the asset uses one.
        partition_key: the partition to pretend to materialize.
        run_tags: tags of the pretend run.
        partitions_def: the asset's partitions definition (needed for
            ``partition_time_window`` and multi-partition keys).
        partition_key_range: a ``PartitionKeyRange`` to pretend to materialize instead of one
            key (its keys are expanded with ``partitions_def``).

    Returns:
        An :class:`AssetExecutionContext` with ``run_id == "EPHEMERAL"`` and logging to Python
        logging only.

    Example:
        >>> ctx = build_asset_context(resources={"api": object()})
        >>> ctx.run_id
        'EPHEMERAL'
    """
    from headwater.execution.plan.step_partitions import StepPartitions

    partitions = None
    if partition_key_range is not None:
        if partitions_def is None:
            raise InvalidInvocationError(
                "build_asset_context(partition_key_range=...) needs partitions_def= to know the "
                "keys in the range."
            )
        keys = tuple(partitions_def.get_partition_keys_in_range(partition_key_range))
        partitions = StepPartitions(keys=keys, partitions_def=partitions_def)
    elif partition_key is not None:
        partitions = StepPartitions(keys=(partition_key,), partitions_def=partitions_def)
    return AssetExecutionContext(
        run_id="EPHEMERAL",
        job_name="ephemeral",
        step_key="ephemeral",
        assets_def=None,
        resources=_Resources(resources or {}),
        instance=instance,
        log=StepLogger(None, None),
        op_config=op_config if op_config is not None else asset_config,
        partitions=partitions,
        run_tags=run_tags,
    )


def build_op_context(
    resources: Mapping[str, Any] | None = None,
    op_config: Any = None,
    resources_config: Mapping[str, Any] | None = None,
    instance: Any = None,
    config: Any = None,
    partition_key: str | None = None,
    partition_key_range: Any = None,
    mapping_key: str | None = None,
    run_tags: Mapping[str, str] | None = None,
) -> AssetExecutionContext:
    """A context for calling an op (or asset) function directly in a unit test.

    Takes Dagster's arguments, in Dagster's order; see :func:`build_asset_context` for the
    shared ones.

    Args:
        resources: resource key -> resource object.
        op_config / config: the op's config (a dict); ``config`` is the older name.
        resources_config: not supported: configure resources before passing them.
        instance / partition_key / partition_key_range / run_tags: as in
            :func:`build_asset_context`.
        mapping_key: not supported (a mapped op's key): call the op with the value instead.

    Raises:
        InvalidInvocationError: both ``op_config`` and ``config``, or an unsupported argument.

    Example:
        >>> build_op_context(config={"k": 7}).op_config
        {'k': 7}
    """
    if op_config is not None and config is not None:
        raise InvalidInvocationError(
            "build_op_context() got both op_config= and config=; pass the op config once, as "
            "op_config=."
        )
    for name, value in (("resources_config", resources_config), ("mapping_key", mapping_key)):
        if value is not None:
            raise InvalidInvocationError(
                f"build_op_context({name}=...) is not supported by headwater: pass configured "
                "resource objects in resources=, and call a mapped op with its value."
            )
    return build_asset_context(
        resources=resources,
        op_config=op_config if op_config is not None else config,
        instance=instance,
        partition_key=partition_key,
        partition_key_range=partition_key_range,
        run_tags=run_tags,
    )
