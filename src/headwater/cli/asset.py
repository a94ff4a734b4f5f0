"""``headwater asset``: list, materialize and inspect the assets of a code location.

``list`` and ``materialize`` live here; ``partitions`` and ``status`` in their own modules,
registered on the group below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from headwater.cli.asset_partitions import asset_partitions
from headwater.cli.asset_status import asset_status
from headwater.cli.asset_why import asset_why
from headwater.cli.backfill import parse_range, range_option, run_new_backfill, tag_option
from headwater.cli.context import current_instance
from headwater.cli.launch import launch_assets
from headwater.cli.options import LocationArgs, code_location_options, make_console

if TYPE_CHECKING:
    from headwater.declarations.definitions import Definitions
    from headwater.events.records import EventLogEntry
    from headwater.keys import AssetKey


@click.group()
def asset() -> None:
    """Inspect and materialize assets."""


asset.add_command(asset_partitions)
asset.add_command(asset_status)
asset.add_command(launch_assets)
asset.add_command(asset_why)


@asset.command("list")
@code_location_options
@click.option(
    "-s",
    "--select",
    metavar="EXPR",
    help="Only the assets matching this selection (default: all, external ones included).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_assets(location: LocationArgs, select: str | None, as_json: bool) -> None:
    """List assets: key, group, kinds, number of dependencies, last materialization."""
    defs = location.load()
    keys = _selected_keys(defs, select)
    # One query on the asset index.
    latest = current_instance().get_latest_materialization_events(keys)
    rows = [_row(defs, key, latest.get(key)) for key in keys]
    if as_json:
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    _print_table(rows)


@asset.command("materialize")
@code_location_options
@click.option(
    "-s", "--select", required=True, metavar="EXPR",
    help="Assets to materialize, in the selection grammar (e.g. 'raw_flights+').",
)  # fmt: skip
@click.option("--partition", metavar="KEY", help="The partition to materialize (one run).")
@range_option
@tag_option
def materialize_assets(
    location: LocationArgs,
    select: str,
    partition: str | None,
    partition_range: str | None,
    tags: dict[str, str],
) -> None:
    """Materialize assets: one partition in one run, or a range of partitions as a backfill.

    \b
    Examples:
      headwater asset materialize -f defs.py --select events --partition 2024-01-05
      headwater asset materialize -f defs.py --select 'events+' --partition-range 2024-01-01...2024-01-31
    """  # noqa: E501
    if partition is not None and partition_range is not None:
        raise click.UsageError("Give either --partition or --partition-range, not both.")
    if partition_range is not None:
        rng = parse_range(partition_range)
        run_new_backfill(location.load(), select, keys=None, rng=rng, all_partitions=False,
                         tags=tags)  # fmt: skip
        return
    from headwater.cli.materialize import materialize_in_process

    materialize_in_process(location, select, tags=tags, partition=partition)


def _selected_keys(defs: Definitions, select: str | None) -> list[AssetKey]:
    from headwater.asset_graph.selection import AssetSelection
    from headwater.errors import InvalidSelectionError

    graph = defs.resolve_asset_graph()
    if select is None:
        return list(graph.toposorted_keys)
    try:
        chosen = AssetSelection.from_string(select, include_sources=True).resolve(graph)
    except InvalidSelectionError as exc:
        message = str(exc).replace(
            " (in Python, resolve(..., allow_missing=True) ignores missing keys)", ""
        )
        raise InvalidSelectionError(f"Invalid selection {select!r}: {message}") from exc
    return graph.toposort(chosen)


def _row(defs: Definitions, key: AssetKey, latest: EventLogEntry | None) -> dict[str, Any]:
    from headwater.cli.format import iso_timestamp

    graph = defs.resolve_asset_graph()
    node = graph.get(key)
    return {
        "key": key.to_user_string(),
        "group": node.group_name,
        "kinds": sorted(node.kinds),
        "deps": [p.to_user_string() for p in graph.parents(key)],
        "is_materializable": node.is_materializable,
        "description": node.description,
        "last_materialization": None
        if latest is None
        else {
            "timestamp": latest.timestamp,
            "time": iso_timestamp(latest.timestamp),
            "run_id": latest.run_id or None,
            "partition": latest.partition,
        },
    }


def _print_table(rows: list[dict[str, Any]]) -> None:
    from headwater.cli.format import time_ago
    from headwater.cli.render.markup import escape
    from headwater.cli.render.table import Table

    table = Table(pad_edge=False, header_style="bold")
    for column in ("Key", "Group", "Kinds", "Deps", "Last materialized"):
        table.add_column(column, no_wrap=True, justify="right" if column == "Deps" else "left")
    for row in rows:
        kinds = ", ".join(row["kinds"])
        if not row["is_materializable"]:
            kinds = f"[dim]external[/]{', ' if kinds else ''}{escape(kinds)}"
        else:
            kinds = escape(kinds)
        last = row["last_materialization"]
        if last is None:
            when = "[dim]never[/]"
        else:
            run = f" (run {last['run_id'][:8]})" if last["run_id"] else ""
            when = f"{time_ago(last['timestamp'])}{run}"
        table.add_row(escape(row["key"]), escape(row["group"]), kinds, str(len(row["deps"])), when)
    console = make_console()
    console.print(table)
    console.print(f"[dim]{len(rows)} asset{'s' * (len(rows) != 1)}[/]")
