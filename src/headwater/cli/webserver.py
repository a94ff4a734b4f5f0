"""``headwater webserver``: the GraphQL API and the UI for a workspace's code locations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from headwater.cli.context import current_instance, current_state
from headwater.cli.options import LocationArgs, code_location_options, make_console

if TYPE_CHECKING:
    from headwater.orchestration.workspace import Workspace


def workspace_of(location: LocationArgs) -> Workspace:
    """The workspace the options name: every location of ``-w`` (or the one of ``-l``), or
    the single ``-m``/``-f`` location."""
    from headwater.orchestration.workspace import Workspace, load_workspace

    if location.workspace is not None and location.location_name is None:
        return load_workspace(location.workspace)
    return Workspace.of(location.origin())


F = TypeVar("F", bound=Callable[..., Any])


def server_options(func: F) -> F:
    """``--host``, ``--port``, ``--read-only`` and ``--path-prefix``."""
    options = [
        click.option("--host", default="127.0.0.1", show_default=True,
                     help="Interface to listen on; anything but loopback exposes the API to "
                          "the network (a warning is printed)."),
        click.option("-p", "--port", type=click.IntRange(0, 65535), default=3000,
                     show_default=True, help="TCP port (0: any free port)."),
        click.option("--read-only", is_flag=True,
                     help="Offer no mutation: nothing can be launched, stopped or changed."),
        click.option("--path-prefix", default="", metavar="PATH",
                     help="Serve under this path, e.g. /hw (behind a reverse proxy)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def check_host(host: str) -> None:
    """Warn on stderr when ``host`` is not a loopback address."""
    from headwater.webserver.server import is_loopback

    if not is_loopback(host):
        make_console(stderr=True).print(
            f"[yellow]Warning:[/] listening on {host}: anyone who can reach this machine can "
            "use the API (and, without --read-only, launch runs). headwater has no "
            "authentication; put it behind a proxy that has.",
            soft_wrap=True,
        )


def instance_home() -> str:
    """The instance directory of this invocation (``--home``, else ``$HEADWATER_HOME``, else
    ``./.headwater``), without opening the instance."""
    import os
    from pathlib import Path

    home = current_state().home or Path(os.environ.get("HEADWATER_HOME") or ".headwater")
    home = Path(home).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True)
    return str(home)


def normalize_prefix(prefix: str) -> str:
    """``"hw/"`` -> ``"/hw"``; ``""`` stays ``""``."""
    prefix = prefix.strip().strip("/")
    return f"/{prefix}" if prefix else ""


@click.command("webserver")
@code_location_options
@server_options
def webserver(
    location: LocationArgs, host: str, port: int, read_only: bool, path_prefix: str
) -> None:
    """Serve the GraphQL API (/graphql, with GraphiQL) and the UI for the code locations.

    Each code location runs in its own code server; the webserver never imports user code.
    Runs it creates are queued for the daemon (launched at once when no daemon runs).

    \b
    Examples:
      headwater webserver -f defs.py
      headwater webserver -w workspace.yaml --port 3000 --read-only --path-prefix /hw
    """
    from headwater.webserver.server import serve

    workspace = workspace_of(location)
    check_host(host)
    prefix = normalize_prefix(path_prefix)
    shown = f"[{host}]" if ":" in host else host
    names = ", ".join(workspace.location_names)

    def ready(bound_port: int) -> None:
        make_console(stderr=True).print(
            f"Serving {names} at [bold]http://{shown}:{bound_port}{prefix}/[/] (GraphQL at "
            f"{prefix}/graphql)" + (" read-only" if read_only else "") + "; Ctrl-C to stop.",
            soft_wrap=True,
        )

    serve(workspace, instance=current_instance, instance_home=instance_home(), host=host,
          port=port, read_only=read_only, path_prefix=prefix, on_ready=ready)  # fmt: skip
