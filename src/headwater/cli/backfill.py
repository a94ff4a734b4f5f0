"""``headwater backfill``: launch, list, show, cancel and resume backfills.

A backfill runs to completion in the CLI process, one run after another, with a progress bar
over its partitions; with ``--background`` it is stored for the daemon, which queues its runs
(``headwater daemon run`` serving the same code location). Exit codes: 0 when every run
succeeded (or nothing was left to do, or it was left to the daemon), 1 when runs failed or
the backfill was canceled or interrupted, 2 on bad input (selection, unknown partition key,
reversed range, unknown backfill id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from headwater.cli.context import current_instance
from headwater.cli.options import (
    EXIT_RUN_FAILED,
    LocationArgs,
    code_location_options,
    make_console,
    parse_tags,
    verbose_option,
)

if TYPE_CHECKING:
    from headwater.cli.render.console import AnyConsole
    from headwater.declarations.definitions import Definitions
    from headwater.declarations.partitions.base import PartitionKeyRange
    from headwater.instance.instance import Instance
    from headwater.storage.backfill_records import PartitionBackfill

_STATUSES = (
    "REQUESTED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELING", "CANCELED"
)  # fmt: skip
_RANGE_SEPARATOR = "..."
EXIT_INTERRUPTED = 130

select_option = click.option(
    "-s", "--select", required=True, metavar="EXPR",
    help="Assets to backfill, in the selection grammar (e.g. 'raw_flights+').",
)  # fmt: skip
range_option = click.option(
    "--partition-range", metavar="START...END",
    help="An inclusive range of partition keys, e.g. 2013-01-01...2013-12-31.",
)  # fmt: skip
tag_option = click.option(
    "--tag", "tags", multiple=True, metavar="KEY=VALUE", callback=parse_tags,
    help="Add a tag to every run (repeatable).",
)  # fmt: skip


@click.group()
def backfill() -> None:
    """Backfill partitioned assets: launch, list, show, cancel, resume."""


@backfill.command("launch")
@code_location_options
@select_option
@click.option("--partitions", metavar="K1,K2,...", help="Comma-separated partition keys.")
@range_option
@click.option("--all-partitions", is_flag=True, help="Every partition of the selected assets.")
@tag_option
@click.option(
    "--background", is_flag=True,
    help="Store the backfill for the daemon, which queues its runs, and return at once.",
)  # fmt: skip
def launch(
    location: LocationArgs,
    select: str,
    partitions: str | None,
    partition_range: str | None,
    all_partitions: bool,
    tags: dict[str, str],
    background: bool,
) -> None:
    """Launch a backfill and run it to completion in this process (or, with --background,
    leave it to the daemon: it survives this process and resumes after a daemon restart).

    \b
    Examples:
      headwater backfill launch -f defs.py --select 'events+' --partition-range 2024-01-01...2024-01-31
      headwater backfill launch -m flights --select raw_flights --partitions 2013-01-01,2013-01-02
      headwater backfill launch -m flights --select raw_flights --all-partitions --background
    """  # noqa: E501
    given = sum((partitions is not None, partition_range is not None, all_partitions))
    if given != 1:
        raise click.UsageError(
            "Give exactly one of --partitions, --partition-range and --all-partitions."
        )
    keys = None if partitions is None else [k.strip() for k in partitions.split(",") if k.strip()]
    if keys is not None and not keys:
        raise click.BadParameter("no partition key given.", param_hint="--partitions")
    rng = None if partition_range is None else parse_range(partition_range)
    if background:
        from headwater.cli.backfill_background import launch_in_background

        launch_in_background(location, select, keys=keys, rng=rng,
                             all_partitions=all_partitions, tags=tags)  # fmt: skip
        return
    run_new_backfill(
        location.load(), select, keys=keys, rng=rng, all_partitions=all_partitions, tags=tags
    )


@backfill.command("list")
@click.option(
    "--status", type=click.Choice(_STATUSES, case_sensitive=False),
    help="Only backfills in this status.",
)  # fmt: skip
@click.option("-n", "--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@verbose_option
def list_backfills(status: str | None, limit: int, as_json: bool) -> None:
    """List backfills, newest first, with the state of their runs."""
    from headwater.cli.backfill_views import print_backfill_table
    from headwater.orchestration.backfills.status import backfill_run_statuses
    from headwater.storage.backfill_records import BulkActionStatus

    chosen = None if status is None else BulkActionStatus(status.upper())
    instance = current_instance()
    backfills = instance.get_backfills(status=chosen, limit=limit)
    rows = [(b, backfill_run_statuses(instance, b)) for b in backfills]
    if as_json:
        from headwater.cli.backfill_views import backfill_json

        click.echo(_dumps([backfill_json(b, statuses) for b, statuses in rows]))
        return
    print_backfill_table(make_console(), rows)


@backfill.command("show")
@click.argument("backfill_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@verbose_option
def show(backfill_id: str, as_json: bool) -> None:
    """Show a backfill: status, runs per status and partitions per status as ranges."""
    from headwater.cli.backfill_views import backfill_json, print_backfill
    from headwater.orchestration.backfills.launch import get_backfill_or_raise
    from headwater.orchestration.backfills.status import backfill_run_statuses

    instance = current_instance()
    found = get_backfill_or_raise(instance, backfill_id)
    statuses = backfill_run_statuses(instance, found)
    if as_json:
        click.echo(_dumps(backfill_json(found, statuses, partitions=True)))
        return
    print_backfill(make_console(), found, statuses)


@backfill.command("cancel")
@click.argument("backfill_id")
@verbose_option
def cancel(backfill_id: str) -> None:
    """Cancel a backfill: no new run starts; a run in progress finishes."""
    from headwater.cli.backfill_progress import styled
    from headwater.orchestration.backfills.launch import cancel_backfill
    from headwater.storage.backfill_records import BulkActionStatus

    instance = current_instance()
    before = instance.get_backfill_status(backfill_id)
    after = cancel_backfill(instance, backfill_id)
    console = make_console()
    if before is not BulkActionStatus.REQUESTED:
        console.print(
            f"Backfill {backfill_id} is already {styled(after.status.value)}; nothing to cancel."
        )
    elif after.status is BulkActionStatus.CANCELING:
        console.print(
            f"Backfill {backfill_id} is {styled('CANCELING')}: the process executing it stops "
            "after the run in progress."
        )
    else:
        console.print(f"Backfill {backfill_id} {styled('CANCELED')}: no more runs will start.")


@backfill.command("resume")
@code_location_options
@click.argument("backfill_id")
def resume(location: LocationArgs, backfill_id: str) -> None:
    """Run what did not succeed in a backfill (after a crash, failures or a cancel).

    Partitions whose run succeeded are not run again.
    """
    from headwater.orchestration.backfills.launch import get_backfill_or_raise, resume_backfill

    defs = location.load()
    console = make_console()
    instance = current_instance()
    found = get_backfill_or_raise(instance, backfill_id)
    console.print(f"Resuming backfill [bold]{found.backfill_id}[/] ({_describe(found)})")
    done = _follow(console, defs, found, instance, resume_backfill)
    _finish(console, done)


# -- shared ---------------------------------------------------------------------------------------
def parse_range(text: str) -> PartitionKeyRange:
    """``"START...END"`` -> a range; anything else is a usage error (exit 2)."""
    from headwater.declarations.partitions.base import PartitionKeyRange

    start, sep, end = text.partition(_RANGE_SEPARATOR)
    if not sep or not start.strip() or not end.strip() or _RANGE_SEPARATOR in end:
        raise click.BadParameter(
            f"expected START...END (e.g. 2024-01-01...2024-01-31), got {text!r}.",
            param_hint="--partition-range",
        )
    return PartitionKeyRange(start.strip(), end.strip())


def run_new_backfill(
    defs: Definitions,
    select: str,
    *,
    keys: list[str] | None,
    rng: PartitionKeyRange | None,
    all_partitions: bool,
    tags: dict[str, str],
) -> None:
    """Launch a backfill, execute it with progress, print the outcome and exit accordingly."""
    from headwater.orchestration.backfills.launch import execute_backfill, launch_backfill

    console = make_console()
    instance = current_instance()
    launched = launch_backfill(
        defs, select, instance=instance, partition_keys=keys, partition_key_range=rng,
        all_partitions=all_partitions, tags=tags,
    )  # fmt: skip
    console.print(
        f"Launched backfill [bold]{launched.backfill_id}[/] ({_describe(launched)})",
        soft_wrap=True,
    )
    done = _follow(console, defs, launched, instance, execute_backfill)
    _finish(console, done)


def _follow(
    console: AnyConsole,
    defs: Definitions,
    backfill: PartitionBackfill,
    instance: Instance,
    run: Any,
) -> PartitionBackfill:
    from headwater.cli.backfill_progress import BackfillProgress

    try:
        with BackfillProgress(console, backfill) as progress:
            done: PartitionBackfill = run(
                defs, backfill.backfill_id, instance, listeners=[progress.on_event],
                on_run_start=progress.on_run_start, on_run_end=progress.on_run_end,
            )  # fmt: skip
    except KeyboardInterrupt:
        console.print(
            f"[yellow]Interrupted.[/] Backfill {backfill.backfill_id} keeps its finished runs; "
            f"continue with `headwater backfill resume {backfill.backfill_id}` and the same "
            "-m/-f.",
            soft_wrap=True,
        )
        raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
    if progress.already_done:
        console.print(f"[dim]{progress.already_done} runs had already succeeded.[/]")
    return done


def _finish(console: AnyConsole, done: PartitionBackfill) -> None:
    from headwater.cli.backfill_progress import styled
    from headwater.storage.backfill_records import BulkActionStatus

    console.print(
        f"Backfill [bold]{done.backfill_id}[/] {styled(done.status.value)}.", soft_wrap=True
    )
    console.print(f"[dim]Details: headwater backfill show {done.backfill_id}[/]", soft_wrap=True)
    if done.status is not BulkActionStatus.COMPLETED_SUCCESS:
        raise click.exceptions.Exit(EXIT_RUN_FAILED)


def _describe(backfill: PartitionBackfill) -> str:
    runs = len(backfill.run_requests)
    assets = len(backfill.asset_selection)
    partitions = backfill.num_partitions
    return (
        f"{assets} asset{'s' * (assets != 1)}, {partitions:,} partition{'s' * (partitions != 1)}, "
        f"{runs:,} run{'s' * (runs != 1)}"
    )


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, indent=2, default=str)
