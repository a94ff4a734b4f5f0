"""Plain rendering off a terminal shows what rich shows, without importing rich."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.markup import escape as rich_escape
from rich.text import Text

from headwater.cli.render.console import PlainConsole, make_console
from headwater.cli.render.markup import escape, strip
from headwater.cli.render.table import Table

# Text full of what markup cares about: brackets, slashes, backslashes, tag-like words.
TEXT = st.text(alphabet=st.sampled_from(list("ab/#@[]\\ 1=")), max_size=30)
CELL = st.text(alphabet=st.sampled_from(list("abc xyz-_.:/=0123")), max_size=12)


@given(TEXT)
def test_escape_agrees_with_rich(text: str) -> None:
    assert escape(text) == rich_escape(text)


@given(TEXT, st.sampled_from(["bold", "red", "bold green", "dim"]))
def test_strip_shows_the_text_rich_shows(text: str, style: str) -> None:
    markup = f"[{style}]{escape(text)}[/] and {escape(text)}"
    assert strip(markup) == Text.from_markup(markup).plain


def _rich_lines(renderable: object, width: int = 200) -> list[str]:
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False, emoji=False)
    console.print(renderable)
    return [line.rstrip() for line in out.getvalue().splitlines()]


@given(
    st.lists(CELL, min_size=1, max_size=4).flatmap(
        lambda headers: st.tuples(
            st.just(headers),
            st.lists(st.lists(CELL, min_size=len(headers), max_size=len(headers)), max_size=4),
            st.lists(
                st.sampled_from(["left", "right"]), min_size=len(headers), max_size=len(headers)
            ),
        )
    ),
    st.booleans(),
)
def test_a_table_is_laid_out_as_rich_lays_it_out(
    table_parts: tuple[list[str], list[list[str]], list[str]], pad_edge: bool
) -> None:
    headers, rows, justify = table_parts
    table = Table(header_style="bold", pad_edge=pad_edge)
    for header, side in zip(headers, justify, strict=True):
        table.add_column(header, justify=side, no_wrap=True)
    for row in rows:
        table.add_row(*row)
    plain = table.plain_text().splitlines()
    assert plain == _rich_lines(table.__rich__())[: len(plain)]


def test_plain_console_prints_markup_text_and_tables() -> None:
    out = io.StringIO()
    console = PlainConsole(out)
    table = Table(pad_edge=False, title="Runs")
    table.add_column("Run")
    table.add_column("Status")
    table.add_row("[bold]r1[/]", "[green]SUCCESS[/]")
    console.print("[bold red]Error:[/] [red]boom[/]")
    console.print("[not markup]", markup=False)
    console.print()
    console.print(table)
    assert out.getvalue() == "Error: boom\n[not markup]\n\nRuns\nRun  Status\nr1   SUCCESS\n"


def test_a_pipe_gets_a_plain_console_and_a_terminal_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert isinstance(make_console(), PlainConsole)
    monkeypatch.setattr(sys, "stdout", Tty())
    assert isinstance(make_console(), Console)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert isinstance(make_console(), Console)  # rich was told to colour this stream


def test_piped_commands_do_not_import_rich(home: Path, pipeline: Path, failing: Path) -> None:
    code = (
        "import sys\n"
        "from headwater.cli.main import cli\n"
        f"for args in (['materialize', '-f', {str(pipeline)!r}], ['run', 'list'],\n"
        f"             ['asset', 'list', '-f', {str(pipeline)!r}],\n"
        f"             ['materialize', '-f', {str(failing)!r}], ['run', 'show', 'nope']):\n"
        "    try:\n"
        "        cli(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('RICH', 'rich' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "Asset        Status   Duration  Metadata" in proc.stdout
    assert "cannot divide 1 by zero" in proc.stdout
    assert "No run with id 'nope'" in proc.stderr
    assert "RICH False" in proc.stdout
