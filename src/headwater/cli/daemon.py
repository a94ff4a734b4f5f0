"""``headwater daemon``: run the background loops of an instance, and show their health.

``daemon run`` blocks until SIGTERM or Ctrl-C, then stops every loop after its current tick and
exits 0. It refuses to start (exit 2) while another daemon's heartbeat on the instance is
fresh, naming it. ``daemon status`` exits 0 when a daemon runs and all its loops heartbeat,
1 otherwise (usable as a health check).
"""

from __future__ import annotations

import json
import signal
import sys
import time
from typing import TYPE_CHECKING, Any

import click

from headwater.cli.context import current_instance
from headwater.cli.options import LocationArgs, code_location_options, make_console

if TYPE_CHECKING:
    from headwater.daemon.status import DaemonStatus
    from headwater.orchestration.workspace import Workspace
    from headwater.orchestration.workspace_manager import LocationState
    from headwater.storage.daemon_records import DaemonHeartbeat


@click.group()
def daemon() -> None:
    """Run the daemon (schedules, sensors, run queue, run monitoring) and show its status."""


@daemon.command("run")
@code_location_options
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    default="info",
    show_default=True,
    help="What the daemon logs to stderr.",
)
def run_daemon(location: LocationArgs, log_level: str) -> None:
    """Run the daemon's loops until SIGTERM or Ctrl-C.

    The loops: run_queue (starts QUEUED runs under the run_queue limits of headwater.yaml),
    run_monitoring (fails runs whose worker died, retries failed runs when run_retries is
    enabled), retention (when retention: is set: deletes old runs and log events) and, for the
    code locations given with -w/-m/-f (or [tool.headwater] of pyproject.toml), the loops that
    evaluate their schedules and sensors. Each location runs in a code server process of its
    own, started and restarted by the daemon.

    \b
    Examples:
      headwater daemon run                      # run queue and monitoring only
      headwater daemon run -w workspace.yaml    # ... and every location's schedules, sensors
      headwater daemon run -f defs.py
    """
    from headwater.daemon import default_loops
    from headwater.daemon.controller import DaemonController, DaemonIdentity

    _configure_logging(log_level.upper())
    workspace = daemon_workspace(location)  # a bad -w/-m/-f fails here, exit 2
    instance = current_instance()
    identity = DaemonIdentity()
    manager = None if workspace is None else _workspace_manager(workspace, instance)
    controller = DaemonController(instance, default_loops(instance, identity.daemon_id, manager),
                                  identity=identity)  # fmt: skip
    controller.claim()  # raises DaemonError (exit 2) while another daemon runs

    def stop(signum: int, frame: Any) -> None:
        controller.stop()
        signal.signal(signum, signal.SIG_DFL)  # a second signal ends the process at once

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if manager is not None:
        manager.start()
    try:
        controller.run()
    finally:
        if manager is not None:
            manager.stop()
    if controller.lost_reason is not None:
        make_console(stderr=True).print(f"[red]The daemon stopped: {controller.lost_reason}.[/]")
        sys.exit(1)


def daemon_workspace(location: LocationArgs) -> Workspace | None:
    """The code locations a daemon serves: the workspace of ``-w`` (only ``--location`` of it
    when given), the one location of ``-m``/``-f``, else ``[tool.headwater]`` of the current
    directory's ``pyproject.toml``, else none (``None``).

    Raises:
        CodeLocationError: the options name a location that cannot be resolved.
        InvalidConfigError: the workspace file is invalid.
    """
    from headwater.orchestration.workspace import Workspace, load_workspace

    if location.workspace is not None:
        workspace = load_workspace(location.workspace)
        if location.location_name is None:
            return workspace
        chosen = workspace.location(location.location_name)
        return Workspace(path=workspace.path, locations=(chosen,))
    if location.module or location.file or _pyproject_names_a_location(location):
        return Workspace.of(location.origin())
    return None


def _pyproject_names_a_location(location: LocationArgs) -> bool:
    import os
    from pathlib import Path

    pyproject = Path(location.working_directory or os.getcwd()) / "pyproject.toml"
    try:
        return "[tool.headwater]" in pyproject.read_text(encoding="utf-8")
    except OSError:
        return False


