"""``headwater materialize``: materialize a selection of assets in this process."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import click

from headwater.cli.context import current_instance
from headwater.cli.options import (
    EXIT_RUN_FAILED,
    LocationArgs,
    code_location_options,
    make_console,
    parse_tags,
)

if TYPE_CHECKING:
    from headwater.cli.render.console import AnyConsole
    from headwater.declarations.definitions import Definitions
    from headwater.declarations.jobs.definition import JobDefinition
    from headwater.execution.plan.execution_plan import ExecutionPlan, ExecutionStep
    from headwater.execution.plan.origin import CodeLocationOrigin
    from headwater.execution.run.in_process import RunPlan
    from headwater.keys import AssetKey


@click.command()
@code_location_options
@click.option(
    "-s",
    "--select",
    default="*",
    show_default=True,
    metavar="EXPR",
    help="Assets to materialize, in the selection grammar (e.g. 'raw_flights+', 'group:marts').",
)
@click.option(
    "-c",
    "--config",
    "config_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Run config as YAML (or JSON): ops/resources sections.",
)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    metavar="KEY=VALUE",
    callback=parse_tags,
    help="Add a tag to the run (repeatable).",
)
@click.option("--job", "job_name", metavar="NAME", help="Run within this job (its config/tags).")
@click.option("--partition", metavar="KEY", help="The partition to materialize.")
@click.option(
    "--skip-unchanged",
    is_flag=True,
    help="Skip assets whose code version and input data versions match their latest "
    "materialization (their stored values are reused).",
)
def materialize(
    location: LocationArgs,
    select: str,
    config_file: str | None,
    tags: dict[str, str],
    job_name: str | None,
    partition: str | None,
    skip_unchanged: bool,
) -> None:
    """Materialize the selected assets in this process, showing live progress.

    Exits 0 when the run succeeds, 1 when it fails, 2 on bad input (selection, config,
    definitions).

    \b
    Examples:
      headwater materialize -f defs.py
      headwater materialize -m my_project.defs --select 'raw_flights+' --tag team=data
    """
    materialize_in_process(
        location,
        select,
        config_file=config_file,
        tags=tags,
        job_name=job_name,
        partition=partition,
        skip_unchanged=skip_unchanged,
    )


def materialize_in_process(
    location: LocationArgs,
    select: str,
    *,
    config_file: str | None = None,
    tags: dict[str, str] | None = None,
    job_name: str | None = None,
    partition: str | None = None,
    skip_unchanged: bool = False,
) -> None:
    """Load the code location, plan the run once, show the plan, execute it and report.

    Shared by ``headwater materialize`` and ``headwater asset materialize --partition``.

    Raises:
        click.exceptions.Exit: with code 1 when the run failed.
        HeadwaterError: bad input (definitions, job, selection, config); nothing ran.
    """
    from headwater.declarations.jobs.asset_jobs import IMPLICIT_ASSET_JOB_NAME

    defs = location.load()
    job = defs.get_job_def(job_name or IMPLICIT_ASSET_JOB_NAME)
    if not job.is_asset_job:
        from headwater.errors import HeadwaterError

        raise HeadwaterError(
            f"Job {job_name!r} is a job of ops, not of assets; run it with "
            f"`headwater job execute {job_name}`."
        )
    keys = _resolve_selection(defs, job, select)
    run_config = _load_run_config(config_file)
    run_plan = _plan(job, keys, partition)
    console = make_console()
    result = _execute(
        console, job, run_plan, run_config, config_file, tags or {}, partition, skip_unchanged,
        origin=location.origin(),
    )  # fmt: skip
    _report(console, run_plan.plan, result)
    if not result.success:
        raise click.exceptions.Exit(EXIT_RUN_FAILED)


def _load_run_config(config_file: str | None) -> dict[str, Any] | None:
    if config_file is None:
        return None
    from headwater.declarations.config.model import load_run_config_file

    return load_run_config_file(config_file)


def _plan(job: JobDefinition, keys: frozenset[AssetKey], partition: str | None) -> RunPlan:
    """The run's plan, made once: the selected assets and their standalone checks, in execution
    order; shown before the run starts and then executed as it is."""
    from headwater.execution.run.in_process import plan_job_run

    return plan_job_run(
        job, instance=current_instance(), asset_selection=sorted(keys), partition_key=partition
    )


def _resolve_selection(defs: Definitions, job: Any, text: str) -> frozenset[AssetKey]:
    from headwater.asset_graph.selection import AssetSelection
    from headwater.errors import InvalidSelectionError

    graph = defs.resolve_asset_graph()
    try:
        selected = AssetSelection.from_string(text).resolve(graph)
    except InvalidSelectionError as exc:
        message = str(exc).replace(
            " (in Python, resolve(..., allow_missing=True) ignores missing keys)", ""
        )
        raise InvalidSelectionError(
            f"Invalid selection {text!r}: {message}\n"
            "See the asset keys with `headwater asset list`."
        ) from exc
    keys = job.resolve_selection() & selected
    if not keys:
        where = "" if job.is_implicit else f" in job {job.name!r}"
        raise InvalidSelectionError(
            f"The selection {text!r} matches no materializable asset{where}. "
            "See the asset keys with `headwater asset list`."
        )
    return frozenset(keys)


def _execute(
    console: AnyConsole,
    job: JobDefinition,
    run_plan: RunPlan,
    run_config: dict[str, Any] | None,
    config_file: str | None,
    tags: dict[str, str],
    partition: str | None,
    skip_unchanged: bool,
    *,
    origin: CodeLocationOrigin,
) -> Any:
    from headwater.cli.progress import RunProgress
    from headwater.errors import InvalidConfigError
    from headwater.execution.plan.origin import JobOrigin
    from headwater.execution.run.in_process import run_job_in_process

    run_id = str(uuid.uuid4())
    plan = run_plan.plan
    with RunProgress(console, total_steps=len(plan.steps), header=plan_header(plan, run_id)) as p:
        try:
            return run_job_in_process(
                job,
                run_plan=run_plan,
                run_config=run_config,
                instance=current_instance(),
                tags=tags,
                asset_selection=sorted(plan.asset_keys),
                partition_key=partition,
                skip_unchanged=skip_unchanged,
                run_id=run_id,
                raise_on_error=False,
                listeners=[p.on_event],
                job_origin=JobOrigin(location=origin, job_name=job.name),
            )
        except InvalidConfigError as exc:
            source = f"'{config_file}'" if config_file else "the job's default config"
            raise InvalidConfigError(f"Invalid run config from {source}: {exc}") from exc


def plan_header(plan: ExecutionPlan[ExecutionStep], run_id: str, limit: int = 12) -> str:
    """What is printed when the run starts: counts, the run id and the plan's steps in order
    (the first ``limit`` of them), as rich markup.

    Example:
        Materializing 2 assets in 2 steps (run 0f3c...)
          steps: numbers, total
    """
    from headwater.cli.render.markup import escape

    n, assets = len(plan.steps), len(plan.asset_keys)
    keys = plan.step_keys
    shown = ", ".join(keys[:limit]) + (f", ... ({n - limit} more)" if n > limit else "")
    return (
        f"Materializing {assets} asset{'s' * (assets != 1)} in {n} step{'s' * (n != 1)} "
        f"(run [bold]{run_id}[/])\n  [dim]steps:[/] {escape(shown)}"
    )


def _report(console: AnyConsole, plan: ExecutionPlan[ExecutionStep], result: Any) -> None:
    from headwater.cli.format import format_duration
    from headwater.cli.render.markup import escape
    from headwater.cli.steps import (
        render_asset_table,
        render_checks,
        render_failures,
        summarize_run,
    )

    summary = summarize_run(result.all_events)
    assets_by_step = {
        step.key: sorted(k.to_user_string() for k in step.assets_def.keys) for step in plan.steps
    }
    console.print()
    render_asset_table(console, summary, assets_by_step)
    render_checks(console, summary)
    console.print()
    events = result.all_events
    took = format_duration(events[-1].timestamp - events[0].timestamp) if events else "-"
    run_id = escape(result.run_id)
    if result.success:
        console.print(f"[bold green]Run {run_id} succeeded[/] in {took}.", soft_wrap=True)
    else:
        render_failures(console, summary, tracebacks=False)
        console.print(f"[bold red]Run {run_id} failed[/] after {took}.", soft_wrap=True)
    console.print(f"[dim]Details: headwater run show {run_id}[/]", soft_wrap=True)
