"""``POST /launches`` on a code server: create the run the webserver asks for, validated there.

The webserver never imports user code, so it cannot check a selection, a partition or a run
config itself; it asks the location's code server, which has the ``Definitions`` loaded, to
create the run (``submission.create_run_for_job``) in the instance the request names. Unlike
``POST /runs`` (a schedule's or sensor's run request, always queued, idempotent on its run id),
this takes what people ask for in the UI: a partition range, a re-execution, a run left
NOT_STARTED to be launched at once. The body:

=========================  ====================================================================
``origin``                 the location's ``CodeLocationOrigin.to_dict()``, recorded on the
                           run (so a run worker can load the job again) when the server was
                           started without its origin
``instance_home``          the instance directory (else the server's default); required
``job_name``               the job (default: the implicit asset job)
``asset_selection``        a list of asset key paths (``[["raw", "orders"], ...]``), or absent
``partition_key``          one partition, or ``partition_key_range``: ``[start, end]``
``run_config``, ``tags``   as for ``execute_in_process``
``queued``                 put the run on the queue (default ``true``); ``false``: NOT_STARTED
``reexecute``              ``{"parent_run_id", "from_failure": bool, "step_selection": [...]}``
                           re-executes that run instead (its job, config and partition)
=========================  ====================================================================

It answers ``{"run_id": ..., "status": ...}``. A bad selection, partition, config or parent run
is an ``InvalidInvocationError`` (``bad_request``) or a ``PartitionError``, with the message
that says what to change.
"""

from __future__ import annotations

from typing import Any

from headwater.errors import (
    DefinitionError,
    ExecutionError,
    HeadwaterError,
    InvalidInvocationError,
    PartitionError,
)
from headwater.keys import AssetKey

__all__ = ["keys_of", "launch_requested_run", "range_of", "tags_of"]


def launch_requested_run(state: Any, _name: str | None, body: dict[str, Any]) -> dict[str, Any]:
    """Create the run ``body`` asks for in the location ``state`` serves (see the module)."""
    from headwater.execution.plan.origin import CodeLocationOrigin

    instance = state.instance(body.get("instance_home"))
    if instance is None:
        raise InvalidInvocationError("instance_home is required: the instance of the run.")
    origin = state.origin
    if origin is None:
        if not isinstance(body.get("origin"), dict):
            raise InvalidInvocationError("origin is required: the location's CodeLocationOrigin.")
        origin = CodeLocationOrigin.from_dict(body["origin"])
    try:
        if body.get("reexecute") is not None:
            run = _reexecute(state.definitions, instance, origin, body)
        else:
            run = _submit(state.definitions, instance, origin, body)
    except PartitionError:
        raise
    except (DefinitionError, ExecutionError, HeadwaterError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        raise InvalidInvocationError(str(message)) from exc
    return {"run_id": run.run_id, "status": run.status.value}


def _submit(defs: Any, instance: Any, origin: Any, body: dict[str, Any]) -> Any:
    from headwater.declarations.jobs.asset_jobs import IMPLICIT_ASSET_JOB_NAME
    from headwater.orchestration.submission import create_run_for_job

    job = defs.get_job_def(body.get("job_name") or IMPLICIT_ASSET_JOB_NAME)
    selection = keys_of(body.get("asset_selection"))
    if selection is not None and not job.is_asset_job:
        raise InvalidInvocationError(f"Job {job.name!r} is a job of ops: it takes no assets.")
    return create_run_for_job(
        instance, job, location=origin, run_config=body.get("run_config") or None,
        tags=tags_of(body.get("tags")), asset_selection=selection,
        op_selection=body.get("op_selection"), partition_key=body.get("partition_key"),
        partition_key_range=range_of(body.get("partition_key_range")),
        queued=bool(body.get("queued", True)),
    )  # fmt: skip


def _reexecute(defs: Any, instance: Any, origin: Any, body: dict[str, Any]) -> Any:
    from headwater.execution.plan.origin import JobOrigin
    from headwater.orchestration.reexecution import ReexecutionOptions, reexecution_arguments
    from headwater.orchestration.submission import create_run_for_job

    spec = body["reexecute"]
    if not isinstance(spec, dict) or not isinstance(spec.get("parent_run_id"), str):
        raise InvalidInvocationError('reexecute must be {"parent_run_id": "...", ...}.')
    parent_id = spec["parent_run_id"]
    if spec.get("from_failure"):
        options = ReexecutionOptions.from_failure(parent_id, instance)
    else:
        options = ReexecutionOptions(parent_run_id=parent_id,
                                     step_selection=spec.get("step_selection"))  # fmt: skip
    parent = instance.get_run_by_id(parent_id)
    job = defs.get_job_def(parent.job_name)
    job_origin = JobOrigin(location=origin, job_name=job.name)
    args = reexecution_arguments(job, instance, options, tags=tags_of(body.get("tags")),
                                 job_origin=job_origin)  # fmt: skip
    return create_run_for_job(
        instance, job, location=origin, run_config=args["run_config"], tags=args["tags"],
        asset_selection=args["asset_selection"], partition_key=args["partition_key"],
        partition_key_range=args["partition_key_range"], parent_run_id=args["parent_run_id"],
        root_run_id=args["root_run_id"], queued=bool(body.get("queued", True)),
    )  # fmt: skip


def keys_of(value: Any) -> list[AssetKey] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(p, list) and p and all(isinstance(s, str) for s in p) for p in value
    ):
        raise InvalidInvocationError(
            f'asset_selection must be a list of key paths ([["raw", "orders"]]), got {value!r}.'
        )
    return sorted({AssetKey(p) for p in value}, key=lambda k: k.path)


def range_of(value: Any) -> Any:
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
        raise InvalidInvocationError(f"partition_key_range must be [start, end], got {value!r}.")
    from headwater.declarations.partitions.base import PartitionKeyRange

    return PartitionKeyRange(value[0], value[1])


def tags_of(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidInvocationError(f"tags must be an object of strings, got {value!r}.")
    return value
