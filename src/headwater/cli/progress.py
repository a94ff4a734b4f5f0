"""Live progress of a run in the terminal, fed by the run's event listener.

On a terminal: a rich progress bar (steps done / total, the step running now) with finished
steps, log lines and failures printed above it as they happen. Elsewhere (pipes, CI logs):
one plain line per finished step, e.g. ``[12/40] step raw_flights succeeded in 1.2s``.
"""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from headwater.cli.format import format_duration
from headwater.cli.render.markup import escape
from headwater.cli.steps import RunSummary, StepSummary, apply_event, error_headline
from headwater.events.types import EventType

if TYPE_CHECKING:
    from rich.progress import Progress

    from headwater.cli.render.console import AnyConsole
    from headwater.events.records import EventLogEntry

_MIN_REFRESH_INTERVAL = 0.05  # seconds; keeps a run of many fast steps from flooding the tty
_LEVEL_STYLES = {logging.WARNING: "yellow", logging.ERROR: "red", logging.CRITICAL: "bold red"}


class RunProgress:
    """Shows a run's progress; pass :meth:`on_event` as a run listener.

    Args:
        console: where to draw.
        total_steps: how many steps the plan has.
        log_level: the lowest level of log messages to show (``logging.INFO`` by default).
        header: a line (rich markup) printed when the run starts.

    Use as a context manager; the live display starts with the first event, so an error
    raised before the run starts (e.g. invalid config) leaves no half-drawn bar behind.
    """

    def __init__(
        self,
        console: AnyConsole,
        total_steps: int,
        log_level: int = logging.INFO,
        header: str | None = None,
    ) -> None:
        self.console = console
        self.header = header
        self._started = False
        self.total = total_steps
        self.log_level = log_level
        self.summary = RunSummary()
        self.done = 0
        self._live = console.is_terminal and not console.is_dumb_terminal
        self._progress: Progress | None = None
        self._task: Any = None
        self._running: list[str] = []
        self._last_refresh = 0.0

    # -- context manager ------------------------------------------------------------------
    def __enter__(self) -> RunProgress:
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

    # -- events ---------------------------------------------------------------------------
    def on_event(self, event: EventLogEntry) -> None:
        """Update the display with one event of the run."""
        if not self._started:
            self._started = True
            if self.header:
                self._print(self.header)
            if self._live:
                self._start_live()
        step = apply_event(self.summary, event)
        kind = event.event_type
        if kind is EventType.STEP_START and step is not None:
            self._running.append(step.key)
            self._update_description()
        elif kind in (EventType.STEP_SUCCESS, EventType.STEP_FAILURE, EventType.STEP_SKIPPED):
            if step is not None:
                self._finish(step)
        elif kind is EventType.LOG_MESSAGE and event.level >= self.log_level:
            self._log(event)
        elif kind in (EventType.ENGINE_EVENT, EventType.HOOK_ERRORED) and event.error is not None:
            self._print(f"[red]✗ {escape(error_headline(event.error))}[/]")

    def _finish(self, step: StepSummary) -> None:
        self.done += 1
        if step.key in self._running:
            self._running.remove(step.key)
        if self._progress is not None:
            self._progress.update(self._task, completed=self.done)
        self._update_description()
        self._print(self._step_line(step))

    def _step_line(self, step: StepSummary) -> str:
        counter = f"[{self.done}/{self.total}]"
        name = escape(step.key)
        if step.status == "SUCCESS":
            mark = "[green]✓[/] " if self._live else ""
            took = format_duration(step.duration)
            return f"{mark}{escape(counter)} step {name} succeeded in {took}"
        if step.status == "FAILURE":
            mark = "[red]✗[/] " if self._live else ""
            return (
                f"{mark}[red]{escape(counter)} step {name} failed after "
                f"{format_duration(step.duration)}: {escape(error_headline(step.error))}[/]"
            )
        if step.skip_reason == "unchanged":
            mark = "[green]=[/] " if self._live else ""
            return f"{mark}{escape(counter)} step {name} skipped: unchanged since it last ran"
        upstream = ", ".join(step.skipped_because) or "upstream"
        mark = "[yellow]-[/] " if self._live else ""
        return (
            f"{mark}[yellow]{escape(counter)} step {name} skipped: upstream "
            f"{escape(upstream)} did not succeed[/]"
        )

    def _log(self, event: EventLogEntry) -> None:
        style = next(
            (s for lvl, s in sorted(_LEVEL_STYLES.items(), reverse=True) if event.level >= lvl),
            "dim",
        )
        where = escape(event.step_key or "run")
        level = logging.getLevelName(event.level)
        self._print(f"    [{style}]{where} {level}: {escape(event.message)}[/]")

    # -- drawing --------------------------------------------------------------------------
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
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=cast("Console", self.console),  # live only on a terminal: a rich console
            transient=True,
        )
        self._task = self._progress.add_task("starting", total=self.total)
        self._progress.start()

    def _update_description(self) -> None:
        if self._progress is None:
            return
        text = ", ".join(self._running) if self._running else ""
        self._progress.update(self._task, description=escape(text))
        now = time.monotonic()
        if now - self._last_refresh >= _MIN_REFRESH_INTERVAL:  # else the next tick shows it
            self._last_refresh = now
            self._progress.refresh()
