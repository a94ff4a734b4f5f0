"""Launching the runs a schedule or sensor tick requested: one run per run key, ever.

A request with a run key first claims the key in storage (one conditional insert, see
:meth:`~headwater.storage.base.InstigatorStorage.claim_run_key`) with a new run id, then asks
the location's code server to create and queue the run with that id. The claim comes first, so
a daemon killed between the two finds the key claimed on restart, with no run or a run never
queued, and finishes the job with the same run id; a key whose run exists is never launched
again. A request without a run key launches a run every time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from headwater.declarations.jobs.asset_jobs import (
    IMPLICIT_ASSET_JOB_NAME as IMPLICIT_ASSET_JOB_NAME,
)
from headwater.errors import DefinitionError
from headwater.orchestration.run_tags import RUN_KEY_TAG
from headwater.storage.records import RunStatus

if TYPE_CHECKING:
    from headwater.declarations.automation.run_requests import RunRequest
    from headwater.instance.instance import Instance
    from headwater.orchestration.code_server_client import CodeServerClient
    from headwater.storage.instigator_records import InstigatorId

__all__ = ["LaunchedRun", "job_for_request", "launch_request"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LaunchedRun:
    """What became of one run request: its run id, and whether this call queued it
    (``False``: its run key had launched that run before)."""

    run_id: str
    queued: bool


def job_for_request(request: RunRequest, job_names: Sequence[str], what: str) -> str:
    """The job a request runs: its ``job_name``, else its instigator's only job, else (for an
    asset selection) the implicit asset job.

    Raises:
        DefinitionError: the request names a job its instigator does not target, or names none
            while the instigator targets several or none (the message says what to pass).
    """
    if request.job_name is not None:
        if job_names and request.job_name not in job_names:
            raise DefinitionError(
                f"{what} requested a run of job {request.job_name!r}, which it does not target; "
                f"its jobs are {list(job_names)}."
            )
        return request.job_name
    if len(job_names) == 1:
        return job_names[0]
    if request.asset_selection is not None and not job_names:
        return IMPLICIT_ASSET_JOB_NAME
    if job_names:
        raise DefinitionError(
            f"{what} targets several jobs ({list(job_names)}); pass job_name= in its RunRequest."
        )
    raise DefinitionError(
        f"{what} has no job to run: give the sensor job= or target=, or pass job_name= or "
        "asset_selection= in its RunRequest."
    )


def launch_request(
    instance: Instance,
    client: CodeServerClient,
    instigator: InstigatorId,
    request: RunRequest,
    *,
    job_name: str,
    run_key: str | None,
    tags: dict[str, str] | None = None,
    timeout: float | None = None,
) -> LaunchedRun:
    """Create and queue the run ``request`` asks for, unless ``run_key`` launched one already.

    Args:
        instance: the daemon's instance.
        client: the code server of the instigator's location (it creates the run).
        instigator: the schedule or sensor.
        request: what to run.
        job_name: the job (see :func:`job_for_request`).
        run_key: the key to launch at most once (``None``: always launch).
        tags: tags to add to the request's.
        timeout: seconds to wait for the code server.

    Returns:
        The :class:`LaunchedRun`.

    Raises:
        CodeServerError, DefinitionError, InvalidConfigError, PartitionError: the run could
            not be created (nothing was queued; a claimed key is retried by the next request).
    """
    run_id = str(uuid.uuid4())
    if run_key is not None:
        owner = instance.storage.claim_run_key(instigator, run_key, run_id)
        if owner != run_id:
            existing = instance.get_run_by_id(owner)
            if existing is not None and existing.status is not RunStatus.NOT_STARTED:
                return LaunchedRun(run_id=owner, queued=False)
            run_id = owner  # claimed by a tick that died before its run was queued
    extra = dict(tags or {})
    if run_key is not None:
        extra[RUN_KEY_TAG] = run_key
    answer = client.create_run(
        request.with_tags(extra) if extra else request,
        job_name=job_name,
        run_id=run_id,
        instance_home=instance.root_directory,
        timeout=timeout,
    )
    return LaunchedRun(run_id=str(answer["run_id"]), queued=True)
