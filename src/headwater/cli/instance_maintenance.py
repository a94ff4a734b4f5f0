"""``headwater instance info``, ``instance migrate`` and ``instance vacuum``."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

import click

from headwater.cli.context import current_instance, current_state

if TYPE_CHECKING:
    from headwater.storage.maintenance import RetentionPolicy, StorageInfo


def _home() -> Path:
    from headwater.instance.instance import HOME_ENV_VAR

    home = current_state().home or Path(os.environ.get(HOME_ENV_VAR) or ".headwater")
    return home.expanduser().absolute()


@click.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def info(as_json: bool) -> None:
    """Show the storage (kind, location, schema revision, size on disk, rows per table) and
    the retention settings. Works on a schema that `instance migrate` has yet to upgrade."""
    from headwater.instance.config import load_instance_config
    from headwater.instance.storage_open import open_storage

    root = _home()
    config = load_instance_config(root)
    storage = open_storage(config, check_schema=False)
    try:
        found = storage.storage_info()
    finally:
        storage.dispose()
    if as_json:
        data = {**asdict(found), "home": str(root), "retention": asdict(config.retention)}
        click.echo(json.dumps(data, indent=2))
        return
    for line in _info_lines(root, found, config.retention):
        click.echo(line)


def _info_lines(root: Path, found: StorageInfo, retention: RetentionPolicy) -> list[str]:
    if found.revision == found.head_revision:
        schema = f"{found.revision} (current)"
    elif found.revision is None:
        schema = f"none yet (created at first use: {found.head_revision})"
    else:
        schema = (
            f"{found.revision}, this headwater needs {found.head_revision}: "
            "run `headwater instance migrate`"
        )
    size = "unknown" if found.size_bytes is None else _size(found.size_bytes)
    lines = [
        f"Home       {root}",
        f"Storage    {found.kind}  {found.location}",
        f"Schema     {schema}",
        f"Size       {size}",
        f"Retention  {_retention(retention)}",
        "Rows",
    ]
    width = max((len(name) for name in found.row_counts), default=0)
    lines += [f"  {name:<{width}}  {count:>12,}" for name, count in found.row_counts.items()]
    return lines


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:,.1f} {unit}" if unit != "B" else f"{size} B"
        value /= 1024
    return f"{size} B"


def _retention(policy: RetentionPolicy) -> str:
    if not policy.enabled:
        return "none (everything is kept; see `retention:` in headwater.yaml)"
    parts = []
    if policy.event_logs_days is not None:
        parts.append(f"log and step events {policy.event_logs_days:g} days")
    if policy.runs_days is not None:
        kept = ", failed runs kept" if policy.keep_failed else ""
        parts.append(f"runs {policy.runs_days:g} days{kept}")
    return "; ".join(parts)


@click.command("migrate")
def migrate() -> None:
    """Upgrade the storage schema to this headwater's revision (Alembic).

    Required on PostgreSQL after upgrading headwater (stop the daemon, webserver and run
    workers first); SQLite upgrades itself when opened, so this only reports.
    """
    from headwater.instance.storage_open import migrate as migrate_storage

    result = migrate_storage(_home())
    if not result.changed:
        click.echo(f"{result.location}: schema already at {result.after}.")
    elif result.before is None:
        click.echo(f"{result.location}: schema created at {result.after}.")
    else:
        click.echo(f"{result.location}: schema upgraded from {result.before} to {result.after}.")


@click.command("vacuum")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def vacuum(dry_run: bool, as_json: bool) -> None:
    """Apply `retention:` of headwater.yaml now: delete old runs and old log events (the
    daemon's retention loop does the same on a schedule). Asset history, check results and
    the runs the asset index names are always kept."""
    inst = current_instance()
    policy = inst.config.retention
    if not policy.enabled:
        if as_json:
            click.echo(json.dumps({"enabled": False}))
        else:
            click.echo(
                "No retention configured: nothing to delete. Add to headwater.yaml, e.g.\n"
                "  retention:\n    event_logs: {purge_after_days: 30}\n"
                "    runs: {purge_after_days: 90, keep_failed: true}"
            )
        return
    report = inst.storage.vacuum(policy, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps({"enabled": True, **asdict(report)}, indent=2))
        return
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(
        f"{verb} {report.runs_deleted:,} run(s) and {report.events_deleted:,} event(s) "
        f"({_retention(policy)})"
        + (
            "."
            if dry_run
            else f" in {report.batches} transaction(s), the longest "
            f"{report.longest_batch_ms:.0f} ms, {report.seconds:.2f} s in all."
        )
    )
