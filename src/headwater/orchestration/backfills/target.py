"""What a backfill targets: its assets (a resolved selection) and partitions (keys, a range,
or all), validated where they enter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.declarations.partitions.base import PartitionError, PartitionKeyRange
from headwater.errors import InvalidSelectionError
from headwater.keys import AssetKey

if TYPE_CHECKING:
    from headwater.declarations.definitions import Definitions


@dataclass(frozen=True, slots=True, kw_only=True)
class BackfillTarget:
    """The partitions a backfill asks for: keys, a range, or all of them (exactly one)."""

    partition_keys: tuple[str, ...] | None = None
    partition_range: PartitionKeyRange | None = None
    all_partitions: bool = False

    @property
    def is_empty(self) -> bool:
        """Whether no partitions were asked for."""
        return (
            self.partition_keys is None and self.partition_range is None and not self.all_partitions
        )


def make_target(
    partition_keys: Sequence[str] | None,
    partition_key_range: PartitionKeyRange | None,
    all_partitions: bool,
) -> BackfillTarget:
    """Validate what partitions were asked for.

    Raises:
        PartitionError: more than one of the three was given, or the keys are not strings.
    """
    given = sum((partition_keys is not None, partition_key_range is not None, all_partitions))
    if given > 1:
        raise PartitionError(
            "Give only one of partition_keys, partition_key_range and all_partitions."
        )
    if isinstance(partition_keys, str):
        raise PartitionError(
            f"partition_keys must be a list of keys, got the string {partition_keys!r}; "
            f"use [{partition_keys!r}]."
        )
    keys = None if partition_keys is None else tuple(dict.fromkeys(partition_keys))
    if keys is not None and not keys:
        raise PartitionError("partition_keys is empty: give at least one partition key.")
    return BackfillTarget(
        partition_keys=keys, partition_range=partition_key_range, all_partitions=all_partitions
    )


def resolve_backfill_selection(defs: Definitions, selection: Any) -> list[AssetKey]:
    """The materializable keys of ``selection`` in topological order.

    Raises:
        InvalidSelectionError: unknown assets, or nothing materializable selected.
    """
    from headwater.declarations.jobs.asset_jobs import coerce_selection

    graph = defs.resolve_asset_graph()
    chosen = coerce_selection(selection).resolve(graph)
    keys = [k for k in graph.toposort(chosen) if graph.get(k).is_materializable]
    if not keys:
        raise InvalidSelectionError(
            f"The selection {selection!r} matches no materializable asset; nothing to backfill."
        )
    return keys
