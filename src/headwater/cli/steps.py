"""Folding a run's events into per-step and per-asset summaries, and rendering them.

Used by ``materialize`` (its final table) and ``run show``; both read the same event records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from headwater.cli.format import format_duration, styled_status, summarize_metadata
from headwater.events.types import EventType

if TYPE_CHECKING:
    from headwater.cli.render.console import AnyConsole
    from headwater.events.records import EventLogEntry

_TRACEBACK_FILE_LINE = re.compile(r'^\s*File "([^"]+)", line (\d+)', re.MULTILINE)


@dataclass(slots=True)
class Materialization:
    """One ASSET_MATERIALIZATION of a run."""

    asset: str
    step_key: str | None
    partition: str | None
    timestamp: float
    metadata: Mapping[str, Mapping[str, Any]]


@dataclass(slots=True)
class StepSummary:
    """What happened to one step: status, timing, its assets and its error, if any.

    ``status`` is ``SUCCESS``, ``FAILURE``, ``SKIPPED``, ``STARTED`` (no terminal event) or
    ``NOT_RUN`` (planned but never started).
    """

    key: str
    status: str = "NOT_RUN"
    start: float | None = None
    end: float | None = None
    duration: float | None = None
    assets: list[str] = field(default_factory=list)
    error: Mapping[str, Any] | None = None
    skipped_because: list[str] = field(default_factory=list)
    skip_reason: str | None = None

    def add_asset(self, asset: str) -> None:
        """Record that the step concerns ``asset`` (once)."""
        if asset not in self.assets:
            self.assets.append(asset)


@dataclass(slots=True)
class RunSummary:
    """Steps (in order of first appearance) and materializations of a run."""

    steps: dict[str, StepSummary] = field(default_factory=dict)
    materializations: list[Materialization] = field(default_factory=list)
    run_error: Mapping[str, Any] | None = None
    #: check key ("asset:check") -> (passed, severity, description)
    checks: dict[str, tuple[bool, str, str | None]] = field(default_factory=dict)

    def step(self, key: str) -> StepSummary:
        """The summary of ``key``, created on first use."""
        found = self.steps.get(key)
        if found is None:
            found = self.steps[key] = StepSummary(key)
        return found

    @property
    def failed(self) -> list[StepSummary]:
        """Steps that failed."""
        return [s for s in self.steps.values() if s.status == "FAILURE"]

    def latest_metadata(self, asset: str) -> Mapping[str, Mapping[str, Any]]:
        """Metadata of the last materialization of ``asset`` in the run."""
        for mat in reversed(self.materializations):
            if mat.asset == asset:
                return mat.metadata
        return {}


def summarize_run(events: Iterable[EventLogEntry]) -> RunSummary:
    """Fold events (in order) into a :class:`RunSummary`."""
    summary = RunSummary()
    for event in events:
        apply_event(summary, event)
    return summary


def apply_event(summary: RunSummary, event: EventLogEntry) -> StepSummary | None:
    """Update ``summary`` with one event; return the step it concerned, if any."""
    kind = event.event_type
    if kind is EventType.ASSET_MATERIALIZATION and event.asset_key is not None:
        asset = event.asset_key.to_user_string()
        summary.materializations.append(
            Materialization(
                asset=asset,
                step_key=event.step_key,
                partition=event.partition,
                timestamp=event.timestamp,
                metadata=event.data.get("metadata") or {},
            )
        )
    elif kind is EventType.ENGINE_EVENT and event.error is not None:
        summary.run_error = event.error
    elif kind is EventType.ASSET_CHECK_EVALUATION and event.asset_key is not None:
        name = f"{event.asset_key.to_user_string()}:{event.data.get('check_name')}"
        summary.checks[name] = (
            bool(event.data.get("passed")),
            str(event.data.get("severity") or "ERROR"),
            event.data.get("description"),
        )
    if event.step_key is None:
        return None
    step = summary.step(event.step_key)
    if event.asset_key is not None and kind in (
        EventType.STEP_START,
        EventType.ASSET_MATERIALIZATION,
        EventType.STEP_OUTPUT,
    ):
        step.add_asset(event.asset_key.to_user_string())
    if kind is EventType.STEP_START:
        step.status, step.start = "STARTED", event.timestamp
    elif kind is EventType.STEP_SUCCESS:
        step.status, step.end = "SUCCESS", event.timestamp
        ms = event.data.get("duration_ms")
        step.duration = ms / 1000 if isinstance(ms, int | float) else _elapsed(step)
    elif kind is EventType.STEP_FAILURE:
        step.status, step.end, step.error = "FAILURE", event.timestamp, event.error
        step.duration = _elapsed(step)
    elif kind is EventType.STEP_SKIPPED:
        step.status, step.end = "SKIPPED", event.timestamp
        step.skipped_because = list(event.data.get("upstream_failed") or [])
        step.skip_reason = event.data.get("reason")
    return step


def _elapsed(step: StepSummary) -> float | None:
    if step.start is None or step.end is None:
        return None
    return max(0.0, step.end - step.start)


def error_headline(error: Mapping[str, Any] | None) -> str:
    """``"ValueError: boom (at defs.py:12)"`` from a failure's error payload."""
    if not error:
        return "unknown error"
    message = str(error.get("message") or "")
    cls_name = error.get("cls_name")
    if cls_name and f"{cls_name}:" not in message:
        message = f"{cls_name}: {message}"
    where = last_traceback_location(str(error.get("traceback") or ""))
    return f"{message} (at {where})" if where else message


