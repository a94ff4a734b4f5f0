"""Creating runs from the webserver: the location's code server validates and records them.

A run is put on the queue when a daemon runs on the instance (the daemon starts it); without a
daemon the webserver launches its run worker at once, so ``headwater webserver`` alone still
runs what it is asked to.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from headwater.errors import (
    CodeLocationError,
    CodeServerUnavailableError,
    HeadwaterError,
    InvalidInvocationError,
    PartitionError,
)
from headwater.webserver.state import WebserverState

__all__ = ["LaunchFailure", "backfill_in_location", "submit_to_location"]


@dataclass(frozen=True, slots=True)
class LaunchFailure:
    """Why no run was created: a message for people and a stable kind."""

    message: str
    kind: str


def submit_to_location(
    state: WebserverState, location_name: str, request: Mapping[str, Any]
) -> str | LaunchFailure:
    """Create (and start or queue) a run in ``location_name``; its run id, or why not.

    Args:
        state: the webserver's state.
        location_name: the code location.
        request: the ``POST /launches`` body without ``origin``/``instance_home``/``queued``
            (``job_name``, ``asset_selection``, ``partition_key``, ...).
    """
    instance = state.instance
    if instance.is_ephemeral:
        return LaunchFailure("The webserver's instance is ephemeral: runs need a persistent "
                             "instance (set HEADWATER_HOME).", "INVALID")  # fmt: skip
    try:
        location = state.manager.workspace.location(location_name)
    except HeadwaterError as exc:
        return LaunchFailure(str(exc), "NOT_FOUND")
    if location.origin is None:
        return LaunchFailure(
            f"Code location {location_name!r} is served by a code server started elsewhere "
            "(a code_server entry): its runs cannot be launched from here.", "LOCATION_UNAVAILABLE"
        )  # fmt: skip
    from headwater.daemon.status import is_daemon_running

    queued = is_daemon_running(instance)
    body = {**request, "origin": location.origin.to_dict(),
            "instance_home": str(instance.root_directory), "queued": queued}  # fmt: skip
    try:
        answer = state.manager.client(location_name).launch_run(body)
    except (InvalidInvocationError, PartitionError) as exc:
        kind = "PARTITION" if isinstance(exc, PartitionError) else "INVALID"
        return LaunchFailure(str(exc), kind)
    except (CodeLocationError, CodeServerUnavailableError) as exc:
        return LaunchFailure(str(exc), "LOCATION_UNAVAILABLE")
    except HeadwaterError as exc:
        return LaunchFailure(str(exc), "INVALID")
    run_id = str(answer["run_id"])
    if not queued:
        from headwater.orchestration.launcher import launch_run, reap_workers

        reap_workers()
        launch_run(instance, run_id)
    return run_id


def backfill_in_location(
    state: WebserverState, location_name: str, request: Mapping[str, Any]
) -> str | LaunchFailure:
    """Plan and store a background backfill in ``location_name``; its id, or why not.

    The location's code server plans it (``POST /backfills``) and stores it with the
    location's origin, as ``headwater backfill launch --background`` does; the daemon's
    backfill loop then queues its runs.

    Args:
        state: the webserver's state.
        location_name: the code location.
        request: the ``POST /backfills`` body without ``origin``/``instance_home``
            (``selection``, ``asset_selection``, ``partition_keys``, ...).
    """
    instance = state.instance
    if instance.is_ephemeral:
        return LaunchFailure("The webserver's instance is ephemeral: backfills need a "
                             "persistent instance (set HEADWATER_HOME).", "INVALID")  # fmt: skip
    try:
        location = state.manager.workspace.location(location_name)
    except HeadwaterError as exc:
        return LaunchFailure(str(exc), "NOT_FOUND")
    if location.origin is None:
        return LaunchFailure(
            f"Code location {location_name!r} is served by a code server started elsewhere "
            "(a code_server entry): its backfills cannot be launched from here.",
            "LOCATION_UNAVAILABLE",
        )
    body = {**request, "origin": location.origin.to_dict(),
            "instance_home": str(instance.root_directory)}  # fmt: skip
    try:
        answer = state.manager.client(location_name).launch_backfill(body)
    except PartitionError as exc:
        return LaunchFailure(str(exc), "PARTITION")
    except (CodeLocationError, CodeServerUnavailableError) as exc:
        return LaunchFailure(str(exc), "LOCATION_UNAVAILABLE")
    except HeadwaterError as exc:
        return LaunchFailure(str(exc), "INVALID")
    return str(answer["backfill_id"])
