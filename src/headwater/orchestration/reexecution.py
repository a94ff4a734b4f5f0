"""Re-executing a past run: all of it, from failure, or a selection of its steps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.errors import ExecutionError, RunNotFoundError
from headwater.events.types import EventType
from headwater.execution.plan.origin import JobOrigin
from headwater.execution.run.in_process import run_job_in_process
from headwater.execution.run.result import ExecuteInProcessResult
from headwater.keys import AssetKey
from headwater.storage.records import Run, RunStatus

if TYPE_CHECKING:
    from headwater.instance.instance import Instance

PARENT_RUN_TAG = "headwater/parent_run_id"
ROOT_RUN_TAG = "headwater/root_run_id"
_CARRIED_TAGS = ("headwater/partition", "headwater/asset_partition_range_start",
                 "headwater/asset_partition_range_end")  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class ReexecutionOptions:
    """What to re-execute of a past run.

    Args:
        parent_run_id: the run to re-execute.
        step_selection: step keys (asset node names) to run again; ``None`` means every step.
        failed_only: run only the steps that did not succeed in the parent (failed, skipped,
            or never started); their upstream values are loaded from the IO managers, not
            recomputed. Build these options with :meth:`from_failure`.

    Example:
        >>> ReexecutionOptions(parent_run_id="abc", step_selection=["orders"]).step_selection
        ('orders',)
    """

    parent_run_id: str
    step_selection: Sequence[str] | None = None
    failed_only: bool = False

    def __post_init__(self) -> None:
        if self.step_selection is not None:
            object.__setattr__(self, "step_selection", tuple(self.step_selection))

    @staticmethod
    def from_failure(run_id: str, instance: Instance) -> ReexecutionOptions:
        """Options to re-execute only what did not succeed in ``run_id``.

        Raises:
            RunNotFoundError: no such run.
            ExecutionError: the run has not failed (nothing to re-execute from failure).
        """
        run = _parent(instance, run_id)
        if run.status not in (RunStatus.FAILURE, RunStatus.CANCELED):
            raise ExecutionError(
                f"Run {run_id} has status {run.status.value}; only a FAILURE or CANCELED run can "
                "be re-executed from failure. Re-execute all of it instead."
            )
        return ReexecutionOptions(parent_run_id=run_id, failed_only=True)


def execute_job(
    job: Any,
    instance: Instance,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    raise_on_error: bool = False,
    reexecution_options: ReexecutionOptions | None = None,
    asset_selection: Any = None,
    *,
    job_origin: JobOrigin | None = None,
) -> ExecuteInProcessResult:
    """Execute ``job`` in this process, or re-execute a past run of it (``headwater.execute_job``
    also takes a reconstructable job and honours the job's executor).

    Args:
        job: a job from ``Definitions.get_job_def(name)`` (the implicit ``__ASSET_JOB`` re-executes
            runs made by ``materialize``).
        instance: where the runs are stored.
        run_config: run config (a re-execution reuses the parent's unless given).
        tags: extra run tags.
        raise_on_error: raise the first step error after the run is recorded.
        reexecution_options: re-execute this past run (all, from failure, or a selection).
        asset_selection: a subset of the job's assets (plain execution only).
        job_origin: where ``job`` was loaded from, recorded with the new run (a re-execution
            keeps its parent's origin unless given).

    Returns:
        The new run's :class:`ExecuteInProcessResult`; its run has ``parent_run_id`` and
        ``root_run_id`` set for a re-execution.

    Raises:
        RunNotFoundError: the parent run does not exist.
        ExecutionError: the definitions no longer contain assets the parent run materialized
            (the message names them), an unknown step in ``step_selection``, or nothing is left
            to re-execute.

    Example:
        >>> # result = execute_job(defs.get_job_def("daily"), instance,
        >>> #     reexecution_options=ReexecutionOptions.from_failure(run_id, instance))
    """
    if reexecution_options is None:
        return run_job_in_process(
            job, run_config=run_config, instance=instance, tags=tags,
            raise_on_error=raise_on_error, asset_selection=asset_selection,
            job_origin=job_origin,
        )  # fmt: skip
    arguments = reexecution_arguments(
        job, instance, reexecution_options, run_config, tags, job_origin=job_origin
    )
    return run_job_in_process(job, instance=instance, raise_on_error=raise_on_error, **arguments)


def reexecution_arguments(
    job: Any,
    instance: Instance,
    options: ReexecutionOptions,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    *,
    job_origin: JobOrigin | None = None,
) -> dict[str, Any]:
    """The arguments of the run of ``job`` that re-executes ``options.parent_run_id``: run
    config (the parent's unless given), tags (the parent's own, the given ones, parent and root
    run ids), the assets to run, the parent's partition (or range), ``parent_run_id``,
    ``root_run_id`` and ``job_origin`` (the parent's location unless given).

    Raises:
        RunNotFoundError / ExecutionError: as :func:`execute_job`.
    """
    parent = _parent(instance, options.parent_run_id)
    keys = _keys_to_run(job, instance, parent, options)
    carried = {k: v for k, v in parent.tags.items() if not k.startswith("headwater/")}
    partition = parent.tags.get("headwater/partition")
    start = parent.tags.get("headwater/asset_partition_range_start")
    end = parent.tags.get("headwater/asset_partition_range_end")
    key_range = None
    if start is not None and end is not None:
        from headwater.declarations.partitions.base import PartitionKeyRange

        key_range = PartitionKeyRange(start, end)
    root = parent.root_run_id or parent.run_id
    if job_origin is None and parent.job_origin is not None:
        job_origin = JobOrigin(location=parent.job_origin.location, job_name=job.name)
    return {
        "run_config": run_config if run_config is not None else dict(parent.run_config),
        "tags": {**carried, **(tags or {}), PARENT_RUN_TAG: parent.run_id, ROOT_RUN_TAG: root},
        "asset_selection": sorted(keys),
        "partition_key": partition,
        "partition_key_range": key_range,
        "parent_run_id": parent.run_id,
        "root_run_id": root,
        "job_origin": job_origin,
    }


def _parent(instance: Instance, run_id: str) -> Run:
    run = instance.get_run_by_id(run_id)
    if run is None:
        raise RunNotFoundError(
            f"No run with id {run_id!r} to re-execute; list runs with `headwater run list`."
        )
    return run


def _keys_to_run(
    job: Any, instance: Instance, parent: Run, options: ReexecutionOptions
) -> set[AssetKey]:
    defs = job.definitions
    known = defs.assets_by_key
    wanted = set(parent.asset_selection or ())
    missing = sorted(k.to_user_string() for k in wanted if k not in known or known[k].is_external)
    if missing:
        raise ExecutionError(
            f"Cannot re-execute run {parent.run_id}: the definitions no longer have the assets "
            f"{missing} it materialized. Restore them, or re-execute a selection without them."
        )
    steps: dict[str, set[AssetKey]] = {}
    for key in wanted:
        steps.setdefault(known[key].node_name, set()).add(key)
    if options.step_selection is not None:
        unknown = sorted(set(options.step_selection) - set(steps))
        if unknown:
            raise ExecutionError(
                f"Run {parent.run_id} has no steps {unknown}; its steps are {sorted(steps)}."
            )
        chosen = set(options.step_selection)
    else:
        chosen = set(steps)
    if options.failed_only:
        succeeded = {
            e.step_key
            for e in instance.all_logs(parent.run_id, of_type=EventType.STEP_SUCCESS)
            if e.step_key
        }
        chosen -= succeeded
    if not chosen:
        raise ExecutionError(
            f"Nothing to re-execute: every selected step of run {parent.run_id} succeeded."
        )
    return {k for step in chosen for k in steps[step]}
