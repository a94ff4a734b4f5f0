"""What crosses the wire between a code server and its clients, as JSON.

Tick results (:class:`TickEvaluation` with its ``RunRequest`` s, dynamic partitions requests
and asset events), times, and errors are turned into plain JSON values here and back, by the
server (``code_server``) and the client (``code_server_client``) alike. Round trips are exact:
a tick evaluated remotely equals the same tick evaluated in process.

An error travels as ``{"error": {"kind", "type", "message", "traceback"}}``; ``kind`` is one of
:data:`ERROR_KINDS` and tells the client which exception to raise.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from headwater.declarations.automation.run_requests import RunRequest
from headwater.declarations.automation.ticks import TickEvaluation
from headwater.declarations.checks.definition import AssetCheckEvaluation, AssetCheckSeverity
from headwater.declarations.partitions.dynamic import (
    AddDynamicPartitionsRequest,
    DeleteDynamicPartitionsRequest,
)
from headwater.declarations.results import AssetMaterialization, AssetObservation
from headwater.errors import (
    CodeLocationError,
    DefinitionError,
    HeadwaterError,
    InvalidInvocationError,
    PartitionError,
    UnknownPartitionError,
    UserCodeError,
)
from headwater.keys import AssetCheckKey, AssetKey
from headwater.metadata import metadata_from_json, metadata_to_json

#: ``user_code``: user code raised; ``definition``: a definition is wrong or returned something
#: it may not; ``not_found``: no such schedule, sensor or asset; ``partition``: a partition
#: question of an unpartitioned asset, or an unknown key; ``bad_request``: the request itself is
#: malformed; ``load``: the code location failed to load; ``busy``: the same schedule or sensor
#: is still being evaluated by an earlier request; ``internal``: anything else.
ERROR_KINDS = ("user_code", "definition", "not_found", "partition", "bad_request", "load",
               "busy", "internal")  # fmt: skip

HTTP_STATUS = {"user_code": 422, "definition": 422, "not_found": 404, "partition": 422,
               "bad_request": 400, "load": 503, "busy": 409, "internal": 500}  # fmt: skip


# -- times ---------------------------------------------------------------------------------------
def datetime_to_json(moment: datetime) -> dict[str, Any]:
    """``{"iso": ..., "timezone": ...}``: the instant, and the IANA zone when it has one (so the
    other side gets a ``ZoneInfo``, not a fixed offset)."""
    zone = moment.tzinfo
    return {"iso": moment.isoformat(), "timezone": zone.key if isinstance(zone, ZoneInfo) else None}


def datetime_from_json(data: Mapping[str, Any]) -> datetime:
    """The datetime :func:`datetime_to_json` wrote.

    Raises:
        InvalidInvocationError: not an ISO 8601 time, or an unknown time zone.
    """
    try:
        moment = datetime.fromisoformat(data["iso"])
        zone = data.get("timezone")
        return moment.astimezone(ZoneInfo(zone)) if zone and moment.tzinfo else moment
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInvocationError(f"Not a time: {data!r} ({exc}).") from None


# -- run requests and ticks ----------------------------------------------------------------------
def run_request_to_json(request: RunRequest) -> dict[str, Any]:
    """A ``RunRequest`` as JSON (keys as path lists, check keys as ``[path, name]``)."""
    selection = request.asset_selection
    checks = request.asset_check_keys
    return {
        "run_key": request.run_key, "run_config": dict(request.run_config),
        "tags": dict(request.tags), "job_name": request.job_name,
        "asset_selection": None if selection is None else [k.path for k in selection],
        "stale_assets_only": request.stale_assets_only, "partition_key": request.partition_key,
        "asset_check_keys": None
        if checks is None
        else [[c.asset_key.path, c.name] for c in checks],
    }  # fmt: skip


def run_request_from_json(data: Mapping[str, Any]) -> RunRequest:
    """The ``RunRequest`` :func:`run_request_to_json` wrote."""
    selection = data.get("asset_selection")
    checks = data.get("asset_check_keys")
    return RunRequest(
        run_key=data.get("run_key"), run_config=data.get("run_config") or {},
        tags=data.get("tags") or {}, job_name=data.get("job_name"),
        asset_selection=None if selection is None else [AssetKey(p) for p in selection],
        stale_assets_only=bool(data.get("stale_assets_only", False)),
        partition_key=data.get("partition_key"),
        asset_check_keys=None
        if checks is None
        else [AssetCheckKey(AssetKey(path), name) for path, name in checks],
    )  # fmt: skip


def tick_to_json(evaluation: TickEvaluation) -> dict[str, Any]:
    """A :class:`TickEvaluation` as JSON."""
    return {
        "run_requests": [run_request_to_json(r) for r in evaluation.run_requests],
        "skip_message": evaluation.skip_message,
        "cursor": evaluation.cursor,
        "dynamic_partitions_requests": [
            _partitions_request_to_json(r) for r in evaluation.dynamic_partitions_requests
        ],
        "asset_events": [_asset_event_to_json(e) for e in evaluation.asset_events],
    }


def tick_from_json(data: Mapping[str, Any]) -> TickEvaluation:
    """The :class:`TickEvaluation` :func:`tick_to_json` wrote."""
    return TickEvaluation(
        run_requests=tuple(run_request_from_json(r) for r in data.get("run_requests", ())),
        skip_message=data.get("skip_message"),
        cursor=data.get("cursor"),
        dynamic_partitions_requests=tuple(
            _partitions_request_from_json(r) for r in data.get("dynamic_partitions_requests", ())
        ),
        asset_events=tuple(_asset_event_from_json(e) for e in data.get("asset_events", ())),
    )


def _partitions_request_to_json(request: Any) -> dict[str, Any]:
    action = "add" if isinstance(request, AddDynamicPartitionsRequest) else "delete"
    return {"action": action, "partitions_def_name": request.partitions_def_name,
            "partition_keys": list(request.partition_keys)}  # fmt: skip


def _partitions_request_from_json(data: Mapping[str, Any]) -> Any:
    add = data["action"] == "add"
    kind = AddDynamicPartitionsRequest if add else DeleteDynamicPartitionsRequest
    return kind(data["partitions_def_name"], list(data["partition_keys"]))


def _asset_event_to_json(event: Any) -> dict[str, Any]:
    if isinstance(event, AssetCheckEvaluation):
        return {"type": "check_evaluation", "asset_key": event.asset_key.path,
                "run_id": event.run_id, "timestamp": event.timestamp,
                "storage_id": event.storage_id, **event.to_event_data()}  # fmt: skip
    if isinstance(event, AssetMaterialization | AssetObservation):
        kind = "materialization" if isinstance(event, AssetMaterialization) else "observation"
        return {"type": kind, "asset_key": event.asset_key.path,
                "description": event.description, "metadata": metadata_to_json(event.metadata),
                "partition": event.partition, "tags": dict(event.tags)}  # fmt: skip
    raise DefinitionError(
        f"A sensor returned the asset event {event!r}; asset_events may hold "
        "AssetMaterialization, AssetObservation or AssetCheckEvaluation records."
    )


def _asset_event_from_json(data: Mapping[str, Any]) -> Any:
    key = AssetKey(data["asset_key"])
    if data["type"] == "check_evaluation":
        return AssetCheckEvaluation(
            asset_key=key, check_name=data["check_name"], passed=data["passed"],
            severity=AssetCheckSeverity(data["severity"]),
            metadata=metadata_from_json(data.get("metadata")),
            description=data.get("description"), run_id=data.get("run_id", ""),
            timestamp=data.get("timestamp", 0.0), storage_id=data.get("storage_id"),
            target_materialization_storage_id=data.get("target_materialization_storage_id"),
            blocking=data.get("blocking", False),
        )  # fmt: skip
    kind = AssetMaterialization if data["type"] == "materialization" else AssetObservation
    return kind(key, description=data.get("description"),
                metadata=metadata_from_json(data.get("metadata")),
                partition=data.get("partition"), tags=data.get("tags"))  # fmt: skip


# -- errors --------------------------------------------------------------------------------------
def error_to_json(exc: BaseException, kind: str | None = None) -> dict[str, Any]:
    """``{"kind", "type", "message", "traceback"}`` for an exception raised in the server.

    The kind is inferred from the exception's class unless given; a ``UserCodeError`` carries
    the user's exception type and traceback.
    """
    if isinstance(exc, UserCodeError):
        original = exc.original
        return {"kind": kind or "user_code", "type": type(original).__name__,
                "message": str(exc), "traceback": exc.user_traceback}  # fmt: skip
    if isinstance(exc, CodeLocationError):
        return {"kind": kind or "load", "type": type(exc).__name__, "message": str(exc),
                "traceback": exc.full_traceback, "location": exc.location,
                "user_frame": exc.user_frame}  # fmt: skip
    if kind is None:
        kind = _kind_of(exc)
    # a wrong request or name is explained by its message; keep tracebacks for failures
    quiet = kind in ("not_found", "bad_request", "busy")
    trace = "" if quiet else "".join(traceback.format_exception(exc))
    return {"kind": kind, "type": type(exc).__name__, "message": str(exc), "traceback": trace}


def _kind_of(exc: BaseException) -> str:
    if isinstance(exc, PartitionError):
        return "partition"
    if isinstance(exc, DefinitionError):
        return "definition"
    if isinstance(exc, InvalidInvocationError):
        return "bad_request"
    if isinstance(exc, HeadwaterError):
        return "definition"
    return "internal"


def error_from_json(
    data: Mapping[str, Any], *, location_name: str | None, address: str
) -> HeadwaterError:
    """The exception a client raises for an error the server sent."""
    from headwater.errors import CodeServerError, CodeServerUnavailableError, RemoteUserCodeError

    kind, message = data.get("kind"), str(data.get("message", ""))
    if kind == "user_code":
        return RemoteUserCodeError(
            message, location_name=location_name, address=address,
            error_type=data.get("type"), user_traceback=data.get("traceback") or "",
        )  # fmt: skip
    if kind == "load":
        error = CodeLocationError(
            message, location=data.get("location") or str(location_name),
            user_frame=data.get("user_frame"),
        )  # fmt: skip
        error.full_traceback = data.get("traceback") or ""
        return error
    if kind in ("definition", "not_found"):
        return DefinitionError(message)
    if kind == "partition":
        unknown = data.get("type") == UnknownPartitionError.__name__
        return (UnknownPartitionError if unknown else PartitionError)(message)
    if kind == "bad_request":
        return InvalidInvocationError(message)
    if kind == "busy":
        return CodeServerUnavailableError(message, location_name=location_name, address=address)
    return CodeServerError(
        f"The code server of location {location_name!r} at {address} failed: {message}",
        location_name=location_name, address=address, error_type=data.get("type"),
        user_traceback=data.get("traceback") or "",
    )  # fmt: skip


def string_list(value: Any, what: str) -> list[str]:
    """``value`` if it is a list of strings, else an ``InvalidInvocationError``."""
    if not isinstance(value, Sequence) or isinstance(value, str) or not all(
        isinstance(v, str) for v in value
    ):
        raise InvalidInvocationError(f"{what} must be a list of strings, got {value!r}.")
    return list(value)
