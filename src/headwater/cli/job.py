"""``headwater job``: list the jobs of a code location and execute one (asset or op job)."""

from __future__ import annotations

import json
import sys
import uuid

import click

from headwater.cli.context import current_instance
from headwater.cli.launch import launch_job
from headwater.cli.options import LocationArgs, code_location_options, make_console, parse_tags


@click.group()
def job() -> None:
    """List, execute and launch jobs."""


job.add_command(launch_job)


@job.command("list")
@code_location_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def list_jobs(location: LocationArgs, as_json: bool) -> None:
    """List the jobs defined in the code location, with their kind and description."""
    defs = location.load()
    rows = []
    for name in defs.job_names:
        job_def = defs.get_job_def(name)
        kind = "assets" if job_def.is_asset_job else "ops"
        rows.append({"name": name, "kind": kind, "description": job_def.description or ""})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    console = make_console()
    if not rows:
        console.print("No jobs are defined (use `headwater materialize` for assets).")
    for row in rows:
        console.print(f"{row['name']}  [dim]({row['kind']})[/]  {row['description']}")


@job.command("execute")
@click.argument("name")
@code_location_options
@click.option(
    "-c", "--config", "config_file", metavar="FILE", type=click.Path(dir_okay=False),
    help="Run config as YAML (or JSON).",
)  # fmt: skip
@click.option(
    "--tag", "tags", multiple=True, metavar="KEY=VALUE", callback=parse_tags,
    help="Add a tag to the run (repeatable).",
)  # fmt: skip
def execute_job_cmd(
    location: LocationArgs, name: str, config_file: str | None, tags: dict[str, str]
) -> None:
    """Execute the job NAME in this process (asset jobs and jobs of ops alike).

    Exits 0 when the run succeeds, 1 when it fails, 2 on bad input.
    """
    from headwater.cli.steps import render_failures, summarize_run
    from headwater.declarations.config.model import load_run_config_file
    from headwater.execution.plan.origin import JobOrigin
    from headwater.execution.run.in_process import run_job_in_process

    defs = location.load()
    job_def = defs.get_job_def(name)
    run_config = load_run_config_file(config_file) if config_file else None
    console = make_console()
    run_id = str(uuid.uuid4())
    console.print(f"Executing job [bold]{name}[/] (run [bold]{run_id}[/])")
    result = run_job_in_process(
        job_def, run_config=run_config, instance=current_instance(), tags=tags,
        raise_on_error=False, run_id=run_id,
        job_origin=JobOrigin(location=location.origin(), job_name=job_def.name),
    )  # fmt: skip
    summary = summarize_run(result.all_events)
    for key, step in summary.steps.items():
        console.print(f"  {step.status:<8} {key}", markup=False)
    if result.success:
        console.print(f"[bold green]Run {result.run_id} succeeded.[/]", soft_wrap=True)
        return
    render_failures(console, summary, tracebacks=False)
    console.print(f"[bold red]Run {result.run_id} failed.[/]", soft_wrap=True)
    sys.exit(1)
