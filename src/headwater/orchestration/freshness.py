"""Evaluating freshness policies against the instance and keeping each asset's state.

:func:`freshness_state` is the rule (pure): with the time an asset was last updated (its
latest materialization or observation, of any partition) and the policy,

- time window: updated within ``warn_window`` (or ``fail_window`` without one) is PASS,
  within ``fail_window`` is WARN, older is FAIL;
- cron: with ``deadline`` the latest tick of ``deadline_cron`` at or before now, updated
  after ``deadline - lower_bound_delta`` is PASS, else FAIL;
- never updated: UNKNOWN.

:func:`update_freshness_states` applies it to many assets at once (one read of the asset
index), stores the states that changed and records one ``FRESHNESS_STATE_CHANGE`` event per
change (run-less, with the asset key, the previous and the new state).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from headwater.declarations.automation.freshness_policy import FreshnessPolicy
from headwater.events.records import EventLogEntry
from headwater.events.types import EventType
from headwater.keys import AssetKey
from headwater.storage.automation_records import FreshnessState, FreshnessStateRecord


def freshness_state(
    policy: FreshnessPolicy, last_updated: float | None, now: float
) -> tuple[FreshnessState, dict[str, Any]]:
    """The state ``policy`` gives an asset last updated at ``last_updated`` (epoch seconds,
    ``None``: never), at ``now``; with the facts behind it.

    Example:
        >>> from datetime import timedelta
        >>> policy = FreshnessPolicy.time_window(fail_window=timedelta(hours=2),
        ...                                      warn_window=timedelta(hours=1))
        >>> freshness_state(policy, 0.0, 5_400.0)[0]
        <FreshnessState.WARN: 'WARN'>
    """
    info: dict[str, Any] = {"last_updated": last_updated, "policy": policy.describe()}
    if last_updated is None:
        return FreshnessState.UNKNOWN, info
    if policy.kind == "cron":
        from headwater.orchestration.automation.evaluator import latest_cron_tick

        assert policy.deadline_cron is not None and policy.lower_bound_delta is not None
        moment = datetime.fromtimestamp(now, UTC)
        deadline = latest_cron_tick(policy.deadline_cron, policy.timezone, moment)
        start = deadline - policy.lower_bound_delta.total_seconds()
        info.update(deadline=deadline, window_start=start)
        return (FreshnessState.PASS if last_updated >= start else FreshnessState.FAIL), info
    assert policy.fail_window is not None
    age = now - last_updated
    info["age_seconds"] = age
    if age > policy.fail_window.total_seconds():
        return FreshnessState.FAIL, info
    if policy.warn_window is not None and age > policy.warn_window.total_seconds():
        return FreshnessState.WARN, info
    return FreshnessState.PASS, info


@dataclass(frozen=True, slots=True, kw_only=True)
class FreshnessChange:
    """An asset whose freshness state changed: from ``previous`` (``None``: first seen) to
    ``state``."""

    asset_key: AssetKey
    previous: FreshnessState | None
    state: FreshnessState


def update_freshness_states(
    instance: Any, policies: Mapping[AssetKey, FreshnessPolicy], now: float | None = None
) -> list[FreshnessChange]:
    """Evaluate ``policies`` now, store the states that changed and record their events.

    Args:
        instance: the instance.
        policies: asset key -> its policy.
        now: the evaluation time (epoch seconds; default: now).

    Returns:
        The changes, in key order.
    """
    now = time.time() if now is None else now
    keys = sorted(policies)
    records = {r.asset_key: r for r in instance.get_asset_records(keys)} if keys else {}
    stored = instance.storage.get_freshness_states(keys) if keys else {}
    changes: list[FreshnessChange] = []
    events: list[EventLogEntry] = []
    for key in keys:
        state, info = freshness_state(policies[key], _last_updated(records.get(key)), now)
        previous = stored.get(key)
        if previous is not None and previous.state is state:
            continue
        instance.storage.set_freshness_state(FreshnessStateRecord(
            asset_key=key, state=state, updated_timestamp=now, changed_timestamp=now, info=info,
        ))  # fmt: skip
        before = previous.state if previous is not None else None
        changes.append(FreshnessChange(asset_key=key, previous=before, state=state))
        events.append(_event(key, before, state, info, now))
    if events:
        instance.store_events(events)
    return changes


def _last_updated(record: Any) -> float | None:
    if record is None:
        return None
    times = [r.timestamp for r in (record.last_materialization_record,
                                   record.last_observation_record) if r is not None]  # fmt: skip
    return max(times) if times else None


def _event(
    key: AssetKey, before: FreshnessState | None, state: FreshnessState,
    info: dict[str, Any], now: float,
) -> EventLogEntry:  # fmt: skip
    was = before.value if before is not None else "none"
    return EventLogEntry(
        run_id="", timestamp=now, event_type=EventType.FRESHNESS_STATE_CHANGE,
        message=f"Freshness of {key.to_user_string()} changed from {was} to {state.value}.",
        asset_key=key,
        data={"previous_state": None if before is None else before.value,
              "new_state": state.value, **info},
    )  # fmt: skip
