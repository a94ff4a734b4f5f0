"""What the commands share: code location options, consoles, tag parsing and error reporting.

Only click (and the rich-free ``render`` helpers) is imported at module level; rich and
headwater's heavier modules load inside the functions, so that ``headwater --help`` stays fast.
"""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click

from headwater.cli.render.console import make_console as make_console

if TYPE_CHECKING:
    from headwater.declarations.definitions import Definitions
    from headwater.execution.plan.origin import CodeLocationOrigin

F = TypeVar("F", bound=Callable[..., Any])

VERBOSE_KEY = "headwater.verbose"
DEBUG_ENV_VAR = "HEADWATER_DEBUG"
EXIT_RUN_FAILED = 1
EXIT_BAD_INPUT = 2


@dataclass(frozen=True, slots=True)
class LocationArgs:
    """The code location named on the command line (see ``orchestration.code_location``):
    ``-m``/``-f`` (with ``-a``/``-d``), or a location of a ``workspace.yaml`` (``-w``, chosen
    with ``--location`` when it lists several)."""

    module: str | None
    file: str | None
    attribute: str | None
    working_directory: str | None
    workspace: str | None = None
    location_name: str | None = None

    def load(self) -> Definitions:
        """Import the code location and return its validated ``Definitions``.

        Raises:
            CodeLocationError: it cannot be loaded.
            InvalidConfigError: the workspace file is invalid.
        """
        from headwater.orchestration.code_location import (
            load_definitions,
            load_definitions_from_origin,
        )

        if self.workspace is not None:
            return load_definitions_from_origin(self.origin())
        return load_definitions(
            module=self.module,
            file=self.file,
            attribute=self.attribute,
            working_directory=self.working_directory,
        )

    def origin(self) -> CodeLocationOrigin:
        """The location as a serializable origin (absolute paths; this interpreter, or the
        workspace entry's ``executable_path``).

        Raises:
            CodeLocationError: the options (or ``pyproject.toml``) name no single location.
            InvalidConfigError: the workspace file is invalid.
        """
        if self.workspace is not None:
            from headwater.orchestration.workspace import load_workspace

            return load_workspace(self.workspace).origin(self.location_name)
        from headwater.orchestration.code_location import resolve_code_location

        return resolve_code_location(
            module=self.module,
            file=self.file,
            attribute=self.attribute,
            working_directory=self.working_directory,
        ).to_origin()


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[VERBOSE_KEY] = True


verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_set_verbose,
    help=f"Show full tracebacks of errors (or set {DEBUG_ENV_VAR}=1).",
)


def code_location_options(func: F) -> F:
    """Add ``-m/-f/-a/-d``, ``-w/--location`` and ``--verbose``; the command receives
    ``location: LocationArgs``."""

    @functools.wraps(func)
    def wrapper(
        *args: Any,
        module: str | None,
        file: str | None,
        attribute: str | None,
        working_directory: str | None,
        workspace: str | None,
        location_name: str | None,
        **kwargs: Any,
    ) -> Any:
        _check_workspace_options(module, file, attribute, working_directory, workspace,
                                 location_name)  # fmt: skip
        location = LocationArgs(
            module, file, attribute, working_directory, workspace, location_name
        )
        return func(*args, location=location, **kwargs)

    options = [
        click.option(
            "-m",
            "--module",
            metavar="MODULE",
            help="Python module holding the Definitions (imported from the working directory).",
        ),
        click.option(
            "-f",
            "--file",
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help="Python file holding the Definitions.",
        ),
        click.option(
            "-a",
            "--attribute",
            metavar="NAME",
            help="Name of the Definitions attribute when the module has several.",
        ),
        click.option(
            "-d",
            "--working-directory",
            metavar="DIR",
            type=click.Path(file_okay=False, exists=True),
            help="Directory to load from (default: the current directory).",
        ),
        click.option(
            "-w",
            "--workspace",
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help="workspace.yaml listing code locations (instead of -m/-f).",
        ),
        click.option(
            "-l",
            "--location",
            "location_name",
            metavar="NAME",
            help="The location of the workspace to use, when it lists several.",
        ),
        verbose_option,
    ]
    decorated: Any = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def _check_workspace_options(
    module: str | None,
    file: str | None,
    attribute: str | None,
    working_directory: str | None,
    workspace: str | None,
    location_name: str | None,
) -> None:
    if workspace is None:
        if location_name is not None:
            raise click.UsageError("--location chooses a location of a workspace: add -w FILE.")
        return
    given = [flag for flag, value in (("-m", module), ("-f", file), ("-a", attribute),
                                      ("-d", working_directory)) if value]  # fmt: skip
    if given:
        raise click.UsageError(
            f"-w names the code locations; leave out {', '.join(given)} (a workspace entry "
            "sets its module or file, attribute and working directory)."
        )


def is_verbose(ctx: click.Context | None) -> bool:
    """Whether ``--verbose`` was given or ``HEADWATER_DEBUG`` is set."""
    if os.environ.get(DEBUG_ENV_VAR, "").strip().lower() in {"1", "true", "yes", "on"}:
        return True
    return bool(ctx is not None and ctx.meta.get(VERBOSE_KEY))


def parse_tags(
    _ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]
) -> dict[str, str]:
    """Click callback: ``("k=v", ...)`` -> dict; an item without ``=`` is a usage error."""
    tags: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}.")
        tags[key.strip()] = value
    return tags


def report_error(exc: BaseException, ctx: click.Context | None) -> None:
    """Print ``exc`` in red on stderr: its message, or its full traceback with ``--verbose``."""
    from headwater.cli.render.markup import escape

    console = make_console(stderr=True)
    if is_verbose(ctx):
        full = getattr(exc, "full_traceback", "") or "".join(traceback.format_exception(exc))
        console.print(escape(full.rstrip()), style="dim", soft_wrap=True)
    console.print(f"[bold red]Error:[/] [red]{escape(str(exc))}[/]", soft_wrap=True)
    if not is_verbose(ctx) and _has_cause(exc):
        console.print(
            f"[dim](run with --verbose or {DEBUG_ENV_VAR}=1 for the full traceback)[/]",
            soft_wrap=True,
        )


def _has_cause(exc: BaseException) -> bool:
    """Whether the full traceback would tell more: the error wraps an exception of user code
    (not a syntax error, whose line is already shown, nor a headwater error)."""
    from headwater.errors import HeadwaterError

    original = getattr(exc, "original", None)
    return original is not None and not isinstance(original, SyntaxError | HeadwaterError)
