"""Small markdown helpers for metadata previews and the report (no tabulate needed)."""

from __future__ import annotations

import math
import numbers
from typing import Any

import pandas as pd


def markdown_table(
    frame: pd.DataFrame, *, digits: int = 1, max_rows: int | None = None, thousands: bool = True
) -> str:
    """Render ``frame`` as a GitHub-flavoured markdown table.

    Args:
        frame: the rows to show; the index is not shown.
        digits: decimals shown for floats.
        max_rows: show at most this many rows (all when ``None``).
        thousands: group digits of numbers with commas (``12,345``); off for raw previews,
            where years and flight numbers are identifiers.

    Returns:
        The table, one line per row, without a trailing newline. Missing values are blank.

    Example:
        >>> print(markdown_table(pd.DataFrame({"carrier": ["UA"], "delay": [3.14159]})))
        | carrier | delay |
        | --- | ---: |
        | UA | 3.1 |
    """
    shown = frame if max_rows is None else frame.head(max_rows)
    header = "| " + " | ".join(_escape(str(c)) for c in shown.columns) + " |"
    aligns = ["---:" if pd.api.types.is_numeric_dtype(shown[c]) else "---" for c in shown.columns]
    sep = "," if thousands else ""
    lines = [header, "| " + " | ".join(aligns) + " |"]
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(value, digits, sep) for value in row) + " |")
    return "\n".join(lines)


def _cell(value: Any, digits: int, sep: str) -> str:
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return f"{value:{sep}}"
    if isinstance(value, numbers.Real):
        return "" if math.isnan(value) else f"{value:{sep}.{digits}f}"
    if isinstance(value, pd.Timestamp):
        return value.isoformat(sep=" ")
    return _escape(str(value))


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
