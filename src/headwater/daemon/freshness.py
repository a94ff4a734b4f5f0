"""The ``freshness`` loop: keeps every asset's freshness state (PASS, WARN, FAIL, UNKNOWN).

Every ``daemon.freshness_interval_seconds`` (default 30) it reads the freshness policies of
the daemon's loaded code locations from their snapshots (a policy is data: no user code runs)
and evaluates them against the asset index
(:func:`headwater.orchestration.freshness.update_freshness_states`): a state that changed is
stored and recorded as a ``FRESHNESS_STATE_CHANGE`` event. ``headwater asset status`` shows the
states; ``AutomationCondition.freshness_passed/warned/failed`` read them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from headwater.daemon.locations import CodeLocations, loaded_locations
from headwater.daemon.loop import DaemonLoop
from headwater.errors import HeadwaterError

if TYPE_CHECKING:
    from headwater.declarations.automation.freshness_policy import FreshnessPolicy
    from headwater.instance.instance import Instance
    from headwater.keys import AssetKey

logger = logging.getLogger("headwater.daemon.freshness")


class FreshnessLoop(DaemonLoop):
    """Evaluate the freshness policies of the daemon's code locations at an interval.

    Args:
        instance: the instance (states and events are stored there).
        locations: the daemon's code locations.
        clock: the current time in epoch seconds (tests pass their own).

    Example:
        >>> # FreshnessLoop(instance, manager).run_once()
    """

    name = "freshness"
    interval_seconds = 1.0

    def __init__(
        self,
        instance: Instance,
        locations: CodeLocations,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.instance = instance
        self.locations = locations
        self.clock = clock
        self.every = instance.config.daemon.freshness_interval_seconds
        self.timeout = instance.config.daemon.sensor_timeout_seconds
        self._last = -float("inf")

    def run_once(self) -> None:
        """Evaluate every policy when the interval has passed."""
        now = self.clock()
        if now - self._last < self.every:
            return
        self._last = now
        policies = self.policies()
        if not policies:
            return
        from headwater.orchestration.freshness import update_freshness_states

        for change in update_freshness_states(self.instance, policies, now):
            was = change.previous.value if change.previous is not None else "none"
            logger.info("Freshness of %s: %s -> %s.", change.asset_key.to_user_string(), was,
                        change.state.value)  # fmt: skip

    def policies(self) -> dict[AssetKey, FreshnessPolicy]:
        """Asset key -> policy, over every loaded location."""
        from headwater.declarations.automation.freshness_policy import FreshnessPolicy

        out: dict[AssetKey, FreshnessPolicy] = {}
        for location in loaded_locations(self.locations):
            try:
                snapshot = self.locations.client(location).snapshot(timeout=self.timeout)
            except HeadwaterError as exc:
                logger.warning("Cannot read the assets of location %r: %s", location, exc)
                continue
            for asset in snapshot.assets:
                if asset.freshness_policy is not None:
                    out[asset.key] = FreshnessPolicy.from_dict(asset.freshness_policy)
        return out
