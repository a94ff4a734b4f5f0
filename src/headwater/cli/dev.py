"""``headwater dev``: webserver + daemon + code servers with hot reload, one command."""

from __future__ import annotations

from pathlib import Path

import click

from headwater.cli.context import current_instance
from headwater.cli.options import LocationArgs, code_location_options, make_console
from headwater.cli.webserver import check_host, normalize_prefix, server_options, workspace_of


def location_cli_args(location: LocationArgs) -> list[str]:
    """The ``-w/-l/-m/-f/-a/-d`` options naming ``location`` again (absolute paths)."""
    args: list[str] = []
    given = (("-w", location.workspace), ("-l", location.location_name),
             ("-m", location.module), ("-f", location.file), ("-a", location.attribute),
             ("-d", location.working_directory))  # fmt: skip
    for flag, value in given:
        if value:
            args += [flag, str(Path(value).resolve()) if flag in ("-w", "-f", "-d") else value]
    return args


@click.command("dev")
@code_location_options
@server_options
@click.option("--no-daemon", is_flag=True, help="Do not start the daemon.")
@click.option("--no-reload", is_flag=True, help="Do not reload code locations on file changes.")
def dev(
    location: LocationArgs, host: str, port: int, read_only: bool, path_prefix: str,
    no_daemon: bool, no_reload: bool,
) -> None:  # fmt: skip
    """Run the webserver, the daemon and a code server per location, with hot reload.

    Editing a file under a location's working directory reloads that location (its code
    server starts again) and the UI shows the new definitions; a file that no longer imports
    shows its error while the last good definitions stay visible. Runs, events and the
    daemon's state are stored under HEADWATER_HOME (SQLite by default). Ctrl-C stops
    everything it started.

    \b
    Examples:
      headwater dev -f defs.py
      headwater dev -w workspace.yaml --port 3001
    """
    from headwater.webserver.dev import DevCompanions
    from headwater.webserver.server import serve

    workspace = workspace_of(location)
    check_host(host)
    instance = current_instance()
    home = instance.root_directory
    home.mkdir(parents=True, exist_ok=True)
    companions = DevCompanions(
        daemon_args=None if no_daemon else location_cli_args(location),
        instance_home=str(home), cwd=str(Path.cwd()), log_path=home / "dev-daemon.log",
        watch=not no_reload,
    )  # fmt: skip
    prefix = normalize_prefix(path_prefix)
    shown = f"[{host}]" if ":" in host else host
    console = make_console(stderr=True)

    def ready(bound_port: int) -> None:
        console.print(
            f"headwater dev: {', '.join(workspace.location_names)} with "
            f"{'no daemon' if no_daemon else 'the daemon'}"
            f"{'' if no_reload else ', reloading on file changes'}; state in {home}.",
            soft_wrap=True,
        )
        click.echo(f"http://{shown}:{bound_port}{prefix}/", err=False)

    serve(workspace, instance=instance, host=host, port=port, read_only=read_only,
          path_prefix=prefix, companion=companions, on_ready=ready,
          poll_interval=0.05)  # fmt: skip
