"""The client of a code server: what the daemon and the webserver use instead of user code.

:class:`CodeServerClient` talks HTTP + JSON to one ``headwater code-server`` process over a
Unix socket (``unix:/path``) or TCP (``http://host:port``), with the standard library only (no
event loop, no extra dependency). Each call opens a connection of its own, so one client may be
used from several threads at once.

Errors: a server that cannot be reached, dies during a request or does not answer in time
raises :class:`~headwater.errors.CodeServerUnavailableError`; user code that raised inside the
server raises :class:`~headwater.errors.RemoteUserCodeError` (with the user's traceback); an
unknown schedule, sensor or asset raises ``DefinitionError``; a location that failed to load
raises ``CodeLocationError`` with the load error.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from headwater.errors import CodeServerError, CodeServerUnavailableError
from headwater.keys import AssetKey, CoercibleToAssetKey
from headwater.orchestration.code_server_protocol import (
    datetime_to_json,
    error_from_json,
    run_request_to_json,
    tick_from_json,
)
from headwater.orchestration.definitions_snapshot import DefinitionsSnapshot

if TYPE_CHECKING:
    from headwater.declarations.automation.run_requests import RunRequest

__all__ = ["CodeServerClient", "parse_address"]

DEFAULT_TIMEOUT_SECONDS = 60.0


def parse_address(address: str) -> tuple[str | None, str | None, int | None]:
    """``(socket_path, host, port)`` of ``unix:/path``, ``/path`` or ``http://host:port``.

    Raises:
        CodeServerError: the address is none of those.
    """
    if address.startswith("unix:"):
        return address[len("unix:") :], None, None
    if address.startswith("/"):
        return address, None, None
    if address.startswith("http://"):
        host, sep, port = address[len("http://") :].rstrip("/").rpartition(":")
        if sep and host and port.isdigit():
            return None, host.strip("[]"), int(port)
    raise CodeServerError(
        f"Not a code server address: {address!r}; expected unix:/path/to.sock or "
        "http://host:port."
    )


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


class CodeServerClient:
    """Ask one code server for its snapshot, schedule and sensor ticks and partition keys.

    Args:
        address: ``unix:/path/to.sock`` (or a bare absolute path) or ``http://host:port``.
        location_name: the location it serves, for messages (default: learned from
            :meth:`health`, else the address).
        timeout: seconds to wait for an answer, unless a call says otherwise.

    Example:
        >>> client = CodeServerClient("unix:/tmp/nothing-listens-here.sock", timeout=1)
        >>> client.is_reachable()
        False
    """

    def __init__(
        self,
        address: str,
        *,
        location_name: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self.address = address if not address.startswith("/") else f"unix:{address}"
        self._socket, self._host, self._port = parse_address(address)
        self.location_name = location_name
        self.timeout = timeout
        self._snapshot: DefinitionsSnapshot | None = None
        self._snapshot_etag: str | None = None

    # -- the calls ----------------------------------------------------------------------------
    def health(self, *, timeout: float | None = None) -> dict[str, Any]:
        """``{"status": "ok" | "error", "location_name", "pid", "snapshot_id", "error"}``.

        ``status`` is ``"error"`` (and ``error`` the load error) when the location failed to
        load; the server still answers.

        Raises:
            CodeServerUnavailableError: the server does not answer.
        """
        _status, body = self._request("GET", "/health", timeout=timeout)
        data = self._json(body)
        if self.location_name is None:
            self.location_name = data.get("location_name")
        return data

    def is_reachable(self, *, timeout: float = 2.0) -> bool:
        """Whether the server answers :meth:`health` within ``timeout`` seconds."""
        try:
            self.health(timeout=timeout)
        except CodeServerError:
            return False
        return True

    def wait_until_reachable(self, timeout: float = 60.0, *, poll_seconds: float = 0.1) -> None:
        """Poll :meth:`health` until the server answers.

        Raises:
            CodeServerUnavailableError: it did not answer within ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.health(timeout=min(5.0, max(timeout, 0.1)))
                return
            except CodeServerUnavailableError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(poll_seconds)

    def snapshot_json(self, *, timeout: float | None = None) -> bytes:
        """The location's :class:`DefinitionsSnapshot` as JSON bytes, as the server sent them.

        Raises:
            CodeLocationError: the location failed to load.
            CodeServerUnavailableError: the server does not answer.
        """
        _status, body = self._request("GET", "/snapshot", timeout=timeout)
        return body

    def snapshot(self, *, timeout: float | None = None) -> DefinitionsSnapshot:
        """The location's :class:`DefinitionsSnapshot`.

        The previous answer is kept: when the server says it is unchanged (same snapshot id),
        it is returned again without being sent or decoded again.

        Raises:
            CodeLocationError: the location failed to load.
            CodeServerUnavailableError: the server does not answer.
        """
        headers = {"If-None-Match": self._snapshot_etag} if self._snapshot_etag else {}
        status, body, etag = self._send("GET", "/snapshot", None, headers, timeout)
        if status == 304 and self._snapshot is not None:
            return self._snapshot
        snapshot = DefinitionsSnapshot.from_json(body)
        self._snapshot, self._snapshot_etag = snapshot, etag
        return snapshot

    def evaluate_schedule_tick(
        self,
        name: str,
        scheduled_execution_time: datetime,
        *,
        instance_home: str | os.PathLike[str] | None = None,
        timeout: float | None = None,
    ) -> Any:
        """Evaluate the tick of schedule ``name`` at ``scheduled_execution_time``.

        Args:
            name: the schedule.
            scheduled_execution_time: the tick's time (an aware datetime in the schedule's
                zone, as the daemon passes it; a ``ZoneInfo`` zone arrives as that zone).
            instance_home: the instance directory ``context.instance`` opens in the server
                (default: the server's ``HEADWATER_HOME``, if it has one).
            timeout: seconds to wait (default: the client's).

        Returns:
            The ``TickEvaluation``: run requests (tagged with the schedule's name) or the skip
            message, equal to what ``schedule.evaluate_tick`` returns in process.

        Raises:
            RemoteUserCodeError: the schedule's function raised (its traceback is kept).
            DefinitionError: no schedule has that name, or it returned something invalid.
            CodeLocationError: the location failed to load.
            CodeServerUnavailableError: the server does not answer.
        """
        body = {"scheduled_execution_time": datetime_to_json(scheduled_execution_time),
                "instance_home": _home(instance_home)}  # fmt: skip
        return self._tick(f"/schedules/{name}/tick", body, timeout)

    def evaluate_sensor_tick(
        self,
        name: str,
        *,
        cursor: str | None = None,
        last_tick_completion_time: float | None = None,
        last_run_key: str | None = None,
        last_sensor_start_time: float | None = None,
        instance_home: str | os.PathLike[str] | None = None,
        timeout: float | None = None,
        run_ids: Sequence[str] | None = None,
    ) -> Any:
        """Evaluate one tick of sensor ``name`` with ``cursor``.

        Args:
            name: the sensor.
            cursor: the cursor the previous tick left (``None`` on the first).
            last_tick_completion_time, last_run_key, last_sensor_start_time: what the
                previous ticks left (POSIX seconds for times), as ``build_sensor_context``.
            instance_home, timeout: as :meth:`evaluate_schedule_tick`.
            run_ids: for a run status sensor, the runs that reached its status (its function
                is called once per run).

        Returns:
            The ``TickEvaluation``: run requests, skip message, the new cursor, dynamic
            partitions requests and asset events, equal to ``sensor.evaluate_tick`` in process.

        Raises:
            RemoteUserCodeError: the sensor raised (the daemon keeps the old cursor).
            DefinitionError, CodeLocationError, CodeServerUnavailableError: as
                :meth:`evaluate_schedule_tick`.
        """
        body = {"cursor": cursor, "last_tick_completion_time": last_tick_completion_time,
                "last_run_key": last_run_key, "last_sensor_start_time": last_sensor_start_time,
                "instance_home": _home(instance_home),
                "run_ids": None if run_ids is None else list(run_ids)}  # fmt: skip
        return self._tick(f"/sensors/{name}/tick", body, timeout)

    def partition_keys(
        self,
        asset_key: CoercibleToAssetKey,
        *,
        current_time: datetime | None = None,
        instance_home: str | os.PathLike[str] | None = None,
        timeout: float | None = None,
    ) -> list[str]:
        """The partition keys of an asset, in order, as its code location computes them.

        Args:
            asset_key: the asset (``AssetKey``, ``"a/b"`` or a list).
            current_time: the time to list them at (default: now).
            instance_home: the instance holding dynamic partitions (default: the server's).
            timeout: seconds to wait.

        Raises:
            DefinitionError: no asset has that key.
            PartitionError: the asset is not partitioned.
            CodeServerUnavailableError: the server does not answer.
        """
        body = {
            "asset_key": AssetKey.from_coercible(asset_key).path,
            "current_time": None if current_time is None else datetime_to_json(current_time),
            "instance_home": _home(instance_home),
        }
        _status, raw = self._request("POST", "/partitions", body=body, timeout=timeout)
        return list(self._json(raw)["partition_keys"])

    def create_run(
        self,
        request: RunRequest,
        *,
        job_name: str,
        run_id: str,
        instance_home: str | os.PathLike[str] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Have the server create and queue the run ``request`` asks for, with id ``run_id``.

        Idempotent on ``run_id``: a run that exists already is left as it is (and queued if
        it was never queued), so asking again after a crash launches no second run.

        Args:
            request: the schedule's or sensor's ``RunRequest`` (config, tags, selection,
                partition).
            job_name: the job to run.
            run_id: the run's id.
            instance_home, timeout: as :meth:`evaluate_schedule_tick`.

        Returns:
            ``{"run_id", "status", "created"}``.

        Raises:
            DefinitionError: no job has that name; InvalidInvocationError: a bad request;
            PartitionError / CodeServerError: the run cannot be created for the job (bad
            partition or config); CodeServerUnavailableError: the server does not answer.
        """
        body = {"run_request": run_request_to_json(request), "job_name": job_name,
                "run_id": run_id, "instance_home": _home(instance_home)}  # fmt: skip
        _status, raw = self._request("POST", "/runs", body=body, timeout=timeout)
        return self._json(raw)

    def launch_run(
        self, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Ask the server to create a run of its location (``POST /launches``; the body is
        described in ``code_server_launch``): validated there, stored in the instance the
        request names, queued or left NOT_STARTED as it says.

        Returns:
            ``{"run_id": ..., "status": "QUEUED" | "NOT_STARTED"}``.

        Raises:
            InvalidInvocationError: a bad job, selection, config or parent run (the message says
                which); PartitionError: a bad partition; CodeLocationError: the location failed
                to load; CodeServerUnavailableError: the server does not answer.
        """
        _status, raw = self._request("POST", "/launches", body=request, timeout=timeout)
        return self._json(raw)

    def launch_backfill(
        self, request: Mapping[str, Any], *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Ask the server to plan and store a backfill for the daemon (``POST /backfills``; the
        body is described in ``code_server_backfills``).

        Returns:
            ``{"backfill_id": ..., "runs": <planned runs>}``.

        Raises:
            InvalidInvocationError: a bad or unknown selection, bad tags; PartitionError: a bad
                partition; CodeLocationError: the location failed to load;
                CodeServerUnavailableError: the server does not answer.
        """
        _status, raw = self._request("POST", "/backfills", body=request, timeout=timeout)
        return self._json(raw)

    def evaluate_automation_tick(
        self,
        name: str,
        *,
        cursor: str | None = None,
        evaluation_time: datetime | None = None,
        fresh: bool = False,
        instance_home: str | os.PathLike[str] | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Evaluate one tick of the automation sensor ``name`` in the server.

        Args:
            name: the sensor (``default_automation_condition_sensor`` or an
                ``AutomationConditionSensorDefinition``'s name).
            cursor: the cursor the previous tick left (``None`` on the first).
            evaluation_time: the tick's time (default: the server's now).
            fresh: return every asset's evaluation, not only those that changed.
            instance_home, timeout: as :meth:`evaluate_schedule_tick`.

        Returns:
            ``{"cursor", "evaluation_id", "timestamp", "total_requested", "runs",
            "evaluations"}`` (see ``orchestration.automation.sensor_tick``).

        Raises:
            DefinitionError: no automation sensor has that name (or a condition cannot be
                evaluated); CodeServerUnavailableError: the server does not answer.
        """
        body = {"cursor": cursor, "fresh": fresh, "instance_home": _home(instance_home),
                "evaluation_time": None if evaluation_time is None
                else datetime_to_json(evaluation_time)}  # fmt: skip
        _status, raw = self._request("POST", f"/automation-sensors/{name}/tick", body=body,
                                     timeout=timeout)  # fmt: skip
        return self._json(raw)

    # -- transport ----------------------------------------------------------------------------
    def _tick(self, path: str, body: Mapping[str, Any], timeout: float | None) -> Any:
        _status, raw = self._request("POST", path, body=body, timeout=timeout)
        return tick_from_json(self._json(raw))

    def _request(
        self,
        method: str,
        path: str,
        *,
        body: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> tuple[int, bytes]:
        status, data, _etag = self._send(method, path, body, {}, timeout)
        return status, data

    def _send(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        headers: Mapping[str, str],
        timeout: float | None,
    ) -> tuple[int, bytes, str | None]:
        wait = self.timeout if timeout is None else timeout
        conn: http.client.HTTPConnection = (
            _UnixConnection(self._socket, wait)
            if self._socket is not None
            else http.client.HTTPConnection(self._host or "127.0.0.1", self._port, timeout=wait)
        )
        payload = None if body is None else json.dumps(body).encode()
        all_headers = {"Content-Type": "application/json", **headers} if payload else dict(headers)
        try:
            conn.request(method, path, body=payload, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
        except TimeoutError as exc:
            raise self._unavailable(f"no answer within {wait:g} s", exc) from None
        except (OSError, http.client.HTTPException) as exc:
            raise self._unavailable(_describe(exc), exc) from None
        finally:
            conn.close()
        if response.status >= 400:
            raise self._error(response.status, data)
        return response.status, data, response.getheader("ETag")

    def _unavailable(self, reason: str, exc: BaseException) -> CodeServerUnavailableError:
        name = self.location_name
        what = f"The code server of location {name!r}" if name else "The code server"
        return CodeServerUnavailableError(
            f"{what} at {self.address} is not answering: {reason}. Is it running? "
            "(headwater code-server start ... serves one location.)",
            location_name=name, address=self.address, error_type=type(exc).__name__,
        )  # fmt: skip

    def _error(self, status: int, data: bytes) -> Exception:
        try:
            error = json.loads(data)["error"]
        except (ValueError, KeyError, TypeError):
            return CodeServerError(
                f"The code server at {self.address} answered HTTP {status}: "
                f"{data[:200].decode(errors='replace')}",
                location_name=self.location_name, address=self.address,
            )  # fmt: skip
        return error_from_json(error, location_name=self.location_name, address=self.address)

    def _json(self, data: bytes) -> dict[str, Any]:
        try:
            value = json.loads(data)
        except ValueError:
            raise CodeServerError(
                f"The code server at {self.address} answered with something that is not JSON: "
                f"{data[:200].decode(errors='replace')!r}",
                location_name=self.location_name, address=self.address,
            ) from None
        if not isinstance(value, dict):
            raise CodeServerError(
                f"The code server at {self.address} answered {value!r}; expected an object.",
                location_name=self.location_name, address=self.address,
            )
        return value

    def __repr__(self) -> str:
        return f"CodeServerClient({self.address!r}, location_name={self.location_name!r})"


def _home(value: str | os.PathLike[str] | None) -> str | None:
    return None if value is None else os.path.abspath(value)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "its socket does not exist"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError):
        return "it closed the connection without answering (did it die?)"
    return f"{type(exc).__name__}: {exc}"
