"""The partition status of one asset, summarized as ranges of consecutive partition keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from headwater.declarations.partitions.base import PartitionKeyRange
from headwater.storage.records import AssetPartitionStatus

MISSING = "MISSING"


@dataclass(frozen=True, slots=True)
class StatusRange:
    """Consecutive partitions sharing one status (``status`` is an AssetPartitionStatus value
    or ``"MISSING"``)."""

    start: str
    end: str
    status: str
    count: int

    @property
    def key_range(self) -> PartitionKeyRange:
        """The range as a :class:`PartitionKeyRange`."""
        return PartitionKeyRange(self.start, self.end)


@dataclass(frozen=True, slots=True)
class AssetPartitionsSummary:
    """Materialized, failed, in-progress and missing partitions of one asset.

    Returned by :meth:`~headwater.Instance.get_asset_partitions_summary`; the status of a
    single partition is an :class:`~headwater.AssetPartitionStatus`. (Renamed from
    ``AssetPartitionsStatus``, which still imports from ``headwater`` with a warning.)

    Attributes:
        partition_keys: every partition key of the asset's definition, in order.
        statuses: the status of each partition that has one (others are missing).

    Example:
        >>> from headwater import AssetPartitionStatus, AssetPartitionsSummary
        >>> summary = AssetPartitionsSummary(
        ...     ["d1", "d2", "d3", "d4"],
        ...     {"d1": AssetPartitionStatus.MATERIALIZED, "d2": AssetPartitionStatus.MATERIALIZED,
        ...      "d3": AssetPartitionStatus.FAILED},
        ... )
        >>> summary.failed, summary.missing
        (['d3'], ['d4'])
        >>> summary.counts()
        {'MATERIALIZED': 2, 'FAILED': 1, 'IN_PROGRESS': 0, 'MISSING': 1}
        >>> [(r.start, r.end, r.status) for r in summary.ranges()]
        [('d1', 'd2', 'MATERIALIZED'), ('d3', 'd3', 'FAILED'), ('d4', 'd4', 'MISSING')]
    """

    partition_keys: Sequence[str]
    statuses: Mapping[str, AssetPartitionStatus]

    def _with(self, status: AssetPartitionStatus) -> list[str]:
        return [k for k in self.partition_keys if self.statuses.get(k) is status]

    @property
    def materialized(self) -> list[str]:
        """Partitions whose latest materialization succeeded."""
        return self._with(AssetPartitionStatus.MATERIALIZED)

    @property
    def failed(self) -> list[str]:
        """Partitions whose latest run did not materialize them."""
        return self._with(AssetPartitionStatus.FAILED)

    @property
    def in_progress(self) -> list[str]:
        """Partitions being materialized by a run that has not finished."""
        return self._with(AssetPartitionStatus.IN_PROGRESS)

    @property
    def missing(self) -> list[str]:
        """Partitions never materialized nor planned."""
        return [k for k in self.partition_keys if k not in self.statuses]

    def counts(self) -> dict[str, int]:
        """Number of partitions per status (``MISSING`` included)."""
        out = {s.value: 0 for s in AssetPartitionStatus} | {MISSING: 0}
        for key in self.partition_keys:
            status = self.statuses.get(key)
            out[status.value if status is not None else MISSING] += 1
        return out

    def ranges(self) -> list[StatusRange]:
        """The partitions as runs of consecutive keys with the same status, in order."""
        out: list[StatusRange] = []
        start = end = ""
        current: str | None = None
        count = 0
        get = self.statuses.get
        for key in self.partition_keys:
            value = get(key, MISSING)  # statuses are StrEnum members: plain strings
            if value != current:
                if current is not None:
                    out.append(StatusRange(start, end, str(current), count))
                start, current, count = key, value, 0
            end = key
            count += 1
        if current is not None:
            out.append(StatusRange(start, end, str(current), count))
        return out
