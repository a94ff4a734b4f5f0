"""Daemon heartbeats: which daemon runs each loop of an instance, and when it last ticked.

One row per loop name (``daemon_heartbeats`` table). A daemon writes the rows of its loops with
:meth:`~headwater.storage.base.DaemonStorage.claim_daemon_heartbeat`, a conditional upsert: the
row is written only when it is absent, already belongs to the same daemon, or belongs to a
daemon whose heartbeat has expired. The row named :data:`CONTROLLER_LOOP` says which daemon
owns the instance; a second daemon reads it to refuse to start (or to take over).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: The heartbeat row of the daemon as a whole: its owner owns every loop of the instance.
CONTROLLER_LOOP = "controller"


@dataclass(frozen=True, slots=True, kw_only=True)
class DaemonHeartbeat:
    """The last heartbeat of one daemon loop.

    Attributes:
        loop_name: the loop (``controller``, ``run_queue``, ``run_monitoring``, ...).
        daemon_id: the daemon process that wrote it (a new id per ``headwater daemon run``).
        timestamp: when it was written, in seconds since the epoch.
        last_error: the last error of the loop (a short traceback), or ``None``; a heartbeat
            written with ``None`` keeps the stored error.
        last_error_timestamp: when ``last_error`` happened.
        cursor: where the loop is in what it consumes (e.g. a storage id), or ``None``; a
            heartbeat written with ``None`` keeps the stored cursor.
        info: what identifies the daemon process: ``pid``, ``hostname``, ``started``.

    Example:
        >>> DaemonHeartbeat(loop_name="run_queue", daemon_id="d1", timestamp=0.0).last_error
    """

    loop_name: str
    daemon_id: str
    timestamp: float
    last_error: str | None = None
    last_error_timestamp: float | None = None
    cursor: str | None = None
    info: Mapping[str, Any] = field(default_factory=dict)

    def age(self, now: float) -> float:
        """Seconds since the heartbeat at ``now`` (epoch seconds)."""
        return max(0.0, now - self.timestamp)


def info_to_json(info: Mapping[str, Any]) -> str:
    """The ``info`` column of a heartbeat row."""
    return json.dumps(dict(info), separators=(",", ":"), sort_keys=True, default=str)


def info_from_json(text: str | None) -> dict[str, Any]:
    """The ``info`` mapping of a heartbeat row (empty when the column is empty)."""
    if not text:
        return {}
    loaded = json.loads(text)
    return loaded if isinstance(loaded, dict) else {}
