"""ExecutionPlan: the steps of a run (asset steps or op steps), their inputs and their order."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.errors import CycleError, DefinitionError, InvalidSelectionError
from headwater.keys import AssetKey

if TYPE_CHECKING:
    from headwater.execution.run.state import RunContext


class PlanStep(Protocol):
    """What the step loop of a run (``execute_steps`` in run.py) needs of a step of any kind."""

    @property
    def key(self) -> str:
        """The step key."""
        ...

    @property
    def upstream_step_keys(self) -> frozenset[str]:
        """Steps of this run that must succeed before this one runs."""
        ...

    def resolve(self, run_ctx: RunContext) -> Sequence[PlanStep] | None:
        """The steps to run in this one's place, known only now (``None``: run it as it is)."""
        ...

    def skip(self, run_ctx: RunContext, blocked: list[str]) -> None:
        """Record that the step is skipped: the ``blocked`` upstream steps did not succeed."""
        ...


def _ran_ok(run_ctx: RunContext, step_key: str) -> bool:
    """Whether ``step_key`` succeeded in this run (a STEP_SUCCESS event of it)."""
    return step_key in run_ctx.sink.succeeded_steps


StepT = TypeVar("StepT", bound=PlanStep)


@dataclass(frozen=True, slots=True, kw_only=True)
class StepInput:
    """One value a step loads.

    Attributes:
        name: the function parameter.
        asset_key: the upstream asset.
        upstream_step_key: the step of this run producing it, or ``None`` when the value is
            loaded from what an earlier run stored.
    """

    name: str
    asset_key: AssetKey
    upstream_step_key: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ExecutionStep:
    """One call of a user function within a run.

    Attributes:
        key: the step key (the node name).
        assets_def: the (possibly subsetted) definition it executes.
        inputs: values to load, in parameter order.
        upstream_step_keys: steps of this run that must succeed first (inputs and ``deps``).
    """

    key: str
    assets_def: AssetsDefinition[..., Any]
    inputs: tuple[StepInput, ...]
    upstream_step_keys: frozenset[str]

    def resolve(self, run_ctx: RunContext) -> None:
        """An asset step is fully known when planned."""
        return None

    def skip(self, run_ctx: RunContext, blocked: list[str]) -> None:
        """Emit STEP_SKIPPED, naming the failed blocking asset checks among ``blocked``."""
        from headwater.errors import AssetCheckFailedError
        from headwater.events.types import EventType

        checks = [
            check
            for key in blocked
            if isinstance(error := run_ctx.errors.get(key), AssetCheckFailedError)
            for check in error.check_keys
        ]
        reason = f" (blocking asset check(s) {checks} failed)" if checks else ""
        unproduced = [k.to_user_string() for k in run_ctx.unproduced_inputs.get(self.key, ())]
        failed = [k for k in blocked if k in run_ctx.errors or not unproduced or
                  not _ran_ok(run_ctx, k)]  # fmt: skip
        parts = [f"upstream step(s) {failed} did not succeed{reason}"] if failed else []
        if unproduced:
            parts.append(f"the optional asset(s) {unproduced} it reads were not materialized")
        run_ctx.sink.emit(
            EventType.STEP_SKIPPED,
            f"Skipped execution of step {self.key!r}: {'; '.join(parts)}.",
            step_key=self.key,
            data={"upstream_failed": failed,
                  **({"blocking_checks": checks} if checks else {}),
                  **({"unproduced_inputs": unproduced} if unproduced else {})},
        )  # fmt: skip
        run_ctx.sink.flush()


