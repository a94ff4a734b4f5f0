"""Backfill records: a persisted backfill, its status and its plan of runs.

A :class:`PartitionBackfill` is stored as JSON (see :func:`backfill_to_json`) in the
``backfills`` table, with its status and timestamps in indexed columns. Its plan, an ordered
tuple of :class:`BackfillRunRequest`, is fixed when the backfill is launched: resuming a
backfill runs the requests whose run did not succeed, in the same order.
"""

from __future__ import annotations

import json
import secrets
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from headwater.declarations.partitions.base import PartitionKeyRange
from headwater.keys import AssetKey

#: The run tag holding the id of the backfill a run belongs to.
BACKFILL_ID_TAG = "headwater/backfill"


class BulkActionStatus(StrEnum):
    """The lifecycle of a backfill.

    ``REQUESTED`` while runs remain to be executed; ``COMPLETED_SUCCESS`` when every run
    succeeded; ``COMPLETED_FAILED`` when every run was tried and some failed (or were skipped
    because upstream partitions failed); ``FAILED`` when the backfill itself could not go on
    (for example its definitions no longer load); ``CANCELING`` after a cancel was requested
    while a run is in progress; ``CANCELED`` once no more runs will start.

    Example:
        >>> BulkActionStatus.COMPLETED_FAILED.is_finished
        True
    """

    REQUESTED = "REQUESTED"
    COMPLETED_SUCCESS = "COMPLETED_SUCCESS"
    COMPLETED_FAILED = "COMPLETED_FAILED"
    FAILED = "FAILED"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"

    @property
    def is_finished(self) -> bool:
        """Whether no more runs will start without a resume."""
        return self not in (BulkActionStatus.REQUESTED, BulkActionStatus.CANCELING)


@dataclass(frozen=True, slots=True, kw_only=True)
class BackfillRunRequest:
    """One run of a backfill: a set of assets and the partitions they get in that run.

    Attributes:
        asset_keys: the assets the run materializes (sorted).
        partition_keys: the partitions of the run, consecutive in the partitions definition's
            order; empty for unpartitioned assets.
        depends_on: positions in the backfill's plan of earlier requests producing partitions
            this run loads; when one of them did not succeed, this request is skipped.
    """

    asset_keys: tuple[AssetKey, ...]
    partition_keys: tuple[str, ...] = ()
    depends_on: tuple[int, ...] = ()

    @property
    def partition_key(self) -> str | None:
        """The partition when the run targets exactly one."""
        return self.partition_keys[0] if len(self.partition_keys) == 1 else None

    @property
    def partition_range(self) -> PartitionKeyRange | None:
        """The partition key range when the run targets more than one partition."""
        if len(self.partition_keys) < 2:
            return None
        return PartitionKeyRange(self.partition_keys[0], self.partition_keys[-1])

    def describe(self) -> str:
        """A short label: ``a, b [2024-01-01...2024-01-07]``."""
        assets = ", ".join(k.to_user_string() for k in self.asset_keys)
        if not self.partition_keys:
            return assets
        if len(self.partition_keys) == 1:
            return f"{assets} [{self.partition_keys[0]}]"
        return f"{assets} [{self.partition_keys[0]}...{self.partition_keys[-1]}]"


