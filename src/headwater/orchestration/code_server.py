"""The code server: one process that loads one code location and answers for it.

The webserver and the daemon never import user code; they ask the location's code server
(``headwater code-server start``), which loads the ``Definitions`` once at start and answers
over HTTP + JSON (Starlette on uvicorn), on a Unix socket by default or on TCP:

=======================================  ================================================
``GET /health``                          ``{"status": "ok" | "error", "location_name", "pid",
                                         "snapshot_id", "error"}``
``GET /snapshot``                        the :class:`DefinitionsSnapshot` as JSON (encoded once;
                                         ``ETag`` is its id, ``If-None-Match`` gives 304)
``POST /schedules/{name}/tick``          ``{"scheduled_execution_time": {"iso", "timezone"},
                                         "instance_home"}`` -> a tick evaluation
``POST /sensors/{name}/tick``            ``{"cursor", "last_tick_completion_time",
                                         "last_run_key", "last_sensor_start_time",
                                         "instance_home"}`` -> a tick evaluation (a run
                                         status sensor: ``{"run_ids", "instance_home"}``,
                                         see ``run_status_ticks``)
``POST /partitions``                     ``{"asset_key": [...], "current_time",
                                         "instance_home"}`` -> ``{"partition_keys": [...]}``
``POST /runs``                           a schedule's or sensor's run request -> the run
                                         created and queued (``code_server_runs``)
``POST /launches``                       a run the webserver asks for (selection, partition
                                         range, re-execution) -> ``{"run_id", "status"}``
                                         (``code_server_launch``)
``POST /backfills``                      a backfill the webserver asks for, planned and
                                         stored for the daemon -> ``{"backfill_id", "runs"}``
                                         (``code_server_backfills``)
``POST /automation-sensors/{name}/tick`` ``{"cursor", "evaluation_time", "instance_home",
                                         "fresh"}`` -> an automation tick (runs to launch,
                                         evaluations, cursor: ``automation.sensor_tick``)
=======================================  ================================================

A tick evaluation is ``code_server_protocol.tick_to_json``; an error is ``{"error": {...}}``
with an HTTP status by kind (``code_server_protocol.HTTP_STATUS``). A location that fails to
load does not stop the server: ``/health`` reports the error and every other route answers 503
with it, so the workspace shows the error while the other locations keep working.

Schedule and sensor functions run in a thread pool (:data:`WORKER_THREADS`), several at once.
One schedule or sensor is evaluated by one request at a time: a second tick while the first is
still running is answered at once with a ``busy`` error, so a function that hangs holds one
thread, not one more per tick (the client's timeout gives up on the first).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from headwater.errors import InvalidInvocationError, PartitionError
from headwater.keys import AssetKey
from headwater.orchestration.code_server_backfills import launch_requested_backfill
from headwater.orchestration.code_server_launch import launch_requested_run
from headwater.orchestration.code_server_protocol import (
    HTTP_STATUS,
    datetime_from_json,
    error_to_json,
    string_list,
    tick_to_json,
)
from headwater.orchestration.code_server_runs import create_requested_run

__all__ = ["CodeServerState", "build_app"]

logger = logging.getLogger(__name__)

#: Threads evaluating schedules, sensors and partition requests at once.
WORKER_THREADS = 100


class CodeServerState:
    """The loaded location (or its load error) and the instances its ticks use.

    Args:
        location_name: the location's name.
        load: loads the ``Definitions`` (called once, by :meth:`load`).
        default_instance_home: the instance directory used when a request names none.
        origin: where the location's code is (``CodeLocationOrigin``), recorded in the runs
            it creates; ``None``: it creates none.
    """

    def __init__(
        self,
        *,
        location_name: str,
        load: Callable[[], Any],
        default_instance_home: str | None = None,
        origin: Any = None,
    ) -> None:
        self.location_name = location_name
        self.origin = origin
        self._load = load
        self.default_instance_home = default_instance_home
        self.definitions: Any = None
        self.snapshot_json = b""
        self.snapshot_id: str | None = None
        self.load_error: dict[str, Any] | None = None
        self.loaded_at: float | None = None
        self._instances: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._in_flight: dict[str, float] = {}

    def load(self) -> None:
        """Load the definitions and encode their snapshot; a failure is kept as the load error."""
        from headwater.orchestration.definitions_snapshot import snapshot_definitions

        started = time.perf_counter()
        try:
            definitions = self._load()
            snapshot = snapshot_definitions(definitions, location_name=self.location_name)
            self.snapshot_json = snapshot.to_json()
        except (Exception, SystemExit) as exc:
            self.load_error = error_to_json(exc, "load")
            logger.error("code location %r failed to load: %s", self.location_name, exc)
            return
        self.definitions = definitions
        self.snapshot_id = hashlib.sha256(self.snapshot_json).hexdigest()
        self.loaded_at = time.time()
        logger.info("loaded %r in %.2f s", self.location_name, time.perf_counter() - started)

    def instance(self, home: str | None) -> Any:
        """The instance in ``home`` (else the default one), opened once; ``None`` without one."""
        home = home or self.default_instance_home
        if home is None:
            return None
        with self._lock:
            instance = self._instances.get(home)
            if instance is None:
                from headwater.instance.instance import Instance

                instance = self._instances[home] = Instance.from_path(home)
            return instance

    def begin(self, what: str) -> Exception | None:
        """Mark ``what`` (a schedule's or sensor's tick) as being evaluated; the error to answer
        when an earlier request is still evaluating it (a function that hangs then holds one
        thread of the pool, not one more per tick)."""
        if not what.endswith("/tick"):
            return None
        now = time.monotonic()
        with self._lock:
            started = self._in_flight.get(what)
            if started is None:
                self._in_flight[what] = now
                return None
        kind, _, name = what.strip("/").rpartition("/tick")[0].partition("/")
        return RuntimeError(
            f"The {kind[:-1]} {name!r} is still being evaluated by an earlier request "
            f"(for {now - started:.0f} s); this tick was not evaluated."
        )

    def end(self, what: str) -> None:
        """The evaluation :meth:`begin` marked is over."""
        with self._lock:
            self._in_flight.pop(what, None)

    def close(self) -> None:
        """Dispose of the instances opened for requests."""
        with self._lock:
            instances, self._instances = list(self._instances.values()), {}
        for instance in instances:
            instance.dispose()


def build_app(state: CodeServerState) -> Starlette:
    """The Starlette application serving ``state`` (see the module docstring for the routes).

    ``state`` is loaded already (:meth:`CodeServerState.load`); the caller closes it.
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # anyio's default pool has 40 threads; ticks of many sensors may wait on I/O at once
        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        yield

    async def health(request: Request) -> Response:
        return _health(state)

    async def snapshot(request: Request) -> Response:
        return _snapshot(state, request)

    routes = [
        Route("/health", health, methods=["GET"]),
        Route("/snapshot", snapshot, methods=["GET"]),
        Route("/schedules/{name}/tick", _handler(state, _schedule_tick), methods=["POST"]),
        Route("/sensors/{name}/tick", _handler(state, _sensor_tick), methods=["POST"]),
        Route("/partitions", _handler(state, _partitions), methods=["POST"]),
        Route("/runs", _handler(state, create_requested_run), methods=["POST"]),
        Route("/launches", _handler(state, launch_requested_run), methods=["POST"]),
        Route("/backfills", _handler(state, launch_requested_backfill), methods=["POST"]),
        Route(
            "/automation-sensors/{name}/tick", _handler(state, _automation_tick), methods=["POST"]
        ),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _json_response(content: Any, status: int = 200) -> Response:
    return Response(json.dumps(content).encode(), status_code=status,
                    media_type="application/json")  # fmt: skip


def _error_response(error: dict[str, Any]) -> Response:
    return _json_response({"error": error}, HTTP_STATUS.get(error["kind"], 500))


def _health(state: CodeServerState) -> Response:
    return _json_response({
        "status": "error" if state.load_error else "ok",
        "location_name": state.location_name, "pid": os.getpid(),
        "snapshot_id": state.snapshot_id, "loaded_at": state.loaded_at, "error": state.load_error,
    })  # fmt: skip


def _snapshot(state: CodeServerState, request: Request) -> Response:
    if state.load_error is not None:
        return _error_response(state.load_error)
    etag = f'"{state.snapshot_id}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return Response(state.snapshot_json, media_type="application/json", headers={"ETag": etag})


Handler = Callable[[CodeServerState, str | None, dict[str, Any]], dict[str, Any]]


def _handler(state: CodeServerState, work: Handler) -> Callable[[Request], Any]:
    """A route that reads the JSON body and runs ``work`` in the thread pool."""

    async def endpoint(request: Request) -> Response:
        if state.load_error is not None:
            return _error_response(state.load_error)
        try:
            body = await request.json() if await request.body() else {}
            if not isinstance(body, dict):
                raise InvalidInvocationError(f"The request body must be a JSON object: {body!r}.")
        except ValueError as exc:
            return _error_response(error_to_json(exc, "bad_request"))
        except InvalidInvocationError as exc:
            return _error_response(error_to_json(exc, "bad_request"))
        name = request.path_params.get("name")
        busy = state.begin(request.url.path)
        if busy is not None:
            return _error_response(error_to_json(busy, "busy"))
        try:
            return _json_response(await run_in_threadpool(work, state, name, body))
        except _NotFound as exc:
            return _error_response(error_to_json(exc, "not_found"))
        except Exception as exc:
            return _error_response(error_to_json(exc))
        finally:
            state.end(request.url.path)

    return endpoint


class _NotFound(Exception):
    """No schedule, sensor or asset of that name."""


def _schedule_tick(state: CodeServerState, name: str | None, body: dict[str, Any]) -> Any:
    from headwater.declarations.automation.contexts import build_schedule_context

    defs = state.definitions
    if name not in defs.schedule_names:
        raise _NotFound(f"No schedule named {name!r}; the schedules are {defs.schedule_names}.")
    raw_time = body.get("scheduled_execution_time")
    if not isinstance(raw_time, dict):
        raise InvalidInvocationError(
            "scheduled_execution_time is required: {\"iso\": \"2024-01-02T00:00:00+00:00\"}."
        )
    context = build_schedule_context(
        instance=state.instance(body.get("instance_home")),
        scheduled_execution_time=datetime_from_json(raw_time),
        definitions=defs,
    )
    with context:
        evaluation = defs.get_schedule_def(name).evaluate_tick(context)
    return tick_to_json(evaluation)


def _sensor_tick(state: CodeServerState, name: str | None, body: dict[str, Any]) -> Any:
    from headwater.declarations.automation.contexts import build_sensor_context

    defs = state.definitions
    if name not in defs.sensor_names:
        raise _NotFound(f"No sensor named {name!r}; the sensors are {defs.sensor_names}.")
    sensor = defs.get_sensor_def(name)
    if hasattr(sensor, "run_status"):  # a run status sensor, for the runs the daemon found
        from headwater.orchestration.run_status_ticks import evaluate_run_status_tick

        run_ids = string_list(body.get("run_ids") or [], "run_ids")
        instance = state.instance(body.get("instance_home"))
        return tick_to_json(evaluate_run_status_tick(sensor, run_ids, instance=instance,
                                                     definitions=defs))  # fmt: skip
    context = build_sensor_context(
        instance=state.instance(body.get("instance_home")),
        cursor=_optional(body, "cursor", str),
        definitions=defs,
        last_sensor_start_time=_optional(body, "last_sensor_start_time", float),
        last_tick_completion_time=_optional(body, "last_tick_completion_time", float),
        last_run_key=_optional(body, "last_run_key", str),
    )
    with context:
        evaluation = sensor.evaluate_tick(context)
    return tick_to_json(evaluation)


def _automation_tick(state: CodeServerState, name: str | None, body: dict[str, Any]) -> Any:
    from headwater.orchestration.automation.sensor_tick import automation_tick_route

    return automation_tick_route(state, name, body)


def _partitions(state: CodeServerState, _name: str | None, body: dict[str, Any]) -> Any:
    defs = state.definitions
    key = AssetKey(string_list(body.get("asset_key"), "asset_key"))
    assets_def = defs.assets_by_key.get(key)
    if assets_def is None:
        raise _NotFound(f"No asset {key.to_user_string()!r} in location {state.location_name!r}.")
    partitions_def = assets_def.partitions_def or assets_def.spec_for(key).partitions_def
    if partitions_def is None:
        raise PartitionError(f"Asset {key.to_user_string()!r} is not partitioned.")
    raw_time = body.get("current_time")
    keys = partitions_def.get_partition_keys(
        current_time=None if raw_time is None else datetime_from_json(raw_time),
        dynamic_partitions_store=state.instance(body.get("instance_home")),
    )
    return {"asset_key": key.path, "partition_keys": list(keys),
            "description": partitions_def.describe()}  # fmt: skip


def _optional(body: dict[str, Any], key: str, kind: type) -> Any:
    value = body.get(key)
    if value is None:
        return None
    if kind is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind):
        raise InvalidInvocationError(f"{key} must be a {kind.__name__} or null, got {value!r}.")
    return value
