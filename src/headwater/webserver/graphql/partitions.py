"""An asset's partition status, as ranges of consecutive partition keys (never one item per
partition: 100,000 daily partitions are a handful of ranges)."""

from typing import Any

import strawberry

from headwater.errors import HeadwaterError
from headwater.keys import AssetKey
from headwater.webserver.state import AssetNode


@strawberry.type(description="Consecutive partitions with one status.")
class PartitionRange:
    start: str = strawberry.field(description="The first partition key of the range.")
    end: str = strawberry.field(description="The last partition key of the range (inclusive).")
    status: str = strawberry.field(description="MATERIALIZED, FAILED, IN_PROGRESS or MISSING.")
    count: int = strawberry.field(description="How many partitions the range holds.")


@strawberry.type(description="How many partitions have each status.")
class PartitionCounts:
    materialized: int
    failed: int
    in_progress: int
    missing: int
    total: int


@strawberry.type(description="The status of every partition of an asset, as ranges.")
class PartitionStatus:
    description: str = strawberry.field(description="The partitions definition in one line.")
    kind: str = strawberry.field(description="time_window, static, dynamic, multi or other.")
    counts: PartitionCounts
    ranges: list[PartitionRange] = strawberry.field(
        description="Every partition, in order, as runs of one status."
    )
    first_key: str | None = strawberry.field(description="The first partition key, if any.")
    last_key: str | None = strawberry.field(description="The last partition key, if any.")
    error: str | None = strawberry.field(
        default=None, description="Why the keys could not be listed (counts are then empty)."
    )


def partition_status_of(context: object, node: AssetNode) -> PartitionStatus | None:
    """The partition status of ``node``'s asset, or ``None`` when it is not partitioned."""
    from headwater.storage.partition_status import AssetPartitionsSummary

    partitions = node.definitions.partitions_of(node.snapshot)
    if partitions is None:
        return None
    instance = context.instance  # type: ignore[attr-defined]
    key = AssetKey(list(node.snapshot.key_path))
    try:
        keys = _keys(context, node, partitions, instance)
    except HeadwaterError as exc:
        empty = PartitionCounts(materialized=0, failed=0, in_progress=0, missing=0, total=0)
        return PartitionStatus(description=partitions.description, kind=partitions.kind,
                               counts=empty, ranges=[], first_key=None, last_key=None,
                               error=str(exc))  # fmt: skip
    summary = AssetPartitionsSummary(keys, instance.get_asset_partition_statuses(key))
    counts = summary.counts()
    return PartitionStatus(
        description=partitions.description, kind=partitions.kind,
        counts=PartitionCounts(materialized=counts["MATERIALIZED"], failed=counts["FAILED"],
                               in_progress=counts["IN_PROGRESS"], missing=counts["MISSING"],
                               total=len(keys)),
        ranges=[PartitionRange(start=r.start, end=r.end, status=r.status, count=r.count)
                for r in summary.ranges()],
        first_key=keys[0] if keys else None, last_key=keys[-1] if keys else None,
    )  # fmt: skip


def _keys(context: object, node: AssetNode, partitions: object, instance: object) -> list[str]:
    if partitions.kind != "other":  # type: ignore[attr-defined]
        pdef = _definition(partitions)
        return list(pdef.get_partition_keys(dynamic_partitions_store=instance))
    state = context.state  # type: ignore[attr-defined]
    client = state.manager.client(node.location_name)
    home = None if instance.is_ephemeral else str(instance.root_directory)  # type: ignore[attr-defined]
    return list(client.partition_keys(list(node.snapshot.key_path), instance_home=home))


_definitions: dict[object, object] = {}


def _definition(partitions: object) -> Any:
    """The ``PartitionsDefinition`` of a snapshot, made once: it keeps its keys for the current
    time, so 100,000 hourly keys are listed once, not per request."""
    found = _definitions.get(partitions)
    if found is None:
        if len(_definitions) > 1000:
            _definitions.clear()
        found = _definitions[partitions] = partitions.to_partitions_def()  # type: ignore[attr-defined]
    return found
