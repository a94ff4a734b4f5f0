"""What a schedule or sensor tick asks for: ``RunRequest``, ``SkipReason`` and ``SensorResult``."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from headwater.errors import DefinitionError
from headwater.keys import AssetCheckKey, AssetKey


def normalize_tags(tags: Mapping[str, Any] | None, where: str) -> dict[str, str]:
    """Tags as strings: a non-string value is stored as its JSON text (as Dagster does).

    Raises:
        DefinitionError: a key is not a string or a value cannot be written as JSON.
    """
    out: dict[str, str] = {}
    for key, value in (tags or {}).items():
        if not isinstance(key, str):
            raise DefinitionError(f"{where}: tag keys must be strings, got {key!r}.")
        if isinstance(value, str):
            out[key] = value
            continue
        try:
            text = json.dumps(value)
        except (TypeError, ValueError):
            raise DefinitionError(
                f"{where}: tag {key!r} has the value {value!r}, which is neither a string nor "
                "JSON-serializable; give a string."
            ) from None
        out[key] = text
    return out


def normalize_run_config(run_config: Any, where: str) -> dict[str, Any]:
    """A run config as a plain dict (a ``RunConfig`` is converted).

    Raises:
        DefinitionError: ``run_config`` is neither a mapping nor a ``RunConfig``.
    """
    if run_config is None:
        return {}
    to_dict = getattr(run_config, "to_config_dict", None)
    if to_dict is not None:
        return dict(to_dict())
    if isinstance(run_config, Mapping):
        return dict(run_config)
    raise DefinitionError(
        f"{where}: run_config must be a dict or a RunConfig, got {type(run_config).__name__}."
    )


@dataclass(frozen=True, slots=True, init=False)
class RunRequest:
    """A request, from a schedule or sensor, to launch one run.

    Args:
        run_key: an idempotency key: for one sensor, at most one run is launched per run key
            (``None``: every request launches a run).
        run_config: the run's config (a dict or a ``RunConfig``).
        tags: run tags; non-string values are stored as JSON text.
        job_name: the job to run, when the sensor targets several (default: its only job).
        asset_selection: the asset keys to materialize (default: the job's whole selection).
        stale_assets_only: only materialize the selected assets that are stale.
        partition_key: the partition to run.
        asset_check_keys: the asset checks to run (default: those of the selected assets).

    Raises:
        DefinitionError: bad tags or run config.

    Example:
        >>> RunRequest(run_key="file-1.csv", tags={"source": "inbox"}).run_key
        'file-1.csv'
    """

    run_key: str | None
    run_config: Mapping[str, Any]
    tags: Mapping[str, str]
    job_name: str | None
    asset_selection: tuple[AssetKey, ...] | None
    stale_assets_only: bool
    partition_key: str | None
    asset_check_keys: tuple[AssetCheckKey, ...] | None

    def __init__(
        self,
        run_key: str | None = None,
        run_config: Any = None,
        tags: Mapping[str, Any] | None = None,
        job_name: str | None = None,
        asset_selection: Sequence[Any] | None = None,
        stale_assets_only: bool = False,
        partition_key: str | None = None,
        asset_check_keys: Sequence[AssetCheckKey] | None = None,
    ) -> None:
        where = f"RunRequest(run_key={run_key!r})"
        set_ = object.__setattr__
        set_(self, "run_key", run_key)
        set_(self, "run_config", normalize_run_config(run_config, where))
        set_(self, "tags", normalize_tags(tags, where))
        set_(self, "job_name", job_name)
        keys = None
        if asset_selection is not None:
            keys = tuple(AssetKey.from_coercible(k) for k in asset_selection)
        set_(self, "asset_selection", keys)
        set_(self, "stale_assets_only", stale_assets_only)
        set_(self, "partition_key", partition_key)
        set_(
            self, "asset_check_keys", None if asset_check_keys is None else tuple(asset_check_keys)
        )

    def with_tags(self, tags: Mapping[str, str]) -> RunRequest:
        """A copy with ``tags`` added (existing keys are overwritten)."""
        return self.with_changes(tags={**self.tags, **tags})

    def with_changes(self, **changes: Any) -> RunRequest:
        """A copy with the given constructor arguments replaced."""
        current: dict[str, Any] = {
            "run_key": self.run_key, "run_config": self.run_config, "tags": self.tags,
            "job_name": self.job_name, "asset_selection": self.asset_selection,
            "stale_assets_only": self.stale_assets_only, "partition_key": self.partition_key,
            "asset_check_keys": self.asset_check_keys,
        }  # fmt: skip
        current.update(changes)
        return RunRequest(**current)


@dataclass(frozen=True, slots=True)
class SkipReason:
    """Why a schedule or sensor tick requested no run (shown in the tick history).

    Args:
        skip_message: a sentence for the person reading the tick history.

    Example:
        >>> SkipReason("no new files in the inbox").skip_message
        'no new files in the inbox'
    """

    skip_message: str | None = None


@dataclass(frozen=True, slots=True, init=False)
class SensorResult:
    """Everything one sensor tick returns at once.

    Args:
        run_requests: the runs to launch.
        skip_reason: why nothing was requested (a ``SkipReason`` or its message); excludes
            ``run_requests``.
        cursor: the new cursor (``None`` keeps the current one).
        dynamic_partitions_requests: ``AddDynamicPartitionsRequest`` /
            ``DeleteDynamicPartitionsRequest`` to apply before the runs launch.
        asset_events: ``AssetMaterialization``, ``AssetObservation`` or
            ``AssetCheckEvaluation`` records to store.

    Raises:
        DefinitionError: both ``run_requests`` and ``skip_reason`` are given.

    Example:
        >>> SensorResult(run_requests=[RunRequest(run_key="a")], cursor="a").cursor
        'a'
    """

    run_requests: Sequence[RunRequest]
    skip_reason: SkipReason | None
    cursor: str | None
    dynamic_partitions_requests: Sequence[Any]
    asset_events: Sequence[Any]

    def __init__(
        self,
        run_requests: Sequence[RunRequest] | None = None,
        skip_reason: SkipReason | str | None = None,
        cursor: str | None = None,
        dynamic_partitions_requests: Sequence[Any] | None = None,
        asset_events: Sequence[Any] | None = None,
    ) -> None:
        if run_requests and skip_reason is not None:
            raise DefinitionError(
                "SensorResult: give run_requests or skip_reason, not both (a tick that requests "
                "runs is not skipped)."
            )
        if isinstance(skip_reason, str):
            skip_reason = SkipReason(skip_reason)
        for request in run_requests or ():
            if not isinstance(request, RunRequest):
                raise DefinitionError(
                    f"SensorResult(run_requests=...) got {request!r}; expected RunRequest objects."
                )
        set_ = object.__setattr__
        set_(self, "run_requests", list(run_requests or ()))
        set_(self, "skip_reason", skip_reason)
        set_(self, "cursor", cursor)
        set_(self, "dynamic_partitions_requests", list(dynamic_partitions_requests or ()))
        set_(self, "asset_events", list(asset_events or ()))
