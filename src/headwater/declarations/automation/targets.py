"""What a schedule or sensor launches: a job, a job by name, or an asset selection."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from headwater.errors import DefinitionError

ANONYMOUS_JOB_PREFIX = "__anonymous_asset_job_"


def is_job(value: Any) -> bool:
    """Whether ``value`` is a job (an asset job, an op job or a resolved job)."""
    from headwater.declarations.jobs.asset_jobs import UnresolvedAssetJobDefinition
    from headwater.declarations.jobs.definition import JobDefinition

    return isinstance(value, UnresolvedAssetJobDefinition | JobDefinition)


@dataclass(frozen=True, slots=True)
class Target:
    """The job(s) a schedule or sensor launches.

    Attributes:
        jobs: the job objects (asset jobs built from a selection included); empty when the
            target is given only by name.
        job_names: the names of the jobs launched, in order.
    """

    jobs: tuple[Any, ...] = ()
    job_names: tuple[str, ...] = ()


def _anonymous_job(selection: Any, owner_name: str | None, what: str) -> Any:
    from headwater.declarations.jobs.asset_jobs import define_asset_job

    if owner_name is None:
        raise DefinitionError(f"{what} targets an asset selection, so it needs a name: pass name=.")
    return define_asset_job(f"{ANONYMOUS_JOB_PREFIX}{owner_name}", selection=selection)


def resolve_target(
    *,
    what: str,
    owner_name: str | None,
    job: Any = None,
    jobs: Any = None,
    job_name: str | None = None,
    target: Any = None,
    asset_selection: Any = None,
    required: bool,
) -> Target:
    """The :class:`Target` given by exactly one of the arguments.

    Args:
        what: ``"ScheduleDefinition 'name'"``, for messages.
        owner_name: the schedule or sensor's name (names the job of an asset selection).
        job, jobs, job_name, target, asset_selection: the user's arguments.
        required: whether one of them must be given (schedules: yes, sensors: no).

    Raises:
        DefinitionError: more than one is given, none is (when required), or ``job`` is not a
            job.
    """
    given = {
        "job": job, "jobs": jobs, "job_name": job_name, "target": target,
        "asset_selection": asset_selection,
    }  # fmt: skip
    named = [key for key, value in given.items() if value is not None]
    if len(named) > 1:
        raise DefinitionError(
            f"{what}: {' and '.join(named)} were both given; give only one of job=, job_name= "
            "or target= (a job or an asset selection)."
        )
    if not named:
        if required:
            raise DefinitionError(
                f"{what}: nothing to run; give job=, job_name= or target= (a job or an asset "
                "selection)."
            )
        return Target()
    if job_name is not None:
        if not isinstance(job_name, str):
            raise DefinitionError(f"{what}: job_name must be a string, got {job_name!r}.")
        return Target(job_names=(job_name,))
    if job is not None or jobs is not None:
        listed = [job] if job is not None else list(jobs)
        for item in listed:
            if not is_job(item):
                raise DefinitionError(
                    f"{what}: {item!r} is not a job; pass a job from define_asset_job or @job, "
                    "or give assets with target=."
                )
        return Target(tuple(listed), tuple(item.name for item in listed))
    selection = target if target is not None else asset_selection
    if is_job(selection):
        return Target((selection,), (selection.name,))
    built = _anonymous_job(selection, owner_name, what)
    return Target((built,), (built.name,))
