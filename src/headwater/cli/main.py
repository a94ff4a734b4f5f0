"""The ``headwater`` command: a click group and the ``main()`` entry point.

Exit codes: 0 success; 1 a run failed; 2 bad input (usage, code location, selection, config,
unknown run). Errors headwater raises on purpose are printed in red without a traceback
unless ``--verbose`` is given or ``HEADWATER_DEBUG=1`` is set.

Every command is registered here, explicitly: the groups below and, in each group's module,
its subcommands. Command modules import only click at module level, so that parsing the
command line (and ``--help``) stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from headwater import __version__
from headwater.cli.asset import asset
from headwater.cli.backfill import backfill
from headwater.cli.code_server import code_server
from headwater.cli.compat import compat
from headwater.cli.context import home_option, init_state
from headwater.cli.daemon import daemon
from headwater.cli.definitions_cmd import definitions
from headwater.cli.dev import dev
from headwater.cli.instance_cmd import instance
from headwater.cli.job import job
from headwater.cli.materialize import materialize
from headwater.cli.options import EXIT_BAD_INPUT, report_error, verbose_option
from headwater.cli.run import run
from headwater.cli.run_worker_cmd import run_worker
from headwater.cli.schedule import schedule
from headwater.cli.sensor import sensor
from headwater.cli.webserver import webserver
from headwater.errors import HeadwaterError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class HeadwaterGroup(click.Group):
    """A click group that turns :class:`HeadwaterError` into a short red message and exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        """Invoke the subcommand, reporting headwater errors instead of raising them."""
        try:
            return super().invoke(ctx)
        except HeadwaterError as exc:
            report_error(exc, ctx)
            ctx.exit(EXIT_BAD_INPUT)


@click.group(cls=HeadwaterGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="headwater")
@verbose_option
@home_option
@click.pass_context
def cli(ctx: click.Context, home: Path | None) -> None:
    """headwater: an asset-centric data orchestrator.

    Point commands at a code location with -m MODULE or -f FILE, or set
    [tool.headwater] module = "..." in pyproject.toml. Runs and events are stored
    in --home DIR, else $HEADWATER_HOME (default ./.headwater).
    """
    init_state(ctx, home)


cli.add_command(materialize)
cli.add_command(asset)
cli.add_command(definitions)
cli.add_command(run)
cli.add_command(backfill)
cli.add_command(job)
cli.add_command(compat)
cli.add_command(daemon)
cli.add_command(run_worker)
cli.add_command(instance)
cli.add_command(code_server)
cli.add_command(webserver)
cli.add_command(schedule)
cli.add_command(sensor)
cli.add_command(dev)


def main() -> None:
    """Entry point of the ``headwater`` script and of ``python -m headwater``."""
    cli(prog_name="headwater")


if __name__ == "__main__":
    main()
