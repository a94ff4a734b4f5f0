"""``headwater run show --follow``: a run's events printed as they are stored."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import click

from headwater.cli.options import make_console

if TYPE_CHECKING:
    from headwater.instance.instance import Instance


def follow_events(instance: Instance, run_id: str, *, as_json: bool = False) -> int:
    """Print every event of ``run_id`` (from the first) as it is stored, until the run ends.

    Uses :meth:`~headwater.storage.base.Storage.follow_run_events`, which waits for new events
    without polling the event log (NOTIFY on PostgreSQL). With ``as_json``, one JSON object per
    line (``storage_id``, ``timestamp``, ``event_type``, ``step_key``, ``message``).

    Returns:
        How many events were printed.
    """
    console = make_console()
    printed = 0
    for record in instance.storage.follow_run_events(run_id):
        event = record.event_log_entry
        printed += 1
        if as_json:
            row = {
                "storage_id": record.storage_id,
                "timestamp": event.timestamp,
                "event_type": event.event_type.value,
                "step_key": event.step_key,
                "message": event.message,
            }
            click.echo(json.dumps(row))
            continue
        stamp = time.strftime("%H:%M:%S", time.localtime(event.timestamp))
        console.print(
            f"{stamp} {event.event_type.value:<28} {event.step_key or '-'}: {event.message}",
            markup=False,
            soft_wrap=True,
        )
    return printed
