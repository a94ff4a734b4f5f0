"""``headwater code-server start``: serve one code location to the webserver and the daemon."""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

import click

from headwater.cli.options import LocationArgs, code_location_options, make_console


@click.group("code-server")
def code_server() -> None:
    """Serve a code location over HTTP + JSON (the webserver and the daemon never import
    user code themselves)."""


@code_server.command("start")
@code_location_options
@click.option(
    "--socket",
    "socket_path",
    metavar="PATH",
    type=click.Path(dir_okay=False),
    help="Unix socket to listen on (the default, in the temporary directory).",
)
@click.option("--host", metavar="HOST", help="Listen on TCP at this host (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), help="Listen on this TCP port.")
@click.option(
    "--location-name",
    "served_name",
    metavar="NAME",
    help="The location's name (default: the module name, or the file's stem).",
)
@click.option(
    "--watch-parent",
    is_flag=True,
    help="Stop when the process that started this one exits (used by workspace managers).",
)
def start(
    location: LocationArgs,
    socket_path: str | None,
    host: str | None,
    port: int | None,
    served_name: str | None,
    watch_parent: bool,
) -> None:
    """Load a code location once and answer for it until stopped (SIGTERM or Ctrl-C).

    It serves GET /health, GET /snapshot (every asset, check, job, schedule, sensor and
    resource as JSON), POST /schedules/NAME/tick, POST /sensors/NAME/tick, POST
    /partitions and POST /runs. A location that fails to import is served too: /health
    reports the error.

    \b
    Examples:
      headwater code-server start -f defs.py --socket /tmp/shop.sock
      headwater code-server start -m shop.definitions --host 0.0.0.0 --port 4000
      headwater code-server start -w workspace.yaml --location shop
    """
    from headwater.cli.context import current_state
    from headwater.orchestration.code_location import load_definitions_from_origin
    from headwater.orchestration.code_server import CodeServerState
    from headwater.orchestration.code_server_process import serve

    if socket_path and (host or port):
        raise click.UsageError("Give --socket or --host/--port, not both.")
    if host and not port:
        raise click.UsageError("--host needs --port.")
    origin = location.origin()  # a location that names nothing fails here, exit 2
    name = served_name or origin.location_name
    if port is None and socket_path is None:
        socket_path = os.path.join(tempfile.gettempdir(), f"headwater-{os.getpid()}.sock")
    home = current_state().home or os.environ.get("HEADWATER_HOME")
    state = CodeServerState(
        location_name=name,
        load=lambda: load_definitions_from_origin(origin),
        default_instance_home=None if not home else os.path.abspath(home),
        origin=origin,
    )
    address = f"http://{host or '127.0.0.1'}:{port}"
    if socket_path:
        address = f"unix:{os.path.abspath(socket_path)}"
    console = make_console(stderr=True)

    def listening() -> None:
        if state.load_error is not None:
            from rich.markup import escape

            console.print(
                f"[yellow]Code location {escape(repr(name))} failed to load; serving its "
                f"error:[/] {escape(state.load_error['message'])}",
                soft_wrap=True,
            )
        console.print(f"Code server for location {name!r} listening on {address}",
                      soft_wrap=True, markup=False)  # fmt: skip

    serve(
        state,
        socket_path=None if socket_path is None else os.path.abspath(socket_path),
        host=host,
        port=port,
        watch_parent=watch_parent,
        on_listening=listening,
    )
    _exit_without_waiting_for_user_code(console)


def _exit_without_waiting_for_user_code(console: Any) -> None:
    """Exit now if a schedule or sensor is still running in a worker thread (Python would wait
    for it at exit, forever if it hangs); the server has already stopped and cleaned up."""
    import threading

    main = threading.main_thread()
    running = [t for t in threading.enumerate() if t is not main and not t.daemon]
    if running:
        console.print(f"Stopped; abandoning {len(running)} evaluation(s) still running.",
                      markup=False)  # fmt: skip
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
