"""``headwater run wait`` and ``headwater run terminate``: follow and stop background runs."""

from __future__ import annotations

import sys

import click

from headwater.cli.context import current_instance
from headwater.cli.options import EXIT_RUN_FAILED, make_console, verbose_option
from headwater.cli.run_lookup import find_run


@click.command("wait")
@click.argument("run_id")
@click.option(
    "--timeout", type=click.FloatRange(min=0), metavar="SECONDS",
    help="Give up after this many seconds (exit 1). Default: wait as long as it takes.",
)  # fmt: skip
@verbose_option
def run_wait(run_id: str, timeout: float | None) -> None:
    """Wait until RUN_ID has finished; exit 0 if it succeeded, 1 otherwise.

    RUN_ID may be a unique prefix of the id. A run still going when --timeout passes exits 1.
    """
    from headwater.cli.format import styled_status
    from headwater.orchestration.launcher import wait_for_run

    instance = current_instance()
    run_id = find_run(instance, run_id).run.run_id
    run = wait_for_run(instance, run_id, timeout=timeout, poll_interval=0.2)
    console = make_console()
    if not run.is_finished:
        console.print(
            f"Run {run_id} is still {styled_status(run.status.value)} after {timeout:g}s.",
            soft_wrap=True,
        )
        sys.exit(EXIT_RUN_FAILED)
    console.print(f"Run {run_id} {styled_status(run.status.value)}", soft_wrap=True)
    if not run.is_success:
        console.print(f"[dim]Details: headwater run show {run_id}[/]", soft_wrap=True)
        sys.exit(EXIT_RUN_FAILED)


@click.command("terminate")
@click.argument("run_id")
@click.option(
    "--grace-period", "grace_seconds", type=click.FloatRange(min=0), default=10.0,
    show_default=True, metavar="SECONDS",
    help="How long the worker has to stop after SIGTERM before it is killed.",
)  # fmt: skip
@verbose_option
def run_terminate(run_id: str, grace_seconds: float) -> None:
    """Terminate RUN_ID: CANCELING, the running step is interrupted, then CANCELED.

    A queued run is canceled before it starts; a finished run is left as it is (exit 0).
    """
    from headwater.orchestration.termination import terminate_run

    instance = current_instance()
    run_id = find_run(instance, run_id).run.run_id
    result = terminate_run(instance, run_id, grace_seconds=grace_seconds)
    make_console().print(result.message, markup=False, soft_wrap=True)
