"""The ``backfills`` loop: drives the backfills launched to run in the background.

Every tick, each ``REQUESTED`` or ``CANCELING`` backfill that has a code location
(``headwater backfill launch --background``) is moved on by
:func:`~headwater.orchestration.backfills.background.advance_backfill`: the runs whose
upstream partitions succeeded are queued through its location's code server, and the run
queue starts them. The loop keeps nothing between ticks, so a daemon that dies mid-backfill
resumes it on restart from the stored runs, running no partition twice. A backfill whose
location this daemon does not serve (or that is not loaded now) waits.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from headwater.daemon.locations import CodeLocations, loaded_locations
from headwater.daemon.loop import DaemonLoop
from headwater.errors import CodeServerUnavailableError
from headwater.orchestration.backfills.background import advance_backfill, location_name
from headwater.storage.backfill_records import BulkActionStatus

if TYPE_CHECKING:
    from headwater.instance.instance import Instance
    from headwater.storage.backfill_records import PartitionBackfill

logger = logging.getLogger("headwater.daemon.backfills")

_ACTIVE = (BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING)


class BackfillLoop(DaemonLoop):
    """Queue the next runs of every background backfill, and finish the ones that are done.

    Args:
        instance: the instance holding the backfills and their runs.
        locations: the daemon's code locations (their code servers create the runs).

    Example:
        >>> # loop = BackfillLoop(instance, manager); loop.run_once()
    """

    name = "backfills"
    interval_seconds = 0.5

    def __init__(self, instance: Instance, locations: CodeLocations) -> None:
        self.instance = instance
        self.locations = locations

    def run_once(self) -> None:
        """Advance each active background backfill by one step."""
        backfills = self._active()
        if not backfills:
            return
        loaded = set(loaded_locations(self.locations))
        for backfill in backfills:
            name = location_name(backfill)
            client = self.locations.client(name) if name in loaded else None
            try:
                step = advance_backfill(self.instance, backfill, client)
            except CodeServerUnavailableError as exc:
                logger.warning("Backfill %s waits for its code location %r: %s",
                               backfill.backfill_id, name, exc)  # fmt: skip
                continue
            if step.queued or step.status is not backfill.status:
                logger.info("Backfill %s: queued %d run(s), now %s.", backfill.backfill_id,
                            len(step.queued), step.status.value)  # fmt: skip

    def _active(self) -> list[PartitionBackfill]:
        found: list[PartitionBackfill] = []
        for status in _ACTIVE:
            found += [b for b in self.instance.get_backfills(status=status)
                      if b.location is not None]  # fmt: skip
        return sorted(found, key=lambda b: b.create_timestamp)
