"""``headwater schedule``: list the schedules of a code location, start and stop them, preview
their next ticks and show their tick history.

The daemon (``headwater daemon run -m/-f/-w ...``) evaluates the RUNNING schedules.
"""

from __future__ import annotations

import json
import time

import click

from headwater.cli.instigators import (
    fail_preview,
    find_definition,
    instigator_id,
    print_requests,
    print_ticks,
    set_status,
    status_text,
    when,
)
from headwater.cli.options import LocationArgs, code_location_options, make_console

KIND = "SCHEDULE"


@click.group()
def schedule() -> None:
    """List, start, stop and preview schedules; show their ticks."""


@schedule.command("list")
@code_location_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_schedules(location: LocationArgs, as_json: bool) -> None:
    """List the schedules of the code location: cron, zone, job, status, last and next tick."""
    from headwater.cli.context import current_instance
    from headwater.cli.render.markup import escape
    from headwater.cli.render.table import Table
    from headwater.daemon.cron import next_cron_tick

    defs = location.load()
    location_name = location.origin().location_name
    storage = current_instance().storage
    rows = []
    for name in defs.schedule_names:
        definition = defs.get_schedule_def(name)
        instigator = instigator_id(location, KIND, name)
        state = storage.get_instigator_state(instigator)
        last = storage.get_ticks(instigator, limit=1)
        zone = definition.execution_timezone or "UTC"
        rows.append({
            "name": name, "location": location_name, "cron_schedule": definition.cron_schedule,
            "execution_timezone": zone, "job": definition.job_name,
            "status": status_text(state, definition.default_status),
            "last_tick": None if not last else {"timestamp": last[0].timestamp,
                                                "status": str(last[0].status)},
            "next_tick": next_cron_tick(definition.cron_schedule, zone, time.time()),
        })  # fmt: skip
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    console = make_console()
    if not rows:
        console.print(f"No schedules in code location {location_name!r}.")
        return
    table = Table(header_style="bold", pad_edge=False)
    for column in ("SCHEDULE", "CRON", "TIMEZONE", "JOB", "STATUS", "LAST TICK", "NEXT TICK"):
        table.add_column(column)
    for row in rows:
        last_tick = row["last_tick"]
        last_text = "-" if last_tick is None else (
            f"{when(last_tick['timestamp'])} {last_tick['status']}")  # fmt: skip
        running = row["status"].startswith("RUNNING")
        status = f"[green]{row['status']}[/]" if running else row["status"]
        table.add_row(escape(row["name"]), escape(str(row["cron_schedule"])),
                      row["execution_timezone"], escape(row["job"]), status, last_text,
                      when(row["next_tick"]) if running else "-")  # fmt: skip
    console.print(table)


@schedule.command("start")
@click.argument("name")
@code_location_options
def start_schedule(location: LocationArgs, name: str) -> None:
    """Start the schedule NAME: the daemon evaluates it at each cron tick from now on."""
    definition = find_definition(location.load(), KIND, name)
    set_status(instigator_id(location, KIND, name), definition, running=True)


@schedule.command("stop")
@click.argument("name")
@code_location_options
def stop_schedule(location: LocationArgs, name: str) -> None:
    """Stop the schedule NAME: the daemon no longer evaluates it."""
    definition = find_definition(location.load(), KIND, name)
    set_status(instigator_id(location, KIND, name), definition, running=False)


@schedule.command("preview")
@click.argument("name")
@code_location_options
@click.option("--ticks", "count", type=click.IntRange(1, 1000), default=5, show_default=True,
              help="How many of the next ticks to evaluate.")  # fmt: skip
def preview_schedule(location: LocationArgs, name: str, count: int) -> None:
    """Evaluate the next ticks of the schedule NAME, without launching anything.

    Each tick shows its time (in the schedule's zone) and the runs it would request, or why it
    would skip. Exits 1 when the schedule fails, with its error.

    \b
    Example:
      headwater schedule preview nightly -f defs.py --ticks 3
    """
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from headwater.cli.context import current_instance
    from headwater.cli.render.markup import escape
    from headwater.daemon.cron import next_cron_tick
    from headwater.declarations.automation.contexts import build_schedule_context
    from headwater.errors import DefinitionError, UserCodeError

    defs = location.load()
    definition = find_definition(defs, KIND, name)
    zone = definition.execution_timezone or "UTC"
    console = make_console()
    moment = time.time()
    for _ in range(count):
        moment = next_cron_tick(definition.cron_schedule, zone, moment)
        tick_time = datetime.fromtimestamp(moment, ZoneInfo(zone))
        context = build_schedule_context(
            instance=current_instance(), scheduled_execution_time=tick_time, definitions=defs
        )
        try:
            with context:
                evaluation = definition.evaluate_tick(context)
        except (UserCodeError, DefinitionError) as exc:
            console.print(f"{tick_time.isoformat()}  [red]FAILURE[/]")
            fail_preview(exc, f"Schedule {name!r} at {tick_time.isoformat()}")
        if evaluation.run_requests:
            console.print(f"{tick_time.isoformat()}  [green]{len(evaluation.run_requests)} "
                          "run(s)[/]")  # fmt: skip
            print_requests(evaluation.run_requests)
        else:
            console.print(f"{tick_time.isoformat()}  [yellow]SKIPPED[/] "
                          f"{escape(evaluation.skip_message or '')}")  # fmt: skip


@schedule.command("ticks")
@click.argument("name")
@code_location_options
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True,
              help="How many of the latest ticks.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def schedule_ticks(location: LocationArgs, name: str, limit: int, as_json: bool) -> None:
    """Show the latest ticks of the schedule NAME: time, status, runs, skip reason or error."""
    find_definition(location.load(), KIND, name)
    print_ticks(instigator_id(location, KIND, name), limit, as_json)
