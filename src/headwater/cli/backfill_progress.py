"""Live progress of a backfill in the terminal, and the summaries ``backfill show`` prints.

On a terminal: a rich progress bar over the backfill's partitions (the run in progress as its
description), with failed and skipped runs printed above it. Elsewhere (pipes, CI logs): one
plain line per run, e.g. ``[12/365] events [2024-01-12] succeeded in 0.1s``.
"""

from __future__ import annotations

import time
from collections import Counter
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from headwater.cli.format import format_duration
from headwater.cli.render.markup import escape
from headwater.events.types import EventType

if TYPE_CHECKING:
    from rich.progress import Progress

    from headwater.cli.render.console import AnyConsole
    from headwater.events.records import EventLogEntry
    from headwater.orchestration.backfills.status import BackfillRunStatus
    from headwater.storage.backfill_records import BackfillRunRequest, PartitionBackfill

BACKFILL_STATUS_STYLES = {
    "REQUESTED": "cyan",
    "COMPLETED_SUCCESS": "green",
    "COMPLETED_FAILED": "red",
    "FAILED": "red",
    "CANCELING": "yellow",
    "CANCELED": "yellow",
    "SUCCEEDED": "green",
    "PENDING": "dim",
    "IN_PROGRESS": "cyan",
    "SKIPPED": "yellow",
}


def styled(status: str) -> str:
    """A backfill or partition status in its colour (rich markup)."""
    style = BACKFILL_STATUS_STYLES.get(status, "")
    return f"[{style}]{status}[/]" if style else status


def weight(request: BackfillRunRequest) -> int:
    """How many units a run request advances the bar: its partitions (1 if unpartitioned)."""
    return len(request.partition_keys) or 1


class BackfillProgress:
    """Shows a backfill's progress; pass its hooks to ``execute_backfill``.

    Args:
        console: where to draw.
        backfill: the backfill being executed.
    """

    def __init__(self, console: AnyConsole, backfill: PartitionBackfill) -> None:
        self.console = console
        self.total = sum(weight(r) for r in backfill.run_requests)
        self.runs = len(backfill.run_requests)
        self.done = 0
        self.counts: Counter[str] = Counter()
        self.already_done = 0
        self._live = console.is_terminal and not console.is_dumb_terminal
        self._progress: Progress | None = None
        self._task: Any = None
        self._started_at = 0.0
        self._error: str | None = None

    def __enter__(self) -> BackfillProgress:
        if self._live:
            self._start_live()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    # -- hooks ----------------------------------------------------------------------------
    def on_run_start(self, index: int, request: BackfillRunRequest) -> None:
        """A run is about to start."""
        self._started_at = time.monotonic()
        self._error = None
        if self._progress is not None:
            self._progress.update(self._task, description=escape(request.describe()))

    def on_event(self, event: EventLogEntry) -> None:
        """Keep the first step failure of the current run, for its line."""
        if event.event_type is EventType.STEP_FAILURE and self._error is None:
            from headwater.cli.steps import error_headline

            self._error = error_headline(event.error)

    def on_run_end(self, status: BackfillRunStatus) -> None:
        """A run request settled: advance the bar and report it."""
        self.done += weight(status.request)
        self.counts[status.status.value] += 1
        succeeded = status.status.value == "SUCCEEDED"
        if succeeded and self._started_at == 0.0:  # succeeded in an earlier attempt
            self.already_done += 1
        elif not (self._live and succeeded):  # on a terminal the bar shows successes
            self._print(self._line(status))
        self._started_at = 0.0
        if self._progress is not None:
            self._progress.update(self._task, completed=self.done)

    # -- drawing --------------------------------------------------------------------------
    def _line(self, status: BackfillRunStatus) -> str:
        counter = escape(f"[{self.done}/{self.total}]")
        what = escape(status.request.describe())
        took = format_duration(time.monotonic() - self._started_at)
        value = status.status.value
        if value == "SUCCEEDED":
            mark = "[green]✓[/] " if self._live else ""
            return f"{mark}{counter} {what} succeeded in {took}"
        if value == "FAILED":
            mark = "[red]✗[/] " if self._live else ""
            why = escape(self._error or "the run failed")
            run_id = status.run.run_id if status.run is not None else "-"
            return f"{mark}[red]{counter} {what} failed after {took}: {why} (run {run_id})[/]"
        mark = "[yellow]-[/] " if self._live else ""
        return f"{mark}[yellow]{counter} {what} skipped: partitions it loads did not succeed[/]"

    def _print(self, markup: str) -> None:
        self.console.print(markup, soft_wrap=True)

    def _start_live(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            SpinnerColumn(),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("partitions"),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=cast("Console", self.console),  # live only on a terminal: a rich console
            transient=True,
        )
        self._task = self._progress.add_task("starting", total=self.total)
        self._progress.start()
