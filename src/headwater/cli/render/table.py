"""A table of text cells, drawn by rich on a terminal and as aligned plain text elsewhere.

Built once by the commands; a rich console draws it through ``__rich__`` (rich is imported
then), a :class:`~headwater.cli.render.console.PlainConsole` through :meth:`Table.plain_text`.
Both draw it without borders: columns separated by two spaces, the header row first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from headwater.cli.render.markup import strip

Justify = Literal["left", "right"]


@dataclass(slots=True)
class _Column:
    header: str
    justify: Justify
    no_wrap: bool


@dataclass(slots=True)
class Table:
    """Rows of cells (strings of markup) under column headers.

    Args:
        header_style: the style of the header row on a terminal (e.g. ``"bold"``).
        title: a line printed above the table.
        title_justify: where the title goes on a terminal.
        pad_edge: pad the first and last columns on their outer side (one space).

    Example:
        >>> table = Table(header_style="bold", pad_edge=False)
        >>> table.add_column("Asset")
        >>> table.add_column("Rows", justify="right")
        >>> table.add_row("orders", "12")
        >>> print(table.plain_text())
        Asset   Rows
        orders    12
    """

    header_style: str | None = None
    title: str | None = None
    title_justify: Literal["left", "center", "right"] = "center"
    pad_edge: bool = True
    columns: list[_Column] = field(default_factory=list)
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def add_column(self, header: str, *, justify: Justify = "left", no_wrap: bool = False) -> None:
        """Add a column; on a terminal, ``no_wrap`` keeps its cells on one line."""
        self.columns.append(_Column(header, justify, no_wrap))

    def add_row(self, *cells: str) -> None:
        """Add a row of one cell per column (rich markup)."""
        self.rows.append(cells)

    def plain_text(self) -> str:
        """The table as lines of aligned text, markup removed, trailing spaces trimmed."""
        grid = [[strip(c.header) for c in self.columns]]
        grid += [[strip(cell) for cell in row] for row in self.rows]
        widths = [max(len(line[i]) for line in grid) for i in range(len(self.columns))]
        edge = " " if self.pad_edge else ""
        lines = [] if self.title is None else [strip(self.title)]
        for line in grid:
            cells = [
                cell.rstrip().rjust(width) if column.justify == "right" else cell.ljust(width)
                for cell, width, column in zip(line, widths, self.columns, strict=True)
            ]
            lines.append((edge + "  ".join(cells)).rstrip())
        return "\n".join(lines)

    def __rich__(self) -> Any:
        """The same table as a rich ``Table`` (used by rich consoles)."""
        from rich.table import Table as RichTable

        table = RichTable(
            box=None,
            pad_edge=self.pad_edge,
            header_style=self.header_style or "",
            title=self.title,
            title_justify=self.title_justify,
        )
        for column in self.columns:
            table.add_column(column.header, justify=column.justify, no_wrap=column.no_wrap)
        for row in self.rows:
            table.add_row(*row)
        return table
