"""``headwater asset partitions KEY``: a compact summary of an asset's partition status."""

from __future__ import annotations

import json
from typing import Any

import click

from headwater.cli.context import current_instance
from headwater.cli.options import LocationArgs, code_location_options, make_console

_STYLE = {
    "MATERIALIZED": "green",
    "FAILED": "red",
    "IN_PROGRESS": "yellow",
    "MISSING": "dim",
}


@click.command("partitions")
@click.argument("key")
@code_location_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--max-ranges", default=20, show_default=True, help="Show at most this many ranges.")
def asset_partitions(location: LocationArgs, key: str, as_json: bool, max_ranges: int) -> None:
    """Summarize KEY's partitions: counts per status and ranges of consecutive partitions.

    KEY is an asset key in ``a/b`` form. Statuses come from the instance's partition index
    (one query), not from rescanning the event log.
    """
    from headwater.errors import HeadwaterError
    from headwater.keys import AssetKey

    defs = location.load()
    asset_key = AssetKey.from_user_string(key)
    partitions_def = defs.get_assets_def(asset_key).partitions_def
    if partitions_def is None:
        raise HeadwaterError(
            f"Asset {key!r} is not partitioned; see its materializations with "
            "`headwater asset list`."
        )
    status = current_instance().get_asset_partitions_summary(asset_key, partitions_def)
    counts = status.counts()
    ranges = status.ranges()
    if as_json:
        payload: dict[str, Any] = {
            "asset_key": key,
            "partitions": len(status.partition_keys),
            "counts": counts,
            "ranges": [
                {"start": r.start, "end": r.end, "status": r.status, "count": r.count}
                for r in ranges
            ],
        }
        click.echo(json.dumps(payload, indent=2))
        return
    console = make_console()
    console.print(
        f"[bold]{key}[/bold]: {len(status.partition_keys):,} partitions "
        f"({partitions_def.describe()})"
    )
    console.print(
        "  " + "  ".join(f"[{_STYLE[s]}]{s.lower()}: {n:,}[/]" for s, n in counts.items() if n)
    )
    for r in ranges[:max_ranges]:
        span = r.start if r.start == r.end else f"{r.start} ... {r.end}"
        console.print(f"  [{_STYLE[r.status]}]{r.status:<12}[/] {span}  ({r.count:,})")
    if len(ranges) > max_ranges:
        console.print(f"  ... {len(ranges) - max_ranges} more ranges (use --json for all)")
