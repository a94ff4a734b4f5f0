"""Running the webserver: code servers for the workspace, then uvicorn until SIGTERM/Ctrl-C.

:func:`serve` is what ``headwater webserver`` (and ``headwater dev``) call; it owns the
workspace's code servers and stops them when uvicorn stops.
"""

import ipaddress
import logging
from typing import Any, Protocol

from headwater.orchestration.workspace import Workspace
from headwater.orchestration.workspace_manager import WorkspaceManager

__all__ = ["Companion", "is_loopback", "serve"]

logger = logging.getLogger(__name__)


class Companion(Protocol):
    """Something that runs beside the webserver with its code servers (``headwater dev``'s
    daemon and file watcher): started once they are, stopped before they are."""

    def start(self, manager: WorkspaceManager) -> None: ...

    def stop(self) -> None: ...


def is_loopback(host: str) -> bool:
    """Whether ``host`` only listens on this machine (``127.0.0.1``, ``::1``, ``localhost``).

    Example:
        >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
        (True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    workspace: Workspace,
    *,
    instance: Any,
    host: str = "127.0.0.1",
    port: int = 3000,
    read_only: bool = False,
    path_prefix: str = "",
    log_level: str = "warning",
    companion: Companion | None = None,
    on_ready: Any = None,
    poll_interval: float = 0.05,
    instance_home: str | None = None,
) -> None:
    """Start the workspace's code servers and serve the API and UI until stopped.

    Args:
        workspace: the code locations.
        instance: the instance (runs, events, assets), or a function returning it: it is then
            opened while the code servers start (``instance_home`` must be given).
        host, port: where to listen (``port=0``: any free port).
        read_only: offer no mutation.
        path_prefix: serve under this path (``"/hw"``).
        log_level: uvicorn's log level.
        companion: started with the :class:`WorkspaceManager` once its code servers are
            starting, stopped when uvicorn stops, before the code servers are.
        on_ready: called with the port it listens on (the one chosen with ``port=0``) once
            uvicorn listens.
        poll_interval: seconds between two looks at the code servers (a started or reloaded
            location shows as loaded at most this long after it answers).
        instance_home: the instance's directory, for the code servers (default: the
            instance's root directory).

    Raises:
        OSError: the port is taken (uvicorn exits).
    """
    home = instance_home
    if home is None and not callable(instance):
        home = None if instance.is_ephemeral else str(instance.root_directory)
    manager = WorkspaceManager(workspace, instance_home=home, poll_interval=poll_interval)
    manager.start()  # first: the code servers load while the instance opens, modules import
    try:
        if callable(instance):
            instance = instance()
        import uvicorn

        from headwater.webserver.app import build_app
        from headwater.webserver.state import WebserverState

        state = WebserverState(instance, manager, read_only=read_only)
        app = build_app(state, path_prefix=path_prefix)
        config = uvicorn.Config(app, host=host, port=port, log_level=log_level,
                                lifespan="off", ws="websockets-sansio")  # fmt: skip
        server = _uvicorn_server(config, on_ready)
        if companion is not None:
            companion.start(manager)
        try:
            server.run()
        finally:
            if companion is not None:
                companion.stop()
    finally:
        manager.stop()


def _uvicorn_server(config: Any, on_ready: Any) -> Any:
    """uvicorn's server, calling ``on_ready`` once it listens."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets=sockets)
            if on_ready is not None and self.started:
                bound = [s.getsockname() for server in self.servers for s in server.sockets]
                on_ready(bound[0][1] if bound else config.port)

    return Server(config)