def _workspace_manager(workspace: Workspace, instance: Any) -> Any:
    import logging

    from headwater.orchestration.workspace_manager import LocationStatus, WorkspaceManager

    logger = logging.getLogger("headwater.daemon.workspace")

    def changed(state: LocationState) -> None:
        if state.status == LocationStatus.LOADED:
            logger.info("Code location %r loaded (pid %s).", state.name, state.pid)
        elif state.status in (LocationStatus.LOAD_ERROR, LocationStatus.RESTARTING):
            logger.warning("Code location %r is %s: %s", state.name, state.status, state.error)

    return WorkspaceManager(workspace, instance_home=instance.root_directory, on_change=changed)


def _configure_logging(level: str) -> None:
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s - %(message)s"))
    root = logging.getLogger("headwater")
    root.addHandler(handler)
    root.setLevel(level)


@daemon.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def daemon_status(as_json: bool) -> None:
    """Show the running daemon, each loop's last heartbeat and last error.

    Exits 0 when a daemon runs and every loop of it is healthy, 1 otherwise.
    """
    from headwater.daemon.status import get_daemon_status

    instance = current_instance()
    status = get_daemon_status(instance)
    if as_json:
        click.echo(json.dumps(_as_json(status), indent=2))
    else:
        _print_status(status, str(instance.root_directory))
    sys.exit(0 if status.healthy else 1)


def _ago(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(time.time() - seconds))


def _print_status(status: DaemonStatus, home: str) -> None:
    from headwater.cli.render.markup import escape
    from headwater.cli.render.table import Table

    console = make_console()
    now = status.now
    if status.daemon is not None:
        console.print(f"Daemon running on {escape(home)}: {_who(status.daemon, now)}")
    elif status.last_daemon is not None:
        console.print(
            f"[red]No daemon is running on {escape(home)}[/]: the last one "
            f"({_who(status.last_daemon, now)}) stopped heartbeating. "
            "Start one with `headwater daemon run`."
        )
    else:
        console.print(
            f"[red]No daemon is running on {escape(home)}.[/] Start one with "
            "`headwater daemon run`."
        )
    if not status.loops:
        return
    table = Table(header_style="bold", pad_edge=False)
    for column in ("LOOP", "STATUS", "LAST HEARTBEAT", "LAST ERROR"):
        table.add_column(column)
    for loop in status.loops:
        beat = loop.heartbeat
        state = "[green]healthy[/]" if loop.healthy else "[red]not running[/]"
        if status.daemon is not None and not loop.healthy:
            state = "[red]no heartbeat[/]" if beat is None else "[red]unhealthy[/]"
        table.add_row(
            loop.name,
            state,
            _ago(beat.age(now)) if beat is not None else "never",
            escape(_error_line(beat, now)),
        )
    console.print(table)


def _who(beat: DaemonHeartbeat, now: float) -> str:
    pid, host = beat.info.get("pid", "?"), beat.info.get("hostname", "?")
    return f"daemon {beat.daemon_id} (pid {pid} on {host}), heartbeat {_ago(beat.age(now))}"


def _error_line(beat: DaemonHeartbeat | None, now: float) -> str:
    if beat is None or not beat.last_error:
        return "-"
    lines = [line for line in beat.last_error.strip().splitlines() if line.strip()]
    when = beat.last_error_timestamp
    suffix = f" ({_ago(max(0.0, now - when))})" if when is not None else ""
    return (lines[-1] if lines else "error") + suffix


def _as_json(status: DaemonStatus) -> dict[str, Any]:
    def beat_json(beat: DaemonHeartbeat | None) -> dict[str, Any] | None:
        if beat is None:
            return None
        return {
            "daemon_id": beat.daemon_id,
            "timestamp": beat.timestamp,
            "seconds_ago": round(beat.age(status.now), 3),
            "last_error": beat.last_error,
            "last_error_timestamp": beat.last_error_timestamp,
            "info": dict(beat.info),
        }

    return {
        "healthy": status.healthy,
        "daemon": beat_json(status.daemon),
        "last_daemon": beat_json(status.last_daemon),
        "heartbeat_tolerance_seconds": status.tolerance_seconds,
        "loops": [
            {"name": loop.name, "healthy": loop.healthy, "heartbeat": beat_json(loop.heartbeat)}
            for loop in status.loops
        ],
    }
