"""The state of one run as the run driver keeps it, and what the core needs of an instance.

Steps read a :class:`RunContext` (resources, config, what earlier steps produced) and hand back a
:class:`~headwater.execution.step.lifecycle.StepResult`; only the run driver writes into the run
state, through :meth:`RunContext.record`. That is what lets a step run in this process, in a
worker process or on a Dask worker alike: what crosses back is the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from headwater.execution.plan.step_partitions import UNPARTITIONED, StepPartitions
from headwater.keys import AssetKey

if TYPE_CHECKING:
    from headwater.declarations.assets.definition import AssetsDefinition
    from headwater.declarations.ops.graphs import Node
    from headwater.declarations.ops.hooks import HookDefinition
    from headwater.declarations.retries import RetryPolicy
    from headwater.events.records import EventLogEntry
    from headwater.execution.run.event_sink import EventSink
    from headwater.execution.step.lifecycle import StepResult


class ExecutionInstance(Protocol):
    """What the execution core needs of an instance (``headwater.Instance`` is one).

    The run driver records the run and its events; steps read the latest asset records (data
    versions, skip-unchanged), dynamic partition keys, and the directory for captured logs.
    """

    @property
    def logs_directory(self) -> Path:
        """Where captured stdout/stderr of steps are written."""
        ...

    def create_run(
        self,
        *,
        job_name: str,
        run_config: Mapping[str, Any] | None = None,
        tags: Mapping[str, str] | None = None,
        asset_selection: Iterable[AssetKey] | None = None,
        run_id: str | None = None,
        parent_run_id: str | None = None,
        root_run_id: str | None = None,
        job_origin: Any = None,
        plan_snapshot: Any = None,
    ) -> Any:
        """Record a new run (with its origin and plan snapshot); return its record."""
        ...

    def get_run_by_id(self, run_id: str) -> Any:
        """The run record, or ``None``."""
        ...

    def store_events(self, entries: Sequence[EventLogEntry]) -> Any:
        """Persist events (committed when this returns)."""
        ...

    def get_asset_records(self, asset_keys: Sequence[AssetKey] | None = None) -> Sequence[Any]:
        """The latest records of the given assets."""
        ...

    def get_dynamic_partitions(self, partitions_def_name: str) -> Sequence[str]:
        """The keys of a dynamic partitions definition."""
        ...

    def claim_concurrency_slot(self, pool: str, run_id: str, step_key: str) -> bool:
        """Take a slot of ``pool`` for a step if one is free; whether the step holds one."""
        ...

    def release_concurrency_slot(self, pool: str, run_id: str, step_key: str) -> None:
        """Free the slot a step holds in ``pool``."""
        ...


@dataclass(kw_only=True)
class DynamicState:
    """What the run learned so far: mapping keys of dynamic outputs, produced outputs."""

    mapping_keys: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    produced: set[tuple[str, str]] = field(default_factory=set)


@dataclass(kw_only=True)
class RunContext:
    """Everything the steps of one run share: read by steps, written only by the run driver.

    Attributes:
        run: the run record (``run_id``, ``job_name``, ``tags``).
        instance: where the run is recorded.
        sink: the run's event sink.
        resources: the run's initialized resources (set once they are).
        op_configs: step key (or ``"step.node"``) -> validated config.
        assets_by_key: the asset definitions of the code location (asset runs).
        step_partitions: step key -> the partitions it materializes and loads.
        nodes / input_values: the op job's nodes and graph input values (op runs).
        skip_unchanged, default_retry_policy, hooks: the run's options.
        logs_dir: where captured output goes (``None``: no capture).
        latest_materializations: asset key -> latest materialization facts, prefetched.
        outputs: ``(stored step key, output)`` -> value produced in this run.
        data_versions: asset key -> data version known in this run (prefetched or produced).
        state: mapping keys of dynamic outputs and the outputs produced so far.
        executed: the steps the step loop has reached (run or skipped).
        errors: step key -> the error it failed with.
    """

    run: Any
    instance: ExecutionInstance
    sink: EventSink
    resources: Any = None
    op_configs: Mapping[str, Any] = field(default_factory=dict)
    assets_by_key: Mapping[AssetKey, AssetsDefinition[..., Any]] = field(default_factory=dict)
    step_partitions: Mapping[str, StepPartitions] = field(default_factory=dict)
    nodes: Mapping[str, Node] = field(default_factory=dict)
    input_values: Mapping[str, Any] = field(default_factory=dict)
    skip_unchanged: bool = False
    default_retry_policy: RetryPolicy | None = None
    hooks: frozenset[HookDefinition] = frozenset()
    logs_dir: Path | None = None
    latest_materializations: Mapping[AssetKey, Mapping[str, Any]] = field(default_factory=dict)
    outputs: dict[tuple[str, str], Any] = field(default_factory=dict)
    data_versions: dict[AssetKey, str | None] = field(default_factory=dict)
    state: DynamicState = field(default_factory=DynamicState)
    executed: set[str] = field(default_factory=set)
    errors: dict[str, BaseException] = field(default_factory=dict)
    unproduced_inputs: dict[str, list[AssetKey]] = field(default_factory=dict)

    def partitions_of(self, step_key: str) -> StepPartitions:
        """The partitions a step materializes and loads."""
        return self.step_partitions.get(step_key, UNPARTITIONED)

    def blocking(
        self, step: Any, not_ok: set[str], step_key_by_asset: Mapping[AssetKey, str]
    ) -> list[str]:
        """The upstream steps that keep ``step`` from running: those among ``not_ok`` (failed
        or skipped) whose assets ``step`` reads and that did not materialize them all.

        An asset step that failed after materializing some of its assets (a streaming
        multi-asset such as a dbt build) blocks only the steps that read one of the assets it
        did not materialize; a skipped step, a failed blocking check, a failed op or a step
        that materialized nothing blocks every step downstream of it.
        """
        specs = getattr(getattr(step, "assets_def", None), "specs", None)
        unproduced = self._unproduced_optional(step, specs, not_ok, step_key_by_asset)
        if unproduced:
            self.unproduced_inputs[step.key] = unproduced
        return sorted(
            set(self._failed_upstream(step, specs, not_ok, step_key_by_asset))
            | {step_key_by_asset[k] for k in unproduced}
        )

    def _failed_upstream(
        self,
        step: Any,
        specs: Any,
        not_ok: set[str],
        step_key_by_asset: Mapping[AssetKey, str],
    ) -> list[str]:
        failed = step.upstream_step_keys & not_ok
        if not failed:
            return []
        if not specs:  # not an asset step (ops, checks): any failed upstream step blocks
            return sorted(failed)
        from headwater.errors import AssetCheckFailedError

        reads = {dep for spec in specs for dep in spec.dep_keys}
        blocked = []
        for upstream in sorted(failed):
            error = self.errors.get(upstream)
            needed = {k for k in reads if step_key_by_asset.get(k) == upstream}
            if error is None or isinstance(error, AssetCheckFailedError) or not needed:
                blocked.append(upstream)
                continue
            if not needed <= self.sink.materialized_by_step.get(upstream, set()):
                blocked.append(upstream)
        return blocked

    def _unproduced_optional(
        self,
        step: Any,
        specs: Any,
        not_ok: set[str],
        step_key_by_asset: Mapping[AssetKey, str],
    ) -> list[AssetKey]:
        """Optional assets (``is_required=False``) that ``step`` reads and whose step of this
        run succeeded without materializing them: as in Dagster, the step is skipped."""
        if not specs or not self.assets_by_key:
            return []
        optional = []
        for key in sorted({dep for spec in specs for dep in spec.dep_keys}):
            upstream = step_key_by_asset.get(key)
            if upstream is None or upstream in not_ok or upstream not in self.executed:
                continue
            assets_def = self.assets_by_key.get(key)
            if assets_def is not None and assets_def.spec_for(key).skippable:
                optional.append(key)
        if not optional:
            return []
        return [k for k in optional if not self.sink.materialized(k)]

    def record(self, result: StepResult) -> None:
        """Take in how a step ended: its error, or its outputs, mapping keys and data versions."""
        if result.error is not None:
            self.errors[result.step_key] = result.error
        outputs = result.outputs
        self.outputs.update(outputs.values)
        self.state.produced.update(outputs.values)
        node = result.step_key.split("[", 1)[0]
        for output_name, keys in outputs.mapping_keys.items():
            self.state.mapping_keys.setdefault((node, output_name), []).extend(keys)
        self.data_versions.update(outputs.data_versions)
