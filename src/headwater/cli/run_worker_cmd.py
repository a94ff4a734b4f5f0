"""``headwater run-worker RUN_ID``: execute one stored run in this process (the launcher's
command; run it by hand to execute a QUEUED or NOT_STARTED run in the foreground)."""

from __future__ import annotations

import sys

import click

from headwater.cli.context import current_instance
from headwater.cli.options import make_console, verbose_option


@click.command("run-worker")
@click.argument("run_id")
@verbose_option
def run_worker(run_id: str) -> None:
    """Execute the stored run RUN_ID: load its code location from the run's origin, run its
    plan, record its events and heartbeats.

    Started by the launcher (`headwater job launch`, the daemon) with HEADWATER_HOME set.
    Exits 0 when the run succeeds, 1 when it fails or is canceled, 2 when the run cannot be
    executed (unknown, or already started or finished).
    """
    from headwater.orchestration.run_worker import execute_run_worker

    outcome = execute_run_worker(current_instance(), run_id)
    make_console(stderr=True).print(outcome.message, markup=False, soft_wrap=True)
    if outcome.exit_code:
        sys.exit(outcome.exit_code)