@dataclass(frozen=True, slots=True, kw_only=True)
class PartitionBackfill:
    """A persisted backfill: which assets and partitions, its status, and its plan of runs.

    Create one with :func:`headwater.orchestration.backfills.launch.launch_backfill`; read it with
    ``instance.get_backfill(backfill_id)``.

    Attributes:
        backfill_id: 8 random lowercase letters.
        status: the :class:`BulkActionStatus`.
        asset_selection: the asset keys of the backfill, in plan order.
        partition_keys: the partitions asked for, or ``None`` for a range or all partitions.
        partition_range: the range asked for, or ``None``.
        all_partitions: whether every partition was asked for.
        tags: tags added to every run of the backfill.
        create_timestamp / update_timestamp: seconds since the epoch.
        run_requests: the plan, in execution order.
        error: why the backfill FAILED, when it did.
        location: for a backfill run in the background (``backfill launch --background``),
            the ``CodeLocationOrigin.to_dict()`` of its code location: the daemon's backfill
            loop submits its runs through the run queue. ``None``: it is executed by the
            process that launched (or resumes) it.

    Example:
        >>> from headwater import AssetKey
        >>> backfill = PartitionBackfill(
        ...     backfill_id="abcdefgh",
        ...     asset_selection=(AssetKey("events"),),
        ...     partition_keys=("2024-01-01",),
        ...     run_requests=(
        ...         BackfillRunRequest(asset_keys=(AssetKey("events"),),
        ...                            partition_keys=("2024-01-01",)),
        ...     ),
        ... )
        >>> backfill.status
        <BulkActionStatus.REQUESTED: 'REQUESTED'>
    """

    backfill_id: str
    status: BulkActionStatus = BulkActionStatus.REQUESTED
    asset_selection: tuple[AssetKey, ...]
    partition_keys: tuple[str, ...] | None = None
    partition_range: PartitionKeyRange | None = None
    all_partitions: bool = False
    tags: Mapping[str, str] = field(default_factory=dict)
    create_timestamp: float = 0.0
    update_timestamp: float = 0.0
    run_requests: tuple[BackfillRunRequest, ...] = ()
    error: str | None = None
    location: Mapping[str, Any] | None = None

    def with_status(
        self, status: BulkActionStatus, *, error: str | None = None
    ) -> PartitionBackfill:
        """A copy with another status (and ``error``, kept when not given)."""
        return replace(self, status=status, error=error if error is not None else self.error)

    @property
    def num_partitions(self) -> int:
        """How many distinct partition keys the plan covers."""
        return len({k for r in self.run_requests for k in r.partition_keys})


def make_backfill_id() -> str:
    """A new backfill id: 8 random lowercase letters."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))


def backfill_to_json(backfill: PartitionBackfill) -> str:
    """Serialize ``backfill`` (without its status and timestamps, kept in columns).

    Requests store their asset keys as an index into a list of distinct key sets, so a plan of
    thousands of runs over the same assets stays small.
    """
    groups: dict[tuple[AssetKey, ...], int] = {}
    requests: list[list[Any]] = []
    for request in backfill.run_requests:
        group = groups.setdefault(request.asset_keys, len(groups))
        requests.append([group, list(request.partition_keys), list(request.depends_on)])
    rng = backfill.partition_range
    keys = backfill.partition_keys
    body = {
        "asset_selection": [list(k.path) for k in backfill.asset_selection],
        "partition_keys": None if keys is None else list(keys),
        "partition_range": None if rng is None else [rng.start, rng.end],
        "all_partitions": backfill.all_partitions,
        "tags": dict(backfill.tags),
        "error": backfill.error,
        "asset_groups": [[list(k.path) for k in keys] for keys in groups],
        "run_requests": requests,
    }
    if backfill.location is not None:
        body["location"] = dict(backfill.location)
    return json.dumps(body, separators=(",", ":"))


def backfill_from_json(
    body: str,
    *,
    backfill_id: str,
    status: str,
    create_timestamp: float,
    update_timestamp: float,
) -> PartitionBackfill:
    """Rebuild a backfill from :func:`backfill_to_json` output and its column values."""
    data = json.loads(body)
    groups = [tuple(AssetKey(p) for p in keys) for keys in data["asset_groups"]]
    requests = tuple(
        BackfillRunRequest(
            asset_keys=groups[group], partition_keys=tuple(keys), depends_on=tuple(deps)
        )
        for group, keys, deps in data["run_requests"]
    )
    rng = data.get("partition_range")
    keys = data.get("partition_keys")
    return PartitionBackfill(
        backfill_id=backfill_id,
        status=BulkActionStatus(status),
        asset_selection=tuple(AssetKey(p) for p in data["asset_selection"]),
        partition_keys=None if keys is None else tuple(keys),
        partition_range=None if rng is None else PartitionKeyRange(rng[0], rng[1]),
        all_partitions=bool(data.get("all_partitions")),
        tags=data.get("tags") or {},
        create_timestamp=create_timestamp,
        update_timestamp=update_timestamp,
        run_requests=requests,
        error=data.get("error"),
        location=data.get("location"),
    )


def requests_by_key(
    requests: Sequence[BackfillRunRequest],
) -> dict[tuple[frozenset[AssetKey], str | None, str | None, str | None], int]:
    """Index requests by what identifies their run: assets, partition key, range bounds."""
    out: dict[tuple[frozenset[AssetKey], str | None, str | None, str | None], int] = {}
    for i, request in enumerate(requests):
        rng = request.partition_range
        key = (
            frozenset(request.asset_keys),
            request.partition_key,
            None if rng is None else rng.start,
            None if rng is None else rng.end,
        )
        out[key] = i
    return out
