"""``headwater asset why KEY``: why the last automation tick did (or did not) request KEY."""

from __future__ import annotations

import json

import click

from headwater.cli.context import current_instance
from headwater.cli.options import make_console


@click.command("why")
@click.argument("key", metavar="KEY")
@click.option("--tree/--no-tree", default=True, help="Also show the evaluated condition tree.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored evaluation as JSON.")
def asset_why(key: str, tree: bool, as_json: bool) -> None:
    """Explain the latest automation evaluation of the asset KEY (``a/b`` for ``["a", "b"]``).

    The automation daemon stores an asset's evaluation whenever it changes or requests
    something; this reads the latest one and says in words why the asset was requested (or
    not), then shows the condition tree with how many partitions each part was true for.

    Exits 1 when the asset was never evaluated.

    Example: headwater asset why analytics/daily_summary
    """
    from headwater.cli.format import iso_timestamp
    from headwater.cli.render.markup import escape
    from headwater.keys import AssetKey
    from headwater.orchestration.automation.explain import explain, tree_lines

    asset_key = AssetKey.from_user_string(key)
    found = current_instance().storage.get_condition_evaluations(asset_key, limit=1)
    if not found:
        raise click.ClickException(
            f"Asset {key!r} has no automation evaluation: give it an automation_condition and "
            "run `headwater daemon run` (or check the key with `headwater asset list`)."
        )
    record = found[0]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "asset_key": key,
                    "evaluation_id": record.evaluation_id,
                    "timestamp": record.timestamp,
                    "sensor": record.sensor_name,
                    "num_requested": record.num_requested,
                    **record.body,
                },
                indent=2,
            )
        )
        return
    console = make_console()
    sensor = f" by {escape(record.sensor_name)}" if record.sensor_name else ""
    console.print(
        f"[bold]{escape(key)}[/]: tick {record.evaluation_id}{sensor} at "
        f"{iso_timestamp(record.timestamp)}"
    )
    console.print(escape(explain(record.body)))
    runs = record.body.get("run_ids") or []
    if runs:
        console.print(f"runs: {escape(', '.join(runs))}")
    if tree:
        console.print()
        for line in tree_lines(record.body):
            console.print(escape(line))
