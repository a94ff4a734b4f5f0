"""Running a code server: uvicorn on a Unix socket or a TCP port, until SIGTERM.

:func:`serve` loads the location (before listening, so the socket appears once it can answer),
then serves :func:`~headwater.orchestration.code_server.build_app` with uvicorn. SIGTERM and
SIGINT stop it gracefully (requests in flight finish) and the socket file is removed. With
``watch_parent``, the server also stops when the process that started it dies, so a killed
workspace manager leaves no orphan server behind. The starter names itself in
``HEADWATER_PARENT_PID``: a server whose parent died before it looked (its parent is then
already ``init``) stops too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from headwater.errors import CodeServerError
from headwater.orchestration.code_server import CodeServerState, build_app

__all__ = ["serve"]

PARENT_POLL_SECONDS = 0.5
#: Set by a workspace manager to its own pid for the code servers it starts.
PARENT_PID_ENV_VAR = "HEADWATER_PARENT_PID"
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def serve(
    state: CodeServerState,
    *,
    socket_path: str | None = None,
    host: str | None = None,
    port: int | None = None,
    watch_parent: bool = False,
    on_listening: Any = None,
) -> None:
    """Load ``state``'s location and serve it until stopped.

    Args:
        state: the location to serve (loaded here).
        socket_path: the Unix socket to listen on; exclusive with ``port``.
        host, port: the TCP address to listen on (host default ``127.0.0.1``).
        watch_parent: stop when the parent process exits.
        on_listening: called with no argument once the server listens.

    Raises:
        CodeServerError: neither or both of ``socket_path`` and ``port``, or another server
            already listens on ``socket_path``.
    """
    import uvicorn

    if (socket_path is None) == (port is None):
        raise CodeServerError("Give the code server either a socket path or a port.")
    if socket_path is not None:
        _claim_socket_path(socket_path)
    state.load()
    config = uvicorn.Config(
        build_app(state), uds=socket_path, host=host or "127.0.0.1", port=port or 0,
        log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=5,
    )  # fmt: skip
    server = _server_class()(config)
    if watch_parent:
        _watch_parent(server)
    if on_listening is not None:
        threading.Thread(target=_notify_when_started, args=(server, on_listening),
                         daemon=True).start()  # fmt: skip
    try:
        server.run()
    finally:
        state.close()
        if socket_path is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(socket_path)


def _server_class() -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        """uvicorn's server, except that a SIGTERM or SIGINT that stopped it gracefully is not
        raised again afterwards: :func:`serve` then removes its socket and returns."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            previous = {sig: signal.signal(sig, self.handle_exit) for sig in _SIGNALS}
            try:
                yield
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)

    return Server


def _claim_socket_path(path: str) -> None:
    """Remove a stale socket file; refuse one a live server answers on."""
    if not os.path.exists(path):
        return
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(1.0)
    try:
        probe.connect(path)
    except OSError:
        os.unlink(path)  # nothing listens: a socket left by a server that died
        return
    finally:
        probe.close()
    raise CodeServerError(
        f"Another process already listens on {path}; stop it or choose another --socket."
    )


def _watch_parent(server: Any) -> None:
    named = os.environ.get(PARENT_PID_ENV_VAR, "")
    parent = int(named) if named.isdigit() else os.getppid()

    def watch() -> None:
        while not server.should_exit:
            if os.getppid() != parent:
                server.should_exit = True
                return
            time.sleep(PARENT_POLL_SECONDS)

    threading.Thread(target=watch, name="headwater-watch-parent", daemon=True).start()


def _notify_when_started(server: Any, callback: Any) -> None:
    while not server.started and not server.should_exit:
        time.sleep(0.02)
    if server.started:
        callback()
