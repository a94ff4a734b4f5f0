"""Creating a run to execute elsewhere: validated now, recorded with its origin and plan snapshot.

``headwater job launch`` and ``asset launch`` (and, later, schedules and sensors) create the run
here, in the calling process, which has loaded the code location: an unknown job, selection,
partition or bad config is refused before anything is stored. The run worker then plans the run
again from its snapshot, in its own process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.execution.plan.origin import CodeLocationOrigin, JobOrigin
from headwater.storage.records import Run, RunStatus

if TYPE_CHECKING:
    from headwater.instance.instance import Instance


def create_run_for_job(
    instance: Instance,
    job: Any,
    *,
    location: CodeLocationOrigin,
    run_config: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    asset_selection: Any = None,
    op_selection: Sequence[str] | None = None,
    partition_key: str | None = None,
    partition_key_range: Any = None,
    queued: bool = True,
    run_id: str | None = None,
    parent_run_id: str | None = None,
    root_run_id: str | None = None,
) -> Run:
    """Validate a run of ``job`` and record it, not started, with its origin and plan snapshot.

    Args:
        instance: where to record the run.
        job: a job of the code location ``location`` (``Definitions.get_job_def``).
        location: the origin of the code location ``job`` was loaded from.
        run_config / tags: as for ``execute_in_process``.
        asset_selection / op_selection / partition_key / partition_key_range: what to run.
        queued: put the run on the queue (status QUEUED, a RUN_ENQUEUED event) for the
            daemon to start; ``False`` leaves it NOT_STARTED (to launch it at once).
        run_id: the run's id (a new UUID by default); a schedule or sensor passes the id it
            claimed for its run key.
        parent_run_id / root_run_id: for a re-execution, the run it re-executes and its root
            (``reexecution.reexecution_arguments``).

    Returns:
        The stored run.

    Raises:
        InvalidSelectionError / InvalidInvocationError / PartitionError: a bad selection or
            partition; InvalidConfigError: bad run config. Nothing is stored then.
        StorageError: a run with ``run_id`` exists already.

    Example:
        >>> # run = create_run_for_job(instance, defs.get_job_def("nightly"),
        >>> #                          location=LocationArgs(...).origin())
        >>> # launch_run(instance, run.run_id)
    """
    from headwater.execution.plan.run_snapshot import snapshot_of_run
    from headwater.execution.run.in_process import plan_job_run, validate_job_run_config

    run_plan = plan_job_run(
        job, instance=instance, op_selection=op_selection, asset_selection=asset_selection,
        partition_key=partition_key, partition_key_range=partition_key_range,
    )  # fmt: skip
    merged_config, _resources, _resolved = validate_job_run_config(job, run_plan, run_config)
    run_tags = {**job.tags, **(tags or {}), **run_plan.tags}
    snapshot = snapshot_of_run(
        job_name=job.name, requested_selection=asset_selection,
        planned_assets=run_plan.asset_selection, op_selection=op_selection,
        partition_key=partition_key, partition_key_range=partition_key_range,
        run_config=merged_config, tags=run_tags,
    )  # fmt: skip
    run = instance.create_run(
        run_id=run_id,
        job_name=job.name,
        run_config=merged_config,
        tags=run_tags,
        asset_selection=run_plan.asset_selection,
        status=RunStatus.NOT_STARTED,
        job_origin=JobOrigin(location=location, job_name=job.name),
        plan_snapshot=snapshot,
        parent_run_id=parent_run_id,
        root_run_id=root_run_id,
    )
    return instance.submit_run(run.run_id) if queued else run
