"""``headwater run logs RUN_ID``: a run's log messages and the output its steps printed."""

from __future__ import annotations

import logging
import time

import click

from headwater.cli.context import current_instance
from headwater.cli.options import make_console, verbose_option
from headwater.cli.run_lookup import find_run


@click.command("logs")
@click.argument("run_id")
@click.option("--step", "step_key", metavar="KEY", help="Only this step.")
@click.option(
    "--stream",
    type=click.Choice(["all", "events", "stdout", "stderr"]),
    default="all",
    show_default=True,
    help="Log messages from the event log, captured stdout/stderr, or everything.",
)
@verbose_option
def run_logs(run_id: str, step_key: str | None, stream: str) -> None:
    """Print RUN_ID's log messages (context.log and Python logging) and captured output.

    RUN_ID may be a unique prefix of the id. Captured stdout/stderr files live under
    ``$HEADWATER_HOME/logs/<run id>/``.
    """
    from headwater.errors import HeadwaterError
    from headwater.events.types import EventType

    instance = current_instance()
    record = find_run(instance, run_id)
    events = instance.all_logs(record.run.run_id)
    logs_dir = instance.logs_directory
    if step_key is not None and not any(e.step_key == step_key for e in events):
        steps = sorted({e.step_key for e in events if e.step_key})
        raise HeadwaterError(f"Run {record.run.run_id} has no step {step_key!r}; steps: {steps}.")
    console = make_console()
    if stream in ("all", "events"):
        for event in events:
            if event.event_type is not EventType.LOG_MESSAGE:
                continue
            if step_key is not None and event.step_key != step_key:
                continue
            stamp = time.strftime("%H:%M:%S", time.localtime(event.timestamp))
            level = logging.getLevelName(event.level)
            console.print(
                f"{stamp} {level:<7} {event.step_key or '-'}: {event.message}", markup=False
            )
    for event in events:
        if event.event_type is not EventType.LOGS_CAPTURED:
            continue
        if step_key is not None and event.step_key != step_key:
            continue
        for name in ("stdout", "stderr"):
            relative = event.data.get(f"{name}_path")
            if relative is None or stream not in ("all", name):
                continue
            path = logs_dir / relative
            console.print(f"--- {name} of step {event.step_key} ({path}) ---", style="bold")
            try:
                console.print(path.read_text(encoding="utf-8").rstrip("\n"), markup=False)
            except FileNotFoundError:
                console.print(f"(the file {path} no longer exists)", style="red")
