"""What ``headwater backfill list`` and ``show`` print: tables, partition ranges, JSON."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from headwater.cli.backfill_progress import styled
from headwater.cli.render.markup import escape

if TYPE_CHECKING:
    from headwater.cli.render.console import AnyConsole
    from headwater.orchestration.backfills.status import BackfillRunStatus
    from headwater.storage.backfill_records import PartitionBackfill

_MAX_RANGES = 6


def target_text(backfill: PartitionBackfill) -> str:
    """What partitions were asked for: ``all``, ``START...END`` or the keys."""
    if backfill.all_partitions:
        return "all"
    if backfill.partition_range is not None:
        return f"{backfill.partition_range.start}...{backfill.partition_range.end}"
    if backfill.partition_keys is not None:
        keys = list(backfill.partition_keys)
        return ", ".join(keys[:3]) + (f", ... ({len(keys)} keys)" if len(keys) > 3 else "")
    return "-"


def backfill_json(
    backfill: PartitionBackfill, statuses: Sequence[BackfillRunStatus], *, partitions: bool = False
) -> dict[str, Any]:
    """A backfill as JSON-ready data; with ``partitions``, each partition's status too."""
    from headwater.cli.format import iso_timestamp
    from headwater.orchestration.backfills.status import merge_partition_statuses

    out: dict[str, Any] = {
        "backfill_id": backfill.backfill_id,
        "status": backfill.status.value,
        "background": None if backfill.location is None else backfill.location.get("location_name"),
        "assets": [k.to_user_string() for k in backfill.asset_selection],
        "target": target_text(backfill),
        "tags": dict(backfill.tags),
        "created": iso_timestamp(backfill.create_timestamp),
        "updated": iso_timestamp(backfill.update_timestamp),
        "num_partitions": backfill.num_partitions,
        "num_runs": len(backfill.run_requests),
        "runs_by_status": dict(Counter(s.status.value for s in statuses)),
        "error": backfill.error,
    }
    if partitions:
        merged = merge_partition_statuses(statuses)
        out["partitions"] = {k: v.value for k, v in merged.items()}
    return out


def print_backfill_table(
    console: AnyConsole, rows: Sequence[tuple[PartitionBackfill, Sequence[BackfillRunStatus]]]
) -> None:
    """The ``backfill list`` table."""
    from headwater.cli.format import time_ago
    from headwater.cli.render.table import Table

    if not rows:
        console.print("No backfills found.")
        return
    table = Table(pad_edge=False, header_style="bold")
    for column in ("Backfill", "Status", "Assets", "Partitions", "Runs", "Created"):
        table.add_column(column, no_wrap=True)
    for backfill, statuses in rows:
        assets = [k.to_user_string() for k in backfill.asset_selection]
        shown = ", ".join(assets[:3]) + (f" +{len(assets) - 3}" if len(assets) > 3 else "")
        table.add_row(
            backfill.backfill_id, styled(backfill.status.value), escape(shown),
            escape(target_text(backfill)), escape(status_counts(statuses) or "-"),
            time_ago(backfill.create_timestamp),
        )  # fmt: skip
    console.print(table)


def print_backfill(
    console: AnyConsole, backfill: PartitionBackfill, statuses: Sequence[BackfillRunStatus]
) -> None:
    """The ``backfill show`` text: fields, then partitions per status and group of assets."""
    from headwater.cli.format import format_timestamp, time_ago

    console.print(f"Backfill [bold]{backfill.backfill_id}[/]  {styled(backfill.status.value)}")
    assets = ", ".join(k.to_user_string() for k in backfill.asset_selection)
    tags = ", ".join(f"{k}={v}" for k, v in sorted(backfill.tags.items())) or "-"
    fields = [
        ("assets", assets),
        ("partitions", f"{target_text(backfill)} ({backfill.num_partitions:,} partitions)"),
        ("runs", f"{len(statuses):,}: {status_counts(statuses) or '-'}"),
        ("tags", tags),
        ("created", f"{format_timestamp(backfill.create_timestamp)} "
                    f"({time_ago(backfill.create_timestamp)})"),
        ("updated", format_timestamp(backfill.update_timestamp)),
    ]  # fmt: skip
    if backfill.error:
        fields.append(("error", backfill.error))
    for name, value in fields:
        console.print(f"  [dim]{name:<10}[/] {escape(value)}", soft_wrap=True)
    console.print()
    render_partition_statuses(console, statuses)
    failed = [s for s in statuses if s.status.value == "FAILED" and s.run is not None]
    if failed:
        console.print()
        console.print("[dim]Failed runs (details: headwater run show RUN_ID):[/]")
        for item in failed[:_MAX_RANGES]:
            run_id = item.run.run_id if item.run is not None else "-"
            console.print(f"  {escape(item.request.describe())}: run {run_id}", soft_wrap=True)
        if len(failed) > _MAX_RANGES:
            console.print(f"  ... (+{len(failed) - _MAX_RANGES} more)")


def status_counts(statuses: Sequence[BackfillRunStatus]) -> str:
    """``"31 succeeded, 1 failed, 1 skipped"`` over run requests."""
    counts = Counter(s.status.value for s in statuses)
    order = ("SUCCEEDED", "FAILED", "SKIPPED", "IN_PROGRESS", "PENDING")
    return ", ".join(f"{counts[v]} {v.lower().replace('_', ' ')}" for v in order if counts[v])


def ranges_text(ranges: list[str]) -> str:
    """At most a few ranges, then how many more."""
    shown = ", ".join(ranges[:_MAX_RANGES])
    more = len(ranges) - _MAX_RANGES
    return shown + (f", ... (+{more} more)" if more > 0 else "")


def render_partition_statuses(console: AnyConsole, statuses: Sequence[BackfillRunStatus]) -> None:
    """Per group of assets: how many partitions are in each status, as compact ranges."""
    from headwater.cli.render.table import Table
    from headwater.orchestration.backfills.status import compact_ranges, merge_partition_statuses

    groups: dict[tuple[Any, ...], list[BackfillRunStatus]] = {}
    for item in statuses:
        groups.setdefault(item.request.asset_keys, []).append(item)
    table = Table(pad_edge=False, header_style="bold")
    for column in ("Assets", "Status", "Partitions", "Which"):
        table.add_column(column, no_wrap=column != "Which")
    for asset_keys, items in groups.items():
        name = escape(", ".join(k.to_user_string() for k in asset_keys))
        by_key = merge_partition_statuses(items)
        order = list(by_key)
        if not order:  # unpartitioned: one run
            table.add_row(name, styled(items[0].status.value), "-", "")
            continue
        counts = Counter(by_key.values())
        for status in counts:
            which = ranges_text(compact_ranges(order, by_key, status))
            table.add_row(name, styled(status.value), f"{counts[status]:,}", escape(which))
            name = ""
    console.print(table)
