"""``headwater backfill launch --background``: store a backfill for the daemon to run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.cli.context import current_instance
from headwater.cli.options import make_console

if TYPE_CHECKING:
    from headwater.cli.options import LocationArgs
    from headwater.declarations.partitions.base import PartitionKeyRange


def launch_in_background(
    location: LocationArgs,
    select: str,
    *,
    keys: list[str] | None,
    rng: PartitionKeyRange | None,
    all_partitions: bool,
    tags: dict[str, str],
) -> None:
    """Plan and store the backfill with its code location's origin, print how to follow it.

    The daemon's backfill loop (``headwater daemon run`` serving that location) queues its
    runs; this process returns at once (exit 0).
    """
    from headwater.orchestration.backfills.launch import launch_backfill

    defs = location.load()
    origin = location.origin()
    instance = current_instance()
    launched = launch_backfill(
        defs, select, instance=instance, partition_keys=keys, partition_key_range=rng,
        all_partitions=all_partitions, tags=tags, location=origin,
    )  # fmt: skip
    runs = len(launched.run_requests)
    console = make_console()
    console.print(
        f"Launched backfill [bold]{launched.backfill_id}[/] in the background ({runs:,} "
        f"run{'s' * (runs != 1)}): the daemon serving code location "
        f"[bold]{origin.location_name}[/] queues its runs.",
        soft_wrap=True,
    )
    console.print(
        f"[dim]Follow it: headwater backfill show {launched.backfill_id}; needs `headwater "
        "daemon run` with the same -m/-f/-w.[/]",
        soft_wrap=True,
    )
