"""Running the webserver: code servers for the workspace, then uvicorn until SIGTERM/Ctrl-C.

:func:`serve` is what ``headwater webserver`` (and ``headwater dev``) call; it owns the
workspace's code servers and stops them when uvicorn stops.
"""

import ipaddress
import logging
from collections.abc import Callable
from typing import Any

from headwater.orchestration.workspace import Workspace
from headwater.orchestration.workspace_manager import WorkspaceManager

__all__ = ["is_loopback", "serve"]

logger = logging.getLogger(__name__)


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
    on_manager: Callable[[WorkspaceManager], None] | None = None,
) -> None:
    """Start the workspace's code servers and serve the API and UI until stopped.

    Args:
        workspace: the code locations.
        instance: the instance (runs, events, assets).
        host, port: where to listen (``port=0``: any free port).
        read_only: offer no mutation.
        path_prefix: serve under this path (``"/hw"``).
        log_level: uvicorn's log level.
        on_manager: called with the started :class:`WorkspaceManager` (``headwater dev``
            watches files and reloads locations through it).

    Raises:
        OSError: the port is taken (uvicorn exits).
    """
    import uvicorn

    from headwater.webserver.app import build_app
    from headwater.webserver.state import WebserverState

    home = None if instance.is_ephemeral else str(instance.root_directory)
    with WorkspaceManager(workspace, instance_home=home) as manager:
        if on_manager is not None:
            on_manager(manager)
        state = WebserverState(instance, manager, read_only=read_only)
        app = build_app(state, path_prefix=path_prefix)
        config = uvicorn.Config(app, host=host, port=port, log_level=log_level,
                                lifespan="off", ws="websockets-sansio")  # fmt: skip
        server = uvicorn.Server(config)
        server.run()
