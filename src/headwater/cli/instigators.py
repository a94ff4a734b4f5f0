"""What ``headwater schedule`` and ``headwater sensor`` share: finding one, its state, its ticks.

The commands load the code location in this process (as ``job list`` does) to know its
schedules and sensors, and read and write their state in the instance, where the daemon's
loops read it: ``start`` and ``stop`` take effect at the daemon's next look (about a second).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from headwater.cli.options import LocationArgs, make_console

if TYPE_CHECKING:
    from headwater.storage.instigator_records import (
        InstigatorId,
        InstigatorState,
        InstigatorTick,
    )


def instigator_id(location: LocationArgs, kind: str, name: str) -> InstigatorId:
    """The id of schedule or sensor ``name`` (``kind``: ``"SCHEDULE"``/``"SENSOR"``) of the
    location."""
    from headwater.storage.instigator_records import InstigatorId, InstigatorType

    return InstigatorId(instigator_type=InstigatorType(kind),
                        location_name=location.origin().location_name, name=name)  # fmt: skip


def find_definition(defs: Any, kind: str, name: str) -> Any:
    """The schedule or sensor ``name`` of ``defs``; a usage error listing them if none."""
    names = defs.schedule_names if kind == "SCHEDULE" else defs.sensor_names
    if name not in names:
        what = kind.lower()
        listed = ", ".join(names) or "none"
        raise click.UsageError(f"No {what} named {name!r} in the code location; its {what}s: "
                               f"{listed}.")  # fmt: skip
    return defs.get_schedule_def(name) if kind == "SCHEDULE" else defs.get_sensor_def(name)


def status_text(state: InstigatorState | None, default_status: Any) -> str:
    """``RUNNING``, ``STOPPED``, with `` (default)`` when never set."""
    default = str(getattr(default_status, "value", default_status))
    if state is None or state.status is None:
        return f"{default} (default)"
    return str(state.status)


def set_status(instigator: InstigatorId, definition: Any, running: bool) -> None:
    """``start``/``stop``: store the status (a started schedule counts its ticks from now)."""
    from headwater.cli.context import current_instance
    from headwater.storage.instigator_records import InstigatorStatus

    storage = current_instance().storage
    state = storage.get_instigator_state(instigator)
    wanted = InstigatorStatus.RUNNING if running else InstigatorStatus.STOPPED
    what = f"{instigator.instigator_type.lower()} {instigator.name!r}"
    console = make_console()
    default = str(definition.default_status.value)
    current = state.effective_status(default) if state else InstigatorStatus(default)
    if state is not None and state.status is wanted:
        console.print(f"The {what} is already {wanted.value}.")
        return
    if running and current is not InstigatorStatus.RUNNING:
        # its ticks count from now: starting never launches runs for past ticks
        storage.update_instigator_state(instigator, status=wanted, last_tick_timestamp=time.time())
    else:
        storage.update_instigator_state(instigator, status=wanted)
    by_default = state is None or state.status is None
    note = f" (was {current.value}{' by default' if by_default else ''})"
    console.print(f"The {what} is now {wanted.value}{note}; a running daemon "
                  "(`headwater daemon run`) picks this up within a second.")  # fmt: skip


def when(timestamp: float | None) -> str:
    """A local time, ``-`` for none."""
    if timestamp is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))


def tick_detail(tick: InstigatorTick) -> str:
    """One line about a tick: its runs, skip reason or error."""
    if tick.error:
        lines = [line for line in tick.error.splitlines() if line.strip()]
        return lines[0] if lines else "error"
    if tick.run_ids:
        return ", ".join(tick.run_ids)
    return tick.skip_reason or ""


def tick_json(tick: InstigatorTick) -> dict[str, Any]:
    """A tick as JSON."""
    return {
        "tick_id": tick.tick_id, "timestamp": tick.timestamp, "status": str(tick.status),
        "end_timestamp": tick.end_timestamp, "run_ids": list(tick.run_ids),
        "run_keys": list(tick.run_keys), "skip_reason": tick.skip_reason, "error": tick.error,
        "cursor_before": tick.cursor_before, "cursor_after": tick.cursor_after,
        "extra": tick.extra,
    }  # fmt: skip


def print_ticks(instigator: InstigatorId, limit: int, as_json: bool) -> None:
    """``ticks NAME``: the latest ticks, newest first."""
    from headwater.cli.context import current_instance
    from headwater.cli.render.markup import escape
    from headwater.cli.render.table import Table

    ticks = current_instance().storage.get_ticks(instigator, limit=limit)
    if as_json:
        click.echo(json.dumps([tick_json(t) for t in ticks], indent=2))
        return
    console = make_console()
    if not ticks:
        console.print(f"No ticks yet for {instigator.describe()}.")
        return
    table = Table(header_style="bold", pad_edge=False)
    for column in ("TICK", "STATUS", "RUNS", "DETAIL"):
        table.add_column(column)
    styles = {"SUCCESS": "green", "FAILURE": "red", "SKIPPED": "yellow", "STARTED": "blue"}
    for tick in ticks:
        status = str(tick.status)
        table.add_row(when(tick.timestamp), f"[{styles[status]}]{status}[/]",
                      str(len(tick.run_ids)), escape(tick_detail(tick)))  # fmt: skip
    console.print(table)


def print_requests(requests: Sequence[Any], indent: str = "  ") -> None:
    """The run requests of an evaluation, one line each."""
    from headwater.cli.render.markup import escape

    console = make_console()
    for request in requests:
        parts = []
        if request.run_key is not None:
            parts.append(f"run_key={request.run_key!r}")
        if request.job_name:
            parts.append(f"job={request.job_name}")
        if request.partition_key is not None:
            parts.append(f"partition={request.partition_key!r}")
        if request.asset_selection is not None:
            parts.append("assets=" + ",".join(k.to_user_string() for k in request.asset_selection))
        tags = {k: v for k, v in request.tags.items() if not k.startswith("headwater/")}
        if tags:
            parts.append(f"tags={tags}")
        if request.run_config:
            parts.append(f"config={json.dumps(dict(request.run_config), sort_keys=True)}")
        console.print(escape(f"{indent}RunRequest({', '.join(parts)})"), soft_wrap=True)


def fail_preview(exc: BaseException, what: str) -> None:
    """Print why a preview failed (the user's traceback included) and exit 1."""
    from headwater.cli.render.markup import escape

    console = make_console(stderr=True)
    trace = getattr(exc, "user_traceback", "") or ""
    if trace:
        console.print(escape(trace.rstrip()), style="dim", soft_wrap=True)
    console.print(f"[bold red]{escape(what)} failed:[/] [red]{escape(str(exc))}[/]",
                  soft_wrap=True)  # fmt: skip
    raise SystemExit(1)
