"""``headwater run``: list runs and show one run's steps, materializations and failures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from headwater.cli.context import current_instance
from headwater.cli.options import make_console, verbose_option
from headwater.cli.run_control import run_terminate, run_wait
from headwater.cli.run_logs import run_logs
from headwater.cli.run_lookup import find_run
from headwater.cli.run_reexecute import run_reexecute

if TYPE_CHECKING:
    from headwater.storage.records import RunRecord

_STATUSES = (
    "QUEUED",
    "NOT_STARTED",
    "STARTING",
    "STARTED",
    "SUCCESS",
    "FAILURE",
    "CANCELING",
    "CANCELED",
)


@click.group()
def run() -> None:
    """Inspect and re-execute runs stored in the instance."""


run.add_command(run_logs)
run.add_command(run_reexecute)
run.add_command(run_wait)
run.add_command(run_terminate)


@run.command("list")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(_STATUSES, case_sensitive=False),
    help="Only runs in this status (repeatable).",
)
@click.option("--job", "job_name", metavar="NAME", help="Only runs of this job.")
@click.option("-n", "--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@verbose_option
def list_runs(statuses: tuple[str, ...], job_name: str | None, limit: int, as_json: bool) -> None:
    """List runs, newest first."""
    from headwater.storage.records import RunsFilter, RunStatus

    filters = RunsFilter(
        statuses=[RunStatus(s.upper()) for s in statuses] or None, job_name=job_name
    )
    records = current_instance().get_run_records(filters, limit=limit)
    rows = [_run_json(record) for record in records]
    if as_json:
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    _print_run_table(records)


@run.command("show")
@click.argument("run_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--follow", "-f", is_flag=True, help="Print the run's events as they happen until it ends."
)
@verbose_option
def show_run(run_id: str, as_json: bool, follow: bool) -> None:
    """Show a run: status, tags, timing, steps, materializations and failures.

    RUN_ID may be a unique prefix of the id. With --follow, the run's events are printed as
    they are stored (one line each) until the run ends, then the summary.
    """
    from headwater.cli.steps import summarize_run

    instance = current_instance()
    record = find_run(instance, run_id)
    if follow:
        from headwater.cli.run_follow import follow_events

        follow_events(instance, record.run.run_id, as_json=as_json)
        record = find_run(instance, record.run.run_id)
    events = instance.all_logs(record.run.run_id)
    summary = summarize_run(events)
    if as_json:
        import json

        click.echo(json.dumps(_show_json(record, summary), indent=2, default=str))
        return
    _print_run(record, summary)


def _duration(record: RunRecord) -> float | None:
    if record.start_time is None:
        return None
    import time

    end = record.end_time if record.end_time is not None else time.time()
    return max(0.0, end - record.start_time)


def _user_tags(tags: dict[str, str] | Any) -> dict[str, str]:
    return {k: v for k, v in dict(tags).items() if not k.startswith("headwater/")}


def _run_json(record: RunRecord) -> dict[str, Any]:
    from headwater.cli.format import iso_timestamp

    run_ = record.run
    return {
        "run_id": run_.run_id,
        "status": run_.status.value,
        "job_name": run_.job_name,
        "tags": dict(run_.tags),
        "created": iso_timestamp(record.create_timestamp),
        "started": iso_timestamp(record.start_time),
        "ended": iso_timestamp(record.end_time),
        "duration_s": _duration(record),
        "asset_selection": None
        if run_.asset_selection is None
        else sorted(k.to_user_string() for k in run_.asset_selection),
    }


def _print_run_table(records: list[RunRecord]) -> None:
    from headwater.cli.format import format_duration, styled_status, time_ago
    from headwater.cli.render.markup import escape
    from headwater.cli.render.table import Table

    console = make_console()
    if not records:
        console.print("No runs found.")
        return
    table = Table(pad_edge=False, header_style="bold")
    for column in ("Run ID", "Status", "Job", "Created", "Duration", "Tags"):
        table.add_column(column, no_wrap=column != "Tags")
    for record in records:
        tags = " ".join(f"{k}={v}" for k, v in _user_tags(record.run.tags).items())
        table.add_row(
            record.run.run_id,
            styled_status(record.run.status.value),
            escape(record.run.job_name),
            time_ago(record.create_timestamp),
            format_duration(_duration(record)),
            escape(tags),
        )
    console.print(table)


def _show_json(record: RunRecord, summary: Any) -> dict[str, Any]:
    from headwater.cli.format import iso_timestamp, metadata_plain

    return {
        **_run_json(record),
        "steps": [
            {
                "step_key": s.key,
                "status": s.status,
                "duration_s": s.duration,
                "assets": s.assets,
                "error": dict(s.error) if s.error else None,
            }
            for s in summary.steps.values()
        ],
        "materializations": [
            {
                "asset": m.asset,
                "step_key": m.step_key,
                "partition": m.partition,
                "time": iso_timestamp(m.timestamp),
                "metadata": metadata_plain(m.metadata),
            }
            for m in summary.materializations
        ],
    }


def _print_run(record: RunRecord, summary: Any) -> None:
    from headwater.cli.format import (
        format_duration,
        format_timestamp,
        styled_status,
        summarize_metadata,
        time_ago,
    )
    from headwater.cli.render.markup import escape
    from headwater.cli.render.table import Table
    from headwater.cli.steps import render_failures, render_step_table

    console = make_console()
    run_ = record.run
    console.print(f"Run [bold]{run_.run_id}[/]  {styled_status(run_.status.value)}")
    tags = ", ".join(f"{k}={v}" for k, v in sorted(run_.tags.items())) or "-"
    fields = [
        ("job", run_.job_name),
        ("tags", tags),
        (
            "created",
            f"{format_timestamp(record.create_timestamp)} ({time_ago(record.create_timestamp)})",
        ),
        ("started", format_timestamp(record.start_time)),
        ("ended", format_timestamp(record.end_time)),
        ("duration", format_duration(_duration(record))),
    ]
    for name, value in fields:
        console.print(f"  [dim]{name:<9}[/] {escape(value)}", soft_wrap=True)
    console.print()
    if summary.steps:
        render_step_table(console, summary)
        console.print()
    if summary.materializations:
        table = Table(pad_edge=False, header_style="bold", title_justify="left")
        for column in ("Materialized asset", "Partition", "Metadata"):
            table.add_column(column)
        for mat in summary.materializations:
            table.add_row(
                escape(mat.asset),
                escape(mat.partition or "-"),
                escape(summarize_metadata(mat.metadata, limit=5)),
            )
        console.print(table)
        console.print()
    render_failures(console, summary, tracebacks=True)
