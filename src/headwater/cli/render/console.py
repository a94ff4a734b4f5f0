"""The console a command writes to: rich on a terminal, :class:`PlainConsole` elsewhere."""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING, Any

from headwater.cli.render.markup import strip

if TYPE_CHECKING:
    from typing import TypeAlias

    from rich.console import Console

    AnyConsole: TypeAlias = Console | "PlainConsole"
    """What commands print to: a rich ``Console`` or a :class:`PlainConsole`."""

# Environment variables with which rich treats a stream as a terminal although it is not one
# (CI systems that show colours): keep rich's output for them.
_FORCE_TERMINAL_VARS = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


class PlainConsole:
    """Writes what a rich console would show, without styles: one ``print`` per line(s).

    It has the part of rich's ``Console`` interface the commands use (``print``,
    ``is_terminal``, ``is_dumb_terminal``, ``file``), so code written for one works with the
    other. Tables are printed at their natural width and long lines are never wrapped, so a
    record stays on one line for ``grep`` and scripts.

    Args:
        file: the stream to write to (flushed after every ``print``).

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> PlainConsole(out).print("[bold]Run[/] [green]succeeded[/]")
        >>> out.getvalue()
        'Run succeeded\\n'
    """

    is_terminal = False
    is_dumb_terminal = False

    def __init__(self, file: IO[str]) -> None:
        self.file = file

    def print(
        self, *objects: Any, sep: str = " ", end: str = "\n", markup: bool = True, **_: Any
    ) -> None:
        """Write ``objects`` (markup strings, :class:`~headwater.cli.render.table.Table`s or
        anything with ``str()``) separated by ``sep``; styles and wrapping options are
        accepted and ignored."""
        parts = []
        for obj in objects:
            if isinstance(obj, str):
                parts.append(strip(obj) if markup else obj)
            elif hasattr(obj, "plain_text"):
                parts.append(obj.plain_text())
            else:
                parts.append(str(obj))
        self.file.write(sep.join(parts) + end)
        self.file.flush()


def make_console(stderr: bool = False) -> AnyConsole:
    """The console for stdout (or stderr): rich when it is a terminal (or rich is told to treat
    it as one), else a :class:`PlainConsole`, which does not import rich.

    The stream is bound now: while a step runs, ``sys.stdout`` is the step's capture file.
    """
    stream = sys.stderr if stderr else sys.stdout
    isatty = getattr(stream, "isatty", None)
    terminal = bool(isatty and isatty())
    if not terminal and not any(os.environ.get(name) for name in _FORCE_TERMINAL_VARS):
        return PlainConsole(stream)
    from rich.console import Console

    console = Console(file=stream, highlight=False, emoji=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(file=stream, highlight=False, emoji=False, width=200)
    return console
