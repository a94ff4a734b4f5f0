"""``headwater run reexecute RUN_ID``: run a past run again, from failure or for some steps."""

from __future__ import annotations

import sys

import click

from headwater.cli.context import current_instance
from headwater.cli.options import LocationArgs, code_location_options, make_console
from headwater.cli.run_lookup import find_run


@click.command("reexecute")
@click.argument("run_id")
@code_location_options
@click.option(
    "--from-failure",
    is_flag=True,
    help="Run only the steps that failed, were skipped or never started; load the rest.",
)
@click.option("--step", "steps", multiple=True, metavar="KEY", help="Run only this step (repeat).")
def run_reexecute(
    location: LocationArgs, run_id: str, from_failure: bool, steps: tuple[str, ...]
) -> None:
    """Re-execute RUN_ID (a unique prefix is enough) with the current definitions.

    The definitions are loaded from the code location the run recorded (its origin) unless
    -m/-f name another one. Values of the steps that are not re-run are loaded with their IO
    managers, not recomputed. Exits 0 when the new run succeeds, 1 when it fails, 2 for bad
    input.
    """
    from headwater.cli.steps import render_asset_table, render_failures, summarize_run
    from headwater.declarations.jobs.asset_jobs import IMPLICIT_ASSET_JOB_NAME
    from headwater.errors import HeadwaterError
    from headwater.execution.plan.origin import JobOrigin
    from headwater.orchestration.reexecution import ReexecutionOptions, execute_job

    if from_failure and steps:
        raise HeadwaterError("Give either --from-failure or --step, not both.")
    console = make_console()
    instance = current_instance()
    parent = find_run(instance, run_id).run
    given = location.module or location.file or location.workspace
    if not given and parent.job_origin is not None:
        from headwater.orchestration.code_location import load_definitions_from_origin

        origin = parent.job_origin.location
        defs = load_definitions_from_origin(origin)
    else:
        defs = location.load()
        origin = location.origin()
    if parent.job_name == IMPLICIT_ASSET_JOB_NAME or parent.job_name not in defs.job_names:
        job = defs.get_implicit_global_asset_job_def()
    else:
        job = defs.get_job_def(parent.job_name)
    if from_failure:
        options = ReexecutionOptions.from_failure(parent.run_id, instance)
    else:
        options = ReexecutionOptions(
            parent_run_id=parent.run_id, step_selection=list(steps) or None
        )
    console.print(f"Re-executing run [bold]{parent.run_id}[/] ({parent.job_name})")
    result = execute_job(
        job, instance, reexecution_options=options,
        job_origin=JobOrigin(location=origin, job_name=job.name),
    )  # fmt: skip
    summary = summarize_run(result.all_events)
    assets_by_step: dict[str, list[str]] = {}
    for event in result.get_asset_materialization_events():
        if event.step_key and event.asset_key:
            assets_by_step.setdefault(event.step_key, []).append(event.asset_key.to_user_string())
    render_asset_table(console, summary, assets_by_step)
    if result.success:
        console.print(f"[bold green]Run {result.run_id} succeeded.[/]", soft_wrap=True)
        return
    render_failures(console, summary, tracebacks=False)
    console.print(f"[bold red]Run {result.run_id} failed.[/]", soft_wrap=True)
    sys.exit(1)