def last_traceback_location(text: str) -> str | None:
    """``path:line`` of the innermost frame of a formatted traceback that is in user code
    (not in headwater, the standard library or installed packages), relative to the current
    directory when below it."""
    import os

    from headwater.orchestration.code_location import is_user_file

    user = [(p, n) for p, n in _TRACEBACK_FILE_LINE.findall(text) if is_user_file(p)]
    if not user:
        return None
    path, line = user[-1]
    cwd = os.getcwd() + os.sep
    return f"{path.removeprefix(cwd)}:{line}"


def render_asset_table(
    console: AnyConsole, summary: RunSummary, assets_by_step: Mapping[str, list[str]]
) -> None:
    """One row per asset: its step's status and duration, and its key metadata."""
    from headwater.cli.render.table import Table

    table = Table(pad_edge=False, header_style="bold")
    for column in ("Asset", "Status", "Duration", "Metadata"):
        table.add_column(column, no_wrap=column != "Metadata")
    for step_key, assets in assets_by_step.items():
        step = summary.steps.get(step_key) or StepSummary(step_key)
        for asset in assets or [step_key]:
            table.add_row(
                asset,
                styled_status(step.status),
                format_duration(step.duration),
                summarize_metadata(summary.latest_metadata(asset)),
            )
    console.print(table)


def render_step_table(console: AnyConsole, summary: RunSummary) -> None:
    """One row per step: status, duration and assets."""
    from headwater.cli.render.table import Table

    table = Table(pad_edge=False, header_style="bold")
    for column in ("Step", "Status", "Duration", "Assets"):
        table.add_column(column, no_wrap=column != "Assets")
    for step in summary.steps.values():
        table.add_row(
            step.key,
            styled_status(step.status),
            format_duration(step.duration),
            ", ".join(step.assets),
        )
    console.print(table)


def render_failures(console: AnyConsole, summary: RunSummary, *, tracebacks: bool) -> None:
    """The failed steps with their error (and traceback when ``tracebacks``)."""
    from headwater.cli.render.markup import escape

    for step in summary.failed:
        console.print(
            f"[bold red]✗ {escape(step.key)}[/] [red]{escape(error_headline(step.error))}[/]",
            soft_wrap=True,
        )
        if tracebacks and step.error and step.error.get("traceback"):
            console.print(
                escape(str(step.error["traceback"]).rstrip()), style="dim", soft_wrap=True
            )
    if summary.run_error is not None:
        console.print(
            f"[bold red]✗ run[/] [red]{escape(error_headline(summary.run_error))}[/]",
            soft_wrap=True,
        )
    skipped = [
        s.key for s in summary.steps.values() if s.status == "SKIPPED" and s.skip_reason is None
    ]
    if skipped:
        console.print(
            f"[yellow]Skipped because an upstream step failed: {escape(', '.join(skipped))}[/]",
            soft_wrap=True,
        )


def render_checks(console: AnyConsole, summary: RunSummary) -> None:
    """One line with the number of passed checks, then one line per failed check."""
    from headwater.cli.render.markup import escape

    if not summary.checks:
        return
    failed = {k: v for k, v in summary.checks.items() if not v[0]}
    passed = len(summary.checks) - len(failed)
    color = "green" if not failed else "yellow"
    console.print(
        f"[{color}]Asset checks: {passed} passed, {len(failed)} failed[/]", soft_wrap=True
    )
    for key, (_, severity, description) in failed.items():
        style = "red" if severity == "ERROR" else "yellow"
        detail = f": {escape(description)}" if description else ""
        console.print(f"  [{style}]✗ {escape(key)} ({severity}){detail}[/]", soft_wrap=True)
