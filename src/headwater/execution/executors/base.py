"""What an executor is, and the step loop of executors that run several steps at once.

:func:`execute_ready_steps` applies the same rules as the in-process step loop
(:func:`~headwater.execution.run.driver.execute_steps`) — a step whose upstream step failed or
was skipped is skipped, a mapped op is resolved once the dynamic output it maps over is known,
each result is recorded in the run state — but starts every step whose upstream steps have
finished (the *ready set*) as soon as a slot is free, instead of one after another. Where a
step runs is the :class:`StepSlots`' business.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from headwater.errors import InvariantViolationError
from headwater.execution.plan.execution_plan import ExecutionPlan, PlanStep
from headwater.execution.plan.op_plan import OpNodeStep
from headwater.execution.run.state import RunContext
from headwater.execution.step.lifecycle import StepResult


class Executor(Protocol):
    """Runs the steps of a run's plan (the run driver emits the run-level events around it)."""

    name: str

    def execute(
        self,
        plan: ExecutionPlan[Any],
        run_ctx: RunContext,
        *,
        resource_defs: Mapping[str, Any],
        required_keys: set[str],
        resource_config: Mapping[str, Any],
    ) -> None:
        """Run (or skip) every step of ``plan``, recording each result with
        ``run_ctx.record``. ``resource_defs`` / ``required_keys`` / ``resource_config`` are the
        run's resources, for executors that set them up in this process."""
        ...


class StepSlots(Protocol):
    """Where an :func:`execute_ready_steps` loop starts steps."""

    @property
    def running(self) -> int:
        """How many started steps have not finished yet."""
        ...

    def can_start(self, step: Any) -> bool:
        """Whether ``step`` may start now (a free slot, tag limits)."""
        ...

    def start(self, step: Any, run_ctx: RunContext) -> None:
        """Start ``step``; its result comes out of a later :meth:`wait`."""
        ...

    def wait(self) -> Sequence[tuple[str, StepResult | None]]:
        """Block until at least one started step finished; return ``(step key, result)`` for
        each finished step, in the order they finished (result ``None``: the step skipped
        itself, e.g. an op whose optional input was not produced)."""
        ...


def execute_ready_steps(plan: ExecutionPlan[Any], run_ctx: RunContext, slots: StepSlots) -> None:
    """Run every step of ``plan`` through ``slots``, each as soon as its upstream steps finished.

    Steps that become ready at the same time start in plan order. Every result is recorded in
    ``run_ctx``; the run state is written only here, in the calling process.
    """
    schedule = _Schedule(plan, run_ctx)
    while True:
        for step in schedule.pop_ready():
            if slots.can_start(step):
                run_ctx.executed.add(step.key)
                slots.start(step, run_ctx)
            else:
                schedule.defer(step)
        if not slots.running:
            if schedule.pending:  # cannot happen with a valid plan: never wait forever
                raise InvariantViolationError(
                    f"Steps {schedule.pending} can never start: nothing runs and they wait on "
                    "each other."
                )
            return
        for key, result in slots.wait():
            if result is not None:
                run_ctx.record(result)
            schedule.finish(key, ok=result is not None and result.success)


