"""``headwater asset status``: which assets are missing, stale (and why) or fresh."""

from __future__ import annotations

import json

import click

from headwater.cli.context import current_instance
from headwater.cli.options import LocationArgs, code_location_options, make_console

_STYLE = {"MISSING": "dim", "STALE": "yellow", "FRESH": "green"}


@click.command("status")
@code_location_options
@click.option("-s", "--select", metavar="EXPR", help="Only the assets matching this selection.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def asset_status(location: LocationArgs, select: str | None, as_json: bool) -> None:
    """Show whether each asset is MISSING, STALE (with the causes) or FRESH.

    An asset is stale when its code version changed since its latest materialization, when an
    upstream asset has newer data than the one it was computed from, or when an upstream asset
    is missing or stale. Refresh stale assets with `headwater materialize --skip-unchanged`.
    """
    from headwater.cli.asset import _selected_keys

    defs = location.load()
    keys = _selected_keys(defs, select)
    graph = defs.resolve_asset_graph()
    keys = [k for k in keys if graph.get(k).is_materializable]
    statuses = current_instance().get_stale_status(defs, keys)
    rows = [
        {
            "asset_key": key.to_user_string(),
            "status": statuses[key].status.value,
            "causes": [c.reason for c in statuses[key].causes],
        }
        for key in keys
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    from headwater.cli.render.table import Table

    table = Table(header_style="bold")
    table.add_column("Asset")
    table.add_column("Status")
    table.add_column("Why")
    for row in rows:
        status = str(row["status"])
        table.add_row(
            str(row["asset_key"]), f"[{_STYLE[status]}]{status}[/]", "; ".join(row["causes"])
        )
    make_console().print(table)
