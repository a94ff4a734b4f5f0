"""``headwater asset status``: which assets are missing, stale (and why) or fresh."""

from __future__ import annotations

import json

import click

from headwater.cli.context import current_instance
from headwater.cli.options import LocationArgs, code_location_options, make_console

_STYLE = {"MISSING": "dim", "STALE": "yellow", "FRESH": "green"}
_FRESHNESS_STYLE = {"PASS": "green", "WARN": "yellow", "FAIL": "red", "UNKNOWN": "dim"}


@click.command("status")
@code_location_options
@click.option("-s", "--select", metavar="EXPR", help="Only the assets matching this selection.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def asset_status(location: LocationArgs, select: str | None, as_json: bool) -> None:
    """Show whether each asset is MISSING, STALE (with the causes) or FRESH.

    An asset is stale when its code version changed since its latest materialization, when an
    upstream asset has newer data than the one it was computed from, or when an upstream asset
    is missing or stale. Refresh stale assets with `headwater materialize --skip-unchanged`.

    Assets with a freshness policy also show their freshness state (PASS, WARN, FAIL or
    UNKNOWN) as the daemon last evaluated it.
    """
    from headwater.cli.asset import _selected_keys

    defs = location.load()
    keys = _selected_keys(defs, select)
    graph = defs.resolve_asset_graph()
    keys = [k for k in keys if graph.get(k).is_materializable]
    instance = current_instance()
    statuses = instance.get_stale_status(defs, keys)
    freshness = instance.storage.get_freshness_states(keys) if keys else {}
    rows = [
        {
            "asset_key": key.to_user_string(),
            "status": statuses[key].status.value,
            "causes": [c.reason for c in statuses[key].causes],
            "freshness": freshness[key].state.value if key in freshness else None,
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
    if freshness:
        table.add_column("Freshness")
    for row in rows:
        status = str(row["status"])
        cells = [str(row["asset_key"]), f"[{_STYLE[status]}]{status}[/]", "; ".join(row["causes"])]
        if freshness:
            state = row["freshness"]
            cells.append(f"[{_FRESHNESS_STYLE[state]}]{state}[/]" if state else "")
        table.add_row(*cells)
    make_console().print(table)
