"""``headwater job launch`` and ``headwater asset launch``: create a run to execute in the
background, print its id at once.

The run is validated here (unknown job, selection or partition, bad config: exit 2, no run
created) and recorded QUEUED with its code location origin and plan snapshot; the daemon's run
queue starts it (``headwater daemon run``). ``--now`` skips the queue and starts the run worker
directly. The run id alone goes to stdout (``RUN_ID=$(headwater job launch ...)``); what
happened goes to stderr.
"""

from __future__ import annotations

from typing import Any

import click

from headwater.cli.context import current_instance
from headwater.cli.options import LocationArgs, code_location_options, make_console, parse_tags

config_option = click.option(
    "-c", "--config", "config_file", metavar="FILE", type=click.Path(dir_okay=False),
    help="Run config as YAML (or JSON).",
)  # fmt: skip
tag_option = click.option(
    "--tag", "tags", multiple=True, metavar="KEY=VALUE", callback=parse_tags,
    help="Add a tag to the run (repeatable).",
)  # fmt: skip
now_option = click.option(
    "--now", is_flag=True,
    help="Start the run worker at once instead of queueing the run for the daemon.",
)  # fmt: skip


@click.command("launch")
@code_location_options
@click.option("--job", "job_name", required=True, metavar="NAME", help="The job to run.")
@config_option
@tag_option
@now_option
def launch_job(
    location: LocationArgs, job_name: str, config_file: str | None, tags: dict[str, str],
    now: bool,
) -> None:  # fmt: skip
    """Launch a run of the job NAME in the background and print its run id.

    The run is queued for the daemon (`headwater daemon run`), or started at once with --now.
    Follow it with `headwater run wait RUN_ID` or `headwater run show RUN_ID`.

    \b
    Example:
      headwater job launch -f defs.py --job nightly --tag team=data
    """
    defs = location.load()
    job = defs.get_job_def(job_name)
    _launch(location, job, config_file=config_file, tags=tags, now=now)


@click.command("launch")
@code_location_options
@click.option(
    "-s", "--select", required=True, metavar="EXPR",
    help="Assets to materialize, in the selection grammar (e.g. 'tag:team=data').",
)  # fmt: skip
@click.option("--partition", metavar="KEY", help="The partition to materialize.")
@click.option("--job", "job_name", metavar="NAME", help="Run within this job (its config/tags).")
@config_option
@tag_option
@now_option
def launch_assets(
    location: LocationArgs, select: str, partition: str | None, job_name: str | None,
    config_file: str | None, tags: dict[str, str], now: bool,
) -> None:  # fmt: skip
    """Launch a run materializing the selected assets in the background; print its run id.

    \b
    Example:
      headwater asset launch -f defs.py --select 'tag:team=data' --partition 2024-03-01
    """
    from headwater.cli.materialize import _resolve_selection
    from headwater.declarations.jobs.asset_jobs import IMPLICIT_ASSET_JOB_NAME
    from headwater.errors import InvalidInvocationError

    defs = location.load()
    job = defs.get_job_def(job_name or IMPLICIT_ASSET_JOB_NAME)
    if not job.is_asset_job:
        raise InvalidInvocationError(
            f"Job {job_name!r} is a job of ops; launch it with "
            f"`headwater job launch --job {job_name}`."
        )
    keys = _resolve_selection(defs, job, select)
    selection = sorted(keys, key=lambda k: k.path)
    _launch(location, job, config_file=config_file, tags=tags, now=now,
            asset_selection=selection, partition_key=partition)  # fmt: skip


def _launch(
    location: LocationArgs,
    job: Any,
    *,
    config_file: str | None,
    tags: dict[str, str],
    now: bool,
    asset_selection: Any = None,
    partition_key: str | None = None,
) -> None:
    from headwater.declarations.config.model import load_run_config_file
    from headwater.orchestration.submission import create_run_for_job

    instance = current_instance()
    run_config = load_run_config_file(config_file) if config_file else None
    run = create_run_for_job(
        instance, job, location=location.origin(), run_config=run_config, tags=tags,
        asset_selection=asset_selection, partition_key=partition_key, queued=not now,
    )  # fmt: skip
    click.echo(run.run_id)
    err = make_console(stderr=True)
    if not now:
        from headwater.daemon.status import is_daemon_running

        starter = (
            "The daemon will start it"
            if is_daemon_running(instance)
            else "[yellow]No daemon is running on this instance[/] (no fresh daemon heartbeat): "
            "start one with `headwater daemon run`, or launch with --now"
        )
        err.print(
            f"Queued run [bold]{run.run_id}[/] of job {job.name}. {starter}; follow it with "
            f"`headwater run wait {run.run_id}`.",
            soft_wrap=True,
        )
        return
    from headwater.orchestration.launcher import launch_run

    pid = launch_run(instance, run.run_id)
    err.print(
        f"Launched run [bold]{run.run_id}[/] of job {job.name} (run worker pid {pid}); "
        f"follow it with `headwater run wait {run.run_id}`.",
        soft_wrap=True,
    )
