"""``POST /runs`` of the code server: create and queue the run a schedule or sensor requested.

The daemon never imports user code, and creating a run needs the job's definition (to plan it,
check its config and snapshot its plan), so the daemon asks the location's code server, which
creates the run in the instance with :func:`~headwater.orchestration.submission.create_run_for_job`
and puts it on the run queue. The body::

    {"run_request": <run_request_to_json>, "job_name": "nightly", "run_id": "<uuid>",
     "instance_home": "/srv/headwater"}

answers ``{"run_id", "status", "created"}``. The call is idempotent on ``run_id``: a run that
exists already is answered as it is (``created: false``) and put on the queue if it was left
NOT_STARTED, so a daemon that died mid-request can ask again without launching a second run.
"""

from __future__ import annotations

from typing import Any

from headwater.errors import InvalidInvocationError
from headwater.orchestration.code_server_protocol import run_request_from_json

__all__ = ["create_requested_run"]


def create_requested_run(state: Any, _name: str | None, body: dict[str, Any]) -> dict[str, Any]:
    """Handle ``POST /runs`` for the loaded location ``state`` (a ``CodeServerState``).

    Raises:
        InvalidInvocationError: the body lacks a field, names no instance, or the server was
            started without a code location origin (it cannot record where the run's code is).
        DefinitionError: no job has that name; InvalidConfigError / PartitionError: the
            request's config or partition is invalid for the job (nothing is stored).
    """
    from headwater.storage.records import RunStatus

    request = run_request_from_json(_field(body, "run_request", dict))
    job_name = _field(body, "job_name", str)
    run_id = _field(body, "run_id", str)
    instance = state.instance(body.get("instance_home"))
    if instance is None:
        raise InvalidInvocationError(
            "POST /runs needs instance_home (or a code server started with HEADWATER_HOME)."
        )
    existing = instance.get_run_by_id(run_id)
    if existing is not None:
        if existing.status is RunStatus.NOT_STARTED:
            existing = instance.submit_run(run_id)
        return {"run_id": run_id, "status": existing.status.value, "created": False}
    if state.origin is None:
        raise InvalidInvocationError(
            f"The code server of location {state.location_name!r} was started without its "
            "origin, so the runs it would create could not be launched; start it with "
            "`headwater code-server start`."
        )
    from headwater.orchestration.submission import create_run_for_job

    run = create_run_for_job(
        instance, state.definitions.get_job_def(job_name), location=state.origin,
        run_config=request.run_config, tags=request.tags,
        asset_selection=list(request.asset_selection) if request.asset_selection else None,
        partition_key=request.partition_key, run_id=run_id,
    )  # fmt: skip
    return {"run_id": run.run_id, "status": run.status.value, "created": True}


def _field(body: dict[str, Any], key: str, kind: type) -> Any:
    value = body.get(key)
    if not isinstance(value, kind):
        raise InvalidInvocationError(f"{key} must be a {kind.__name__}, got {value!r}.")
    return value
