"""The live run display: plain lines off a terminal, a rich progress bar on one."""

from __future__ import annotations

import io
import logging

from rich.console import Console

from headwater import AssetKey, EventLogEntry, EventType
from headwater.cli.format import format_duration, summarize_metadata, time_ago
from headwater.cli.progress import RunProgress


def _event(kind: EventType, step: str | None = None, **kwargs: object) -> EventLogEntry:
    return EventLogEntry(
        run_id="r1", timestamp=kwargs.pop("ts", 100.0), event_type=kind, step_key=step, **kwargs
    )


EVENTS = [
    _event(EventType.RUN_START),
    _event(EventType.STEP_START, "load", asset_key=AssetKey("load"), ts=100.0),
    _event(EventType.LOG_MESSAGE, "load", message="fetched 3 files"),
    _event(EventType.LOG_MESSAGE, "load", message="noisy detail", level=logging.DEBUG),
    _event(EventType.STEP_SUCCESS, "load", data={"duration_ms": 1234.0}, ts=101.2),
    _event(EventType.STEP_START, "clean", ts=101.3),
    _event(
        EventType.STEP_FAILURE,
        "clean",
        ts=101.8,
        level=logging.ERROR,
        data={
            "error": {
                "message": "Error in asset 'clean': KeyError: 'id'",
                "cls_name": "KeyError",
                "traceback": 'Traceback...\n  File "/proj/defs.py", line 7, in clean\n',
            }
        },
    ),
    _event(EventType.STEP_SKIPPED, "report", data={"upstream_failed": ["clean"]}),
    _event(EventType.RUN_FAILURE),
]


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=120, color_system=None), out


def test_plain_output_is_one_line_per_finished_step() -> None:
    console, out = _console(terminal=False)
    with RunProgress(console, total_steps=3, header="Materializing 3 assets") as progress:
        for event in EVENTS:
            progress.on_event(event)
    lines = out.getvalue().splitlines()
    assert lines == [
        "Materializing 3 assets",
        "    load INFO: fetched 3 files",
        "[1/3] step load succeeded in 1.2s",
        "[2/3] step clean failed after 500ms: Error in asset 'clean': KeyError: 'id' "
        "(at /proj/defs.py:7)",
        "[3/3] step report skipped: upstream clean did not succeed",
    ]
    assert [s.status for s in progress.summary.steps.values()] == ["SUCCESS", "FAILURE", "SKIPPED"]


def test_terminal_output_draws_a_progress_bar_and_clears_it() -> None:
    console, out = _console(terminal=True)
    with RunProgress(console, total_steps=3) as progress:
        for event in EVENTS:
            progress.on_event(event)
        assert progress._progress is not None  # live while running
    assert progress._progress is None  # stopped on exit
    text = out.getvalue()
    assert "3/3" in text  # the M/N column of the bar
    assert "✓ [1/3] step load succeeded" in text
    assert "✗ [2/3] step clean failed" in text


def test_no_event_no_output() -> None:
    console, out = _console(terminal=True)
    with RunProgress(console, total_steps=3, header="never shown"):
        pass
    assert out.getvalue() == ""


def test_formatters() -> None:
    assert format_duration(0.0123) == "12ms"
    assert format_duration(12.34) == "12.3s"
    assert format_duration(125) == "2m 05s"
    assert format_duration(7380) == "2h 03m"
    assert format_duration(None) == "-"
    assert time_ago(100.0, now=100.2) == "just now"
    assert time_ago(100.0, now=145.0) == "45s ago"
    assert time_ago(0.0, now=7200.0) == "2h ago"
    metadata = {
        "path": {"kind": "path", "value": "/data/x.parquet"},
        "schema": {"kind": "table_schema", "value": []},
        "dagster/row_count": {"kind": "int", "value": 1234567},
    }
    assert summarize_metadata(metadata) == "row_count=1,234,567 path=/data/x.parquet"