class ExecutionPlan(Generic[StepT]):
    """The ordered steps of a run: asset steps (``build``) or op steps (``build_op_plan``).

    Args:
        steps: steps in a valid execution order (upstream first).
    """

    __slots__ = ("step_key_by_asset", "steps", "steps_by_key")

    def __init__(self, steps: Sequence[StepT]) -> None:
        self.steps = list(steps)
        self.steps_by_key = {s.key: s for s in self.steps}
        self.step_key_by_asset = {
            k: s.key for s in self.steps if isinstance(s, ExecutionStep) for k in s.assets_def.keys
        }

    def replace(self, index: int, steps: Sequence[StepT]) -> None:
        """Put ``steps`` (resolved during the run, e.g. mapped op steps) in place of step ``index``.

        Dependency order is kept: the resolved steps depend only on steps before ``index``.
        """
        del self.steps_by_key[self.steps[index].key]
        self.steps[index : index + 1] = steps
        self.steps_by_key.update((s.key, s) for s in steps)

    @property
    def step_keys(self) -> list[str]:
        """Step keys in execution order."""
        return [s.key for s in self.steps]

    @property
    def asset_keys(self) -> frozenset[AssetKey]:
        """Every asset key the plan materializes."""
        return frozenset(self.step_key_by_asset)

    @staticmethod
    def build(
        assets_by_key: Mapping[AssetKey, AssetsDefinition[..., Any]],
        selected_keys: Iterable[AssetKey],
        checks: Sequence[AssetsDefinition[..., Any]] = (),
    ) -> ExecutionPlan[ExecutionStep]:
        """Plan the materialization of ``selected_keys``.

        Args:
            assets_by_key: the definition producing each known key.
            selected_keys: keys to materialize; external (spec-only) keys are ignored.
            checks: standalone asset check definitions to evaluate, each in its own step after
                the assets it reads; a blocking check runs before the steps downstream of its
                asset.

        Raises:
            InvalidSelectionError: a selected key has no definition.
            DefinitionError: the selection takes part of a multi-asset that cannot be subset.
        """
        by_node: dict[str, tuple[AssetsDefinition[..., Any], set[AssetKey]]] = {}
        for key in selected_keys:
            assets_def = assets_by_key.get(key)
            if assets_def is None:
                raise InvalidSelectionError(
                    f"Cannot materialize {key.to_user_string()!r}: no asset definition has that "
                    "key."
                )
            if assets_def.is_external:
                continue
            by_node.setdefault(assets_def.node_name, (assets_def, set()))[1].add(key)

        step_by_key = {k: node for node, (_, keys) in by_node.items() for k in keys}
        for checks_def in checks:
            if checks_def.node_name in by_node:
                raise InvalidSelectionError(
                    f"Asset check step {checks_def.node_name!r} has the name of an asset step; "
                    "rename the check (name=) or the asset."
                )
            by_node[checks_def.node_name] = (checks_def, set())
        blocking_steps = _blocking_check_steps(checks, step_by_key)
        steps: dict[str, ExecutionStep] = {}
        for node, (assets_def, keys) in by_node.items():
            if keys and keys != assets_def.keys and not assets_def.can_subset:
                raise _not_subsettable(node, assets_def, keys)
            subset = assets_def if keys == assets_def.keys else _subset(assets_def, keys)
            inputs = tuple(
                StepInput(name=name, asset_key=key, upstream_step_key=step_by_key.get(key))
                for name, key in assets_def.input_keys.items()
            )
            dep_keys = {dep for spec in subset.specs for dep in spec.dep_keys}
            if not subset.specs:  # a check step: after the assets it checks and reads
                dep_keys |= subset.dependency_keys
            upstream = {
                step_by_key[dep]
                for dep in dep_keys
                if dep in step_by_key and step_by_key[dep] != node
            }
            if subset.specs:
                upstream |= {c for dep in dep_keys for c in blocking_steps.get(dep, ())}
            steps[node] = ExecutionStep(
                key=node, assets_def=subset, inputs=inputs, upstream_step_keys=frozenset(upstream)
            )
        return ExecutionPlan(_toposort_steps(steps))


def _not_subsettable(
    node: str, assets_def: AssetsDefinition[..., Any], keys: set[AssetKey]
) -> DefinitionError:
    every = sorted(k.to_user_string() for k in assets_def.keys)
    chosen = sorted(k.to_user_string() for k in keys)
    return DefinitionError(
        f"The selection takes {chosen} of the multi-asset {node!r}, which materializes {every} "
        "together and cannot be subset: select all of its assets, or declare it with "
        "can_subset=True (and yield only the outputs in context.selected_output_names)."
    )


def _subset(
    assets_def: AssetsDefinition[..., Any], keys: set[AssetKey]
) -> AssetsDefinition[..., Any]:
    return assets_def.subset_for(keys)


def _blocking_check_steps(
    checks: Sequence[AssetsDefinition[..., Any]], step_by_key: Mapping[AssetKey, str]
) -> dict[AssetKey, set[str]]:
    """Checked asset -> blocking check steps the steps downstream of it must wait for."""
    out: dict[AssetKey, set[str]] = {}
    for checks_def in checks:
        for spec in checks_def.check_specs:
            if spec.blocking and spec.asset_key in step_by_key:
                out.setdefault(spec.asset_key, set()).add(checks_def.node_name)
    return out


def _toposort_steps(steps: Mapping[str, ExecutionStep]) -> list[ExecutionStep]:
    indegree = {key: len(step.upstream_step_keys) for key, step in steps.items()}
    children: dict[str, list[str]] = {key: [] for key in steps}
    for key, step in steps.items():
        for up in step.upstream_step_keys:
            children[up].append(key)
    queue = deque(sorted(k for k, d in indegree.items() if d == 0))
    order: list[ExecutionStep] = []
    while queue:
        key = queue.popleft()
        order.append(steps[key])
        for child in children[key]:
            indegree[child] -= 1
            if indegree[child] == 0:
                queue.append(child)
    if len(order) != len(steps):
        stuck = sorted(set(steps) - {s.key for s in order})
        raise CycleError(
            f"The steps {stuck} depend on each other through multi-asset outputs; split the "
            "multi-asset so its outputs do not depend on each other across steps."
        )
    return order


@dataclass(frozen=True, slots=True, kw_only=True)
class ObservationStep:
    """One call of an observable source asset's observation function within a run.

    Attributes:
        key: the step key (the asset's node name).
        assets_def: the ``ObservableSourceAsset`` it observes.
    """

    key: str
    assets_def: Any
    upstream_step_keys: frozenset[str] = frozenset()

    def resolve(self, run_ctx: RunContext) -> None:
        """An observation step is fully known when planned."""
        return None

    def skip(self, run_ctx: RunContext, blocked: list[str]) -> None:
        """Observation steps depend on no other step: never skipped."""
        return None

    @staticmethod
    def plan(observables: Iterable[Any]) -> ExecutionPlan[ObservationStep]:
        """The plan of a run observing ``observables``, one step each, in the given order."""
        return ExecutionPlan([ObservationStep(key=a.node_name, assets_def=a) for a in observables])
