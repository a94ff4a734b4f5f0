"""``headwater sensor``: list the sensors of a code location, start and stop them, preview a
tick, read or set a cursor and show their tick history.

The daemon (``headwater daemon run -m/-f/-w ...``) evaluates the RUNNING sensors.
"""

from __future__ import annotations

import json

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

KIND = "SENSOR"


@click.group()
def sensor() -> None:
    """List, start, stop and preview sensors; read or set their cursors; show their ticks."""


@sensor.command("list")
@code_location_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_sensors(location: LocationArgs, as_json: bool) -> None:
    """List the sensors of the code location: kind, interval, status, cursor, last tick."""
    from headwater.cli.context import current_instance
    from headwater.cli.render.markup import escape
    from headwater.cli.render.table import Table

    defs = location.load()
    location_name = location.origin().location_name
    storage = current_instance().storage
    rows = []
    for name in defs.sensor_names:
        definition = defs.get_sensor_def(name)
        instigator = instigator_id(location, KIND, name)
        state = storage.get_instigator_state(instigator)
        last = storage.get_ticks(instigator, limit=1)
        rows.append({
            "name": name, "location": location_name, "type": type(definition).__name__,
            "minimum_interval_seconds": definition.minimum_interval_seconds,
            "jobs": list(definition.job_names),
            "status": status_text(state, definition.default_status),
            "cursor": None if state is None else state.cursor,
            "last_tick": None if not last else {"timestamp": last[0].timestamp,
                                                "status": str(last[0].status)},
        })  # fmt: skip
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    console = make_console()
    if not rows:
        console.print(f"No sensors in code location {location_name!r}.")
        return
    table = Table(header_style="bold", pad_edge=False)
    for column in ("SENSOR", "TYPE", "INTERVAL", "STATUS", "CURSOR", "LAST TICK"):
        table.add_column(column)
    for row in rows:
        last_tick = row["last_tick"]
        last_text = "-" if last_tick is None else (
            f"{when(last_tick['timestamp'])} {last_tick['status']}")  # fmt: skip
        status = row["status"]
        table.add_row(escape(row["name"]), row["type"].removesuffix("Definition"),
                      f"{row['minimum_interval_seconds']} s",
                      f"[green]{status}[/]" if status.startswith("RUNNING") else status,
                      escape(_short(row["cursor"])), last_text)  # fmt: skip
    console.print(table)


def _short(cursor: str | None, width: int = 40) -> str:
    if cursor is None:
        return "-"
    return cursor if len(cursor) <= width else cursor[: width - 3] + "..."


@sensor.command("start")
@click.argument("name")
@code_location_options
def start_sensor(location: LocationArgs, name: str) -> None:
    """Start the sensor NAME: the daemon evaluates it every minimum_interval_seconds."""
    definition = find_definition(location.load(), KIND, name)
    set_status(instigator_id(location, KIND, name), definition, running=True)


@sensor.command("stop")
@click.argument("name")
@code_location_options
def stop_sensor(location: LocationArgs, name: str) -> None:
    """Stop the sensor NAME: the daemon no longer evaluates it (its cursor is kept)."""
    definition = find_definition(location.load(), KIND, name)
    set_status(instigator_id(location, KIND, name), definition, running=False)


@sensor.command("preview")
@click.argument("name")
@code_location_options
@click.option("--cursor", metavar="CURSOR", default=None,
              help="Evaluate with this cursor (default: the sensor's stored cursor).")  # fmt: skip
def preview_sensor(location: LocationArgs, name: str, cursor: str | None) -> None:
    """Evaluate one tick of the sensor NAME, without launching anything or saving its cursor.

    Shows the runs it would request (or why it skips), the cursor it would save, and the
    partitions and asset events it would report. Exits 1 when the sensor fails, with its error.

    \b
    Example:
      headwater sensor preview new_files -f defs.py --cursor 3
    """
    from headwater.cli.context import current_instance
    from headwater.cli.render.markup import escape
    from headwater.declarations.automation.contexts import build_sensor_context
    from headwater.errors import DefinitionError, UserCodeError

    defs = location.load()
    definition = find_definition(defs, KIND, name)
    instance = current_instance()
    if cursor is None:
        state = instance.storage.get_instigator_state(instigator_id(location, KIND, name))
        cursor = None if state is None else state.cursor
    context = build_sensor_context(instance=instance, cursor=cursor, definitions=defs)
    try:
        with context:
            evaluation = definition.evaluate_tick(context)
    except (UserCodeError, DefinitionError) as exc:
        fail_preview(exc, f"Sensor {name!r}")
    console = make_console()
    if evaluation.run_requests:
        console.print(f"[green]{len(evaluation.run_requests)} run(s) requested[/]")
        print_requests(evaluation.run_requests)
    elif evaluation.skip_message is not None:
        console.print(f"[yellow]SKIPPED[/] {escape(evaluation.skip_message)}")
    for request in evaluation.dynamic_partitions_requests:
        action = "add" if type(request).__name__.startswith("Add") else "delete"
        keys = ", ".join(request.partition_keys)
        console.print(escape(f"partitions: {action} {keys} ({request.partitions_def_name})"))
    for event in evaluation.asset_events:
        console.print(escape(f"asset event: {type(event).__name__} of "
                             f"{event.asset_key.to_user_string()}"))  # fmt: skip
    console.print(escape(f"cursor: {cursor!r} -> {evaluation.cursor!r}"))


@sensor.command("cursor")
@click.argument("name")
@code_location_options
@click.option("--set", "new_cursor", metavar="CURSOR", help="Store this cursor.")
@click.option("--delete", is_flag=True, help="Remove the cursor (the next tick gets None).")
def sensor_cursor(location: LocationArgs, name: str, new_cursor: str | None, delete: bool) -> None:
    """Show the cursor of the sensor NAME, or store a new one with --set (--delete clears it).

    The daemon's next tick of the sensor starts from the cursor stored.
    """
    from headwater.cli.context import current_instance
    from headwater.cli.render.markup import escape

    if new_cursor is not None and delete:
        raise click.UsageError("Give --set CURSOR or --delete, not both.")
    find_definition(location.load(), KIND, name)
    instigator = instigator_id(location, KIND, name)
    storage = current_instance().storage
    console = make_console()
    if new_cursor is None and not delete:
        state = storage.get_instigator_state(instigator)
        cursor = None if state is None else state.cursor
        click.echo("" if cursor is None else cursor)
        return
    state = storage.update_instigator_state(instigator, cursor=None if delete else new_cursor)
    console.print(escape(f"The cursor of sensor {name!r} is now {state.cursor!r}."))


@sensor.command("ticks")
@click.argument("name")
@code_location_options
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True,
              help="How many of the latest ticks.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def sensor_ticks(location: LocationArgs, name: str, limit: int, as_json: bool) -> None:
    """Show the latest ticks of the sensor NAME: time, status, runs, skip reason or error."""
    find_definition(location.load(), KIND, name)
    print_ticks(instigator_id(location, KIND, name), limit, as_json)