class _Schedule:
    """The ready set of a run: which steps may start, in plan order."""

    def __init__(self, plan: ExecutionPlan[Any], run_ctx: RunContext) -> None:
        self.plan = plan
        self.run_ctx = run_ctx
        self.not_ok: set[str] = set()
        self.done: set[str] = set()
        self._known: dict[str, PlanStep] = {}
        self._order: dict[str, tuple[int, ...]] = {}
        self._waiting: dict[str, set[str]] = {}
        self._children: dict[str, list[str]] = {}
        self._ready: list[tuple[tuple[int, ...], str]] = []
        self._deferred: list[tuple[tuple[int, ...], str]] = []
        self._started: dict[str, PlanStep] = {}
        for index, step in enumerate(plan.steps):
            self._known[step.key] = step
            self._order[step.key] = (index,)
        for step in plan.steps:
            self._register(step)

    @property
    def pending(self) -> list[str]:
        """Steps neither finished nor started."""
        return sorted(k for k in self._known if k not in self.done and k not in self._started)

    def _register(self, step: PlanStep) -> None:
        waits = {
            key
            for key in step.upstream_step_keys | _resolution_keys(step, self.run_ctx)
            if key in self._known and key not in self.done and key != step.key
        }
        if waits:
            self._waiting[step.key] = waits
            for key in waits:
                self._children.setdefault(key, []).append(step.key)
        else:
            heapq.heappush(self._ready, (self._order[step.key], step.key))

    def pop_ready(self) -> list[PlanStep]:
        """The steps to start now, in plan order; skips and resolutions are done on the way."""
        startable: list[PlanStep] = []
        while self._ready:
            _, key = heapq.heappop(self._ready)
            step = self._known[key]
            blocked = self.run_ctx.blocking(step, self.not_ok, self.plan.step_key_by_asset)
            if blocked:
                self.run_ctx.executed.add(key)
                step.skip(self.run_ctx, blocked)
                self.finish(key, ok=False)
            elif (resolved := step.resolve(self.run_ctx)) is not None:
                self._replace(step, list(resolved))
            else:
                self._started[key] = step
                startable.append(step)
        return startable

    def defer(self, step: PlanStep) -> None:
        """``step`` could not start yet: offer it again after the next step finishes."""
        del self._started[step.key]
        self._deferred.append((self._order[step.key], step.key))

    def finish(self, key: str, *, ok: bool) -> None:
        """Step ``key`` ended (or was skipped); its downstream steps may become ready."""
        self._started.pop(key, None)
        self.done.add(key)
        if not ok:
            self.not_ok.add(key)
        for item in self._deferred:
            heapq.heappush(self._ready, item)
        self._deferred = []
        for child in self._children.pop(key, ()):
            waits = self._waiting.get(child)
            if waits is None:
                continue
            waits.discard(key)
            if not waits:
                del self._waiting[child]
                heapq.heappush(self._ready, (self._order[child], child))

    def _replace(self, step: PlanStep, resolved: list[PlanStep]) -> None:
        """Put the steps ``step`` resolved to in its place (in the plan and the schedule)."""
        self.plan.replace(self.plan.steps.index(step), resolved)
        order = self._order.pop(step.key)
        del self._known[step.key]
        for sub, new in enumerate(resolved):
            self._known[new.key] = new
            self._order[new.key] = (*order, sub)
        for new in resolved:
            self._register(new)
        # Steps that waited on the resolved step now wait on what it resolved to.
        new_keys = {s.key for s in resolved}
        for child in self._children.pop(step.key, ()):
            waits = self._waiting.get(child)
            if waits is None:
                continue
            waits.discard(step.key)
            for key in new_keys - self.done:
                waits.add(key)
                self._children.setdefault(key, []).append(child)
            if not waits:
                del self._waiting[child]
                heapq.heappush(self._ready, (self._order[child], child))


def _resolution_keys(step: PlanStep, run_ctx: RunContext) -> frozenset[str]:
    """Steps that must finish before ``step`` can be resolved into the steps it runs as.

    An op node is resolved into its steps from the mapping keys of the dynamic outputs it maps
    over or collects: the steps producing those outputs must have finished. (The in-process
    loop needs no such rule: it reaches a node only after every step before it finished.)
    """
    if not isinstance(step, OpNodeStep):
        return frozenset()
    keys: set[str] = set()
    nodes = run_ctx.nodes
    for source in (u for s in step.node.inputs.values() for u in s.upstream()):
        upstream = nodes.get(source.node)
        if upstream is None:
            continue
        if source.kind == "collect" and upstream.op_def.outs[source.output].is_dynamic:
            keys.add(upstream.name)
        if upstream.mapped_over is not None:
            keys.add(upstream.mapped_over[0])
        keys.add(upstream.name)  # its steps must be known (resolved) before this node's
    return frozenset(keys)
