"""The ``launchBackfill`` and ``resumeBackfill`` mutations: backfills the daemon runs.

A backfill launched here is planned by its code location's server and stored as
``headwater backfill launch --background`` stores it; the daemon's backfill loop queues its
runs. The webserver itself loads no user code.
"""

from typing import Any

import strawberry
from strawberry.types import Info

from headwater.errors import HeadwaterError
from headwater.webserver.graphql.common import AssetKeyInput, TagInput, UserError
from headwater.webserver.graphql.locations import Backfill

__all__ = ["BackfillPayload", "LaunchBackfillInput", "launch_backfill", "resume_backfill"]


@strawberry.input(description="A range of partition keys of a backfill, both ends included.")
class BackfillRangeInput:
    start: str
    end: str


@strawberry.input(
    description="A backfill: assets of one code location and their partitions (exactly one of "
    "partitionKeys, partitionRange, allPartitions)."
)
class LaunchBackfillInput:
    asset_keys: list[AssetKeyInput] = strawberry.field(
        default_factory=list, description="The assets to backfill."
    )
    selection: str | None = strawberry.field(
        default=None, description="More assets, in the selection grammar (e.g. 'events+')."
    )
    partition_keys: list[str] | None = strawberry.field(
        default=None, description="These partitions."
    )
    partition_range: BackfillRangeInput | None = strawberry.field(
        default=None, description="A range of partitions."
    )
    all_partitions: bool = strawberry.field(default=False, description="Every partition.")
    tags: list[TagInput] | None = strawberry.field(
        default=None, description="Tags added to every run of the backfill."
    )


@strawberry.type(description="A backfill after a change.")
class BackfillPayload:
    backfill: Backfill | None
    errors: list[UserError]


def _failed(message: str, kind: str = "INVALID", field: str | None = None) -> BackfillPayload:
    return BackfillPayload(backfill=None, errors=[UserError(message=message, kind=kind,
                                                            field=field)])  # fmt: skip


def _location_of(info: Info, input: LaunchBackfillInput) -> str | BackfillPayload:
    """The one code location declaring the selected assets, or the error payload."""
    from headwater.webserver.graphql.mutations import selected_paths

    index = info.context.index()
    paths = [tuple(k.path) for k in input.asset_keys]
    if input.selection:
        try:
            paths += selected_paths(index, input.selection)
        except HeadwaterError as exc:
            return _failed(str(exc), field="selection")
    if not paths:
        return _failed("Select at least one asset (assetKeys or selection).", field="assetKeys")
    unknown = sorted({"/".join(p) for p in paths if p not in index.nodes})
    if unknown:
        return _failed(f"No code location declares the assets {unknown}.", "NOT_FOUND",
                       "assetKeys")  # fmt: skip
    locations = {index.nodes[p].location_name for p in paths}
    if len(locations) > 1:
        return _failed(
            f"The assets belong to several code locations ({sorted(locations)}); "
            "backfill each location's assets separately.", field="assetKeys",
        )  # fmt: skip
    return str(locations.pop())


def launch_backfill(info: Info, input: LaunchBackfillInput) -> BackfillPayload:
    """Plan and store a background backfill (see the module)."""
    from headwater.webserver.launching import LaunchFailure, backfill_in_location

    chosen = sum([input.partition_keys is not None, input.partition_range is not None,
                  input.all_partitions])  # fmt: skip
    if chosen != 1:
        return _failed("Give exactly one of partitionKeys, partitionRange and allPartitions.",
                       "PARTITION", "partitionKeys")  # fmt: skip
    location = _location_of(info, input)
    if isinstance(location, BackfillPayload):
        return location
    rng = input.partition_range
    request: dict[str, Any] = {
        "selection": input.selection or None,
        "asset_selection": [list(k.path) for k in input.asset_keys] or None,
        "partition_keys": input.partition_keys,
        "partition_range": None if rng is None else [rng.start, rng.end],
        "all_partitions": input.all_partitions,
        "tags": None if input.tags is None else {t.key: t.value for t in input.tags},
    }
    result = backfill_in_location(info.context.state, location, request)
    if isinstance(result, LaunchFailure):
        field = "partitionKeys" if result.kind == "PARTITION" else None
        return _failed(result.message, result.kind, field)
    stored = info.context.instance.get_backfill(result)
    return BackfillPayload(backfill=Backfill(_backfill=stored), errors=[])


def resume_backfill(info: Info, backfill_id: strawberry.ID) -> BackfillPayload:
    """Make a stopped background backfill REQUESTED again (see ``resume_in_background``)."""
    from headwater.errors import BackfillNotFoundError
    from headwater.orchestration.backfills.background import resume_in_background

    try:
        found = resume_in_background(info.context.instance, str(backfill_id))
    except BackfillNotFoundError as exc:
        return _failed(str(exc), "NOT_FOUND", "backfillId")
    except HeadwaterError as exc:
        return _failed(str(exc), "INVALID", "backfillId")
    return BackfillPayload(backfill=Backfill(_backfill=found), errors=[])
