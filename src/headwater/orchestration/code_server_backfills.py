"""The code server's ``POST /backfills``: plan and store a backfill for the daemon to run.

The webserver never loads user code, so a backfill asked for through the API is planned here,
in the code location's process, by the function ``headwater backfill launch --background``
calls (:func:`~headwater.orchestration.backfills.launch.launch_backfill` with the location's
origin): the daemon's backfill loop then queues its runs.

=====================  ========================================================================
body key               meaning
=====================  ========================================================================
``instance_home``      the instance to store the backfill in (required)
``origin``             the location's ``CodeLocationOrigin.to_dict()`` (when the server has none)
``selection``          a selection string (``"events+"``), or
``asset_selection``    key paths (``[["raw", "events"]]``); both may be given (their union)
``partition_keys``     a list of keys, or
``partition_range``    ``[start, end]``, or
``all_partitions``     ``true``
``tags``               ``{"key": "value"}`` added to every run
=====================  ========================================================================

It answers ``{"backfill_id": ..., "runs": <number of planned runs>}``. An unknown asset or a bad
selection is an ``InvalidInvocationError`` (``bad_request``); a bad partition a
``PartitionError``; nothing is stored then.
"""

from __future__ import annotations

from typing import Any

from headwater.errors import HeadwaterError, InvalidInvocationError, PartitionError
from headwater.orchestration.code_server_launch import keys_of, range_of, tags_of

__all__ = ["launch_requested_backfill"]


def launch_requested_backfill(state: Any, _name: str | None, body: dict[str, Any]) -> Any:
    """Plan and store the backfill ``body`` asks for (see the module)."""
    from headwater.execution.plan.origin import CodeLocationOrigin
    from headwater.orchestration.backfills.launch import launch_backfill

    instance = state.instance(body.get("instance_home"))
    if instance is None:
        raise InvalidInvocationError("instance_home is required: the instance of the backfill.")
    origin = state.origin
    if origin is None:
        if not isinstance(body.get("origin"), dict):
            raise InvalidInvocationError("origin is required: the location's CodeLocationOrigin.")
        origin = CodeLocationOrigin.from_dict(body["origin"])
    selection = _selection(body)
    keys = body.get("partition_keys")
    if keys is not None and not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)):
        raise InvalidInvocationError(f"partition_keys must be a list of strings, got {keys!r}.")
    try:
        launched = launch_backfill(
            state.definitions, selection, instance=instance, partition_keys=keys,
            partition_key_range=range_of(body.get("partition_range")),
            all_partitions=bool(body.get("all_partitions")), tags=tags_of(body.get("tags")),
            location=origin,
        )  # fmt: skip
    except PartitionError:
        raise
    except HeadwaterError as exc:
        raise InvalidInvocationError(str(exc)) from exc
    return {"backfill_id": launched.backfill_id, "runs": len(launched.run_requests)}


def _selection(body: dict[str, Any]) -> Any:
    from headwater.asset_graph.selection import AssetSelection

    text, paths = body.get("selection"), keys_of(body.get("asset_selection"))
    if text is not None and not isinstance(text, str):
        raise InvalidInvocationError(f"selection must be a string, got {text!r}.")
    if not text and not paths:
        raise InvalidInvocationError("Select at least one asset (a selection or asset keys).")
    if not text:
        return paths
    if not paths:
        return text
    return AssetSelection.from_string(text) | AssetSelection.assets(*paths)
