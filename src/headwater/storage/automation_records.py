"""Stored records of declarative automation and freshness.

:class:`ConditionEvaluationRecord` is one asset's automation condition evaluation on one tick:
the condition tree with, per node, its label and which partitions were true (compressed as
runs of keys with a count), and what was requested. :class:`FreshnessStateRecord` is an
asset's current freshness state (``PASS``, ``WARN``, ``FAIL`` or ``UNKNOWN``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from headwater.keys import AssetKey


@dataclass(frozen=True, slots=True, kw_only=True)
class ConditionEvaluationRecord:
    """One asset's automation condition evaluation on one tick.

    Attributes:
        asset_key: the asset.
        evaluation_id: the tick's number for its sensor (increases by one per tick).
        timestamp: when the tick evaluated (epoch seconds).
        num_requested: how many partitions were requested (an unpartitioned asset: 0 or 1).
        sensor_name: the automation sensor (``location:sensor``; ``""`` for a direct call).
        body: JSON-able data: ``{"requested": ..., "nodes": [{"path", "name", "label",
            "n", "true", "deps"}, ...], "run_ids": [...]}``.
        storage_id: the row's id (``None`` until stored).

    Example:
        >>> ConditionEvaluationRecord(asset_key=AssetKey("a"), evaluation_id=1, timestamp=0.0,
        ...                           num_requested=0).body
        {}
    """

    asset_key: AssetKey
    evaluation_id: int
    timestamp: float
    num_requested: int
    sensor_name: str = ""
    body: Mapping[str, Any] = field(default_factory=dict)
    storage_id: int | None = None


class FreshnessState(StrEnum):
    """An asset's freshness against its ``FreshnessPolicy``.

    ``PASS``: updated recently enough; ``WARN``: past its warn window; ``FAIL``: past its fail
    window (or deadline); ``UNKNOWN``: never materialized, or not evaluated yet.
    """

    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"


@dataclass(frozen=True, slots=True, kw_only=True)
class FreshnessStateRecord:
    """An asset's stored freshness state.

    Attributes:
        asset_key: the asset.
        state: the :class:`FreshnessState`.
        updated_timestamp: when the state was last evaluated (epoch seconds).
        changed_timestamp: when it last changed.
        info: JSON-able facts behind it (last update time, windows, deadline).
    """

    asset_key: AssetKey
    state: FreshnessState
    updated_timestamp: float
    changed_timestamp: float
    info: Mapping[str, Any] = field(default_factory=dict)
