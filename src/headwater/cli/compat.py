"""``headwater compat``: run an unchanged Dagster project on headwater, or scan one.

- ``headwater compat run -- CMD ARGS...`` runs any command with ``import dagster`` (and the
  Dagster modules headwater serves) resolved to headwater in every Python process it starts.
- ``headwater compat scan PATH`` reads a project's ``.py`` files without running them and lists
  every Dagster name, module or package it uses that headwater does not provide.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["compat"]


@click.group()
def compat() -> None:
    """Run or check Dagster code on headwater without changing it."""


@compat.command(
    "run",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def run_command(command: tuple[str, ...]) -> None:
    """Run COMMAND with `import dagster` resolved to headwater.

    Every Python process COMMAND starts (pytest, scripts, their subprocesses) gets the hook: the
    hook's directory is put first on PYTHONPATH. Put `--` before COMMAND:

        headwater compat run -- pytest tests/ -m "not integration"

    The exit code is COMMAND's.
    """
    from headwater.compat.run import real_dagster_location, run

    location = real_dagster_location()
    if location is not None:
        click.secho(
            f"warning: Dagster is installed in this environment ({location}); headwater "
            "shadows it: `import dagster` in this command imports headwater, not Dagster.",
            fg="yellow",
            err=True,
        )
    sys.stdout.flush()
    raise SystemExit(run(command))


@compat.command("scan")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def scan_command(path: Path, as_json: bool) -> None:
    """List the Dagster names, modules and packages under PATH that headwater lacks.

    Reads every .py file under PATH with Python's parser, never importing it. Prints
    FILE:LINE for every use headwater does not provide, then a summary. Exit code 0.
    """
    from headwater.compat.scan import format_report, scan

    report = scan(path)
    click.echo(report.to_json() if as_json else format_report(report), nl=not as_json)
