"""Small text formatters for CLI output: durations, times, statuses and metadata."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

STATUS_STYLES = {
    "SUCCESS": "green",
    "FAILURE": "red",
    "SKIPPED": "yellow",
    "CANCELED": "yellow",
    "CANCELING": "yellow",
    "STARTED": "cyan",
    "STARTING": "cyan",
    "QUEUED": "blue",
    "NOT_STARTED": "dim",
    "NOT_RUN": "dim",
}

# Metadata entries worth a place in a one-line summary, most interesting first.
_PREFERRED_METADATA = ("dagster/row_count", "row_count", "num_rows", "rows", "records")
_SKIPPED_KINDS = frozenset({"json", "md", "table_schema", "null"})


def styled_status(status: str) -> str:
    """``status`` wrapped in rich markup of its colour."""
    style = STATUS_STYLES.get(status, "")
    return f"[{style}]{status}[/]" if style else status


def format_duration(seconds: float | None) -> str:
    """``"850ms"``, ``"12.3s"``, ``"4m 05s"`` or ``"2h 03m"``; ``"-"`` for ``None``."""
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f}ms"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


def time_ago(timestamp: float | None, now: float | None = None) -> str:
    """``"just now"``, ``"42s ago"``, ``"5m ago"``, ``"3h ago"`` or ``"2d ago"``."""
    if timestamp is None:
        return "-"
    delta = max(0.0, (time.time() if now is None else now) - timestamp)
    if delta < 1:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if delta >= size:
            return f"{int(delta // size)}{unit} ago"
    return f"{int(delta)}s ago"


def format_timestamp(timestamp: float | None) -> str:
    """Local time as ``YYYY-MM-DD HH:MM:SS``; ``"-"`` for ``None``."""
    if timestamp is None:
        return "-"
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M:%S")


def iso_timestamp(timestamp: float | None) -> str | None:
    """ISO 8601 local time with offset, for JSON output."""
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def metadata_value_text(entry: Mapping[str, Any]) -> str | None:
    """One serialized metadata value (``{"kind", "value"}``) as short text, or ``None`` for
    kinds too large to summarize (json, markdown, schemas)."""
    kind, value = entry.get("kind"), entry.get("value")
    if kind in _SKIPPED_KINDS:
        return None
    if kind == "int" and isinstance(value, int):
        return f"{value:,}"
    if kind == "float" and isinstance(value, float):
        return f"{value:.4g}"
    if kind == "timestamp" and isinstance(value, int | float):
        return format_timestamp(value)
    if kind == "asset" and isinstance(value, list):
        return "/".join(str(p) for p in value)
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def summarize_metadata(metadata: Mapping[str, Mapping[str, Any]] | None, limit: int = 3) -> str:
    """The most telling entries of serialized metadata as ``"row_count=1,234 path=..."``."""
    if not metadata:
        return ""
    names = sorted(metadata, key=lambda n: (n not in _PREFERRED_METADATA, _rank(n)))
    parts = []
    for name in names:
        text = metadata_value_text(metadata[name])
        if text is None:
            continue
        parts.append(f"{name.removeprefix('dagster/')}={text}")
        if len(parts) == limit:
            break
    return " ".join(parts)


def _rank(name: str) -> int:
    return _PREFERRED_METADATA.index(name) if name in _PREFERRED_METADATA else 0


def metadata_plain(metadata: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    """Serialized metadata reduced to ``name -> value`` for JSON output."""
    return {name: entry.get("value") for name, entry in (metadata or {}).items()}
