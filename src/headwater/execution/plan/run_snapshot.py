"""A run's plan as data: what to give :func:`plan_job_run` again to get the same plan.

Every run records a :class:`RunPlanSnapshot`: its job, what it selected (assets, checks or ops),
its partition or partition range, its run config and its tags. With the run's code location
origin, a run worker in another process loads the job and plans exactly that run again.
Snapshots are content-addressed: :attr:`RunPlanSnapshot.snapshot_id` is the SHA-256 of the
canonical JSON (sorted keys, no spaces), so identical runs share one stored snapshot.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater.keys import AssetCheckKey, AssetKey

__all__ = ["RUN_PLAN_KIND", "RunPlanSnapshot"]

#: The ``kind`` of run plan snapshots in the snapshots table.
RUN_PLAN_KIND = "run_plan"


@dataclass(frozen=True, slots=True, kw_only=True)
class RunPlanSnapshot:
    """What one run executes, as JSON-serializable data.

    Attributes:
        job_name: the job (``__ASSET_JOB`` for a selection of assets).
        asset_selection: the asset keys selected in the job, or ``None`` for the whole job
            (or a job of ops).
        asset_check_selection: the checks selected, or ``None`` for the checks of the
            selected assets.
        op_selection: the op selection of a job of ops as given (``"*op"``, ...), or ``None``.
        partition_key: the partition of the run, or ``None``.
        partition_key_range: ``(start, end)`` of a run over a range of partitions, or ``None``.
        run_config: the run config, the job's defaults merged in.
        tags: the run's tags.

    Example:
        >>> snap = RunPlanSnapshot(job_name="daily", asset_selection=(AssetKey("orders"),))
        >>> RunPlanSnapshot.from_json(snap.to_json()) == snap
        True
        >>> len(snap.snapshot_id)
        64
    """

    job_name: str
    asset_selection: tuple[AssetKey, ...] | None = None
    asset_check_selection: tuple[AssetCheckKey, ...] | None = None
    op_selection: tuple[str, ...] | None = None
    partition_key: str | None = None
    partition_key_range: tuple[str, str] | None = None
    run_config: Mapping[str, Any] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict (asset keys as lists of path parts)."""
        checks = self.asset_check_selection
        return {
            "job_name": self.job_name,
            "asset_selection": None
            if self.asset_selection is None
            else sorted(list(k.path) for k in self.asset_selection),
            "asset_check_selection": None
            if checks is None
            else sorted([list(c.asset_key.path), c.name] for c in checks),
            "op_selection": None if self.op_selection is None else list(self.op_selection),
            "partition_key": self.partition_key,
            "partition_key_range": None
            if self.partition_key_range is None
            else list(self.partition_key_range),
            "run_config": dict(self.run_config),
            "tags": dict(self.tags),
        }

    def to_json(self) -> str:
        """The canonical JSON: sorted keys, no spaces (what :attr:`snapshot_id` hashes)."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), default=str)

    @property
    def snapshot_id(self) -> str:
        """The SHA-256 (hex) of :meth:`to_json`."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunPlanSnapshot:
        """The snapshot :meth:`to_dict` produced."""
        selection = data.get("asset_selection")
        checks = data.get("asset_check_selection")
        ops = data.get("op_selection")
        key_range = data.get("partition_key_range")
        return cls(
            job_name=data["job_name"],
            asset_selection=None if selection is None else tuple(AssetKey(p) for p in selection),
            asset_check_selection=None
            if checks is None
            else tuple(AssetCheckKey(AssetKey(path), name) for path, name in checks),
            op_selection=None if ops is None else tuple(ops),
            partition_key=data.get("partition_key"),
            partition_key_range=None if key_range is None else (key_range[0], key_range[1]),
            run_config=data.get("run_config") or {},
            tags=data.get("tags") or {},
        )

    @classmethod
    def from_json(cls, text: str) -> RunPlanSnapshot:
        """The snapshot :meth:`to_json` produced."""
        return cls.from_dict(json.loads(text))

    def selection_argument(self) -> list[AssetKey | AssetCheckKey] | None:
        """The ``asset_selection=`` to plan this run again with (``None``: the whole job)."""
        if self.asset_selection is None and self.asset_check_selection is None:
            return None
        return [*(self.asset_selection or ()), *(self.asset_check_selection or ())]


def snapshot_of_run(
    *,
    job_name: str,
    requested_selection: Any,
    planned_assets: Iterable[AssetKey] | None,
    op_selection: Sequence[str] | None,
    partition_key: Any,
    partition_key_range: Any,
    run_config: Mapping[str, Any],
    tags: Mapping[str, str],
) -> RunPlanSnapshot:
    """The snapshot of a run planned from these arguments (those of ``plan_job_run``).

    ``requested_selection`` is the ``asset_selection=`` the run was planned with (any form:
    string, keys, ``AssetSelection``); the snapshot keeps the concrete keys it resolved to
    (``planned_assets``) so that planning again does not depend on parsing it again.
    """
    asset_selection = check_selection = None
    if requested_selection is not None:
        from headwater.execution.step.checks import split_check_selection

        _rest, checks = split_check_selection(requested_selection)
        asset_selection = tuple(sorted(planned_assets or (), key=lambda k: k.path))
        check_selection = None if checks is None else tuple(sorted(checks, key=str))
    key_range = None
    if partition_key_range is not None:
        key_range = (str(partition_key_range.start), str(partition_key_range.end))
    return RunPlanSnapshot(
        job_name=job_name,
        asset_selection=asset_selection,
        asset_check_selection=check_selection,
        op_selection=None if op_selection is None else tuple(op_selection),
        partition_key=None if partition_key is None else str(partition_key),
        partition_key_range=key_range,
        run_config=dict(run_config),
        tags=dict(tags),
    )
