"""``FreshnessPolicy``: how recently an asset must have been updated to count as fresh.

Two kinds, built with the static constructors (Dagster's names and semantics):

- ``FreshnessPolicy.time_window(fail_window, warn_window=None)``: the asset must have been
  materialized within the last ``fail_window`` (else FAIL); past ``warn_window`` it is WARN.
- ``FreshnessPolicy.cron(deadline_cron, lower_bound_delta, timezone="UTC")``: by each tick of
  ``deadline_cron`` the asset must have been materialized after ``deadline - lower_bound_delta``
  (else FAIL, until it is).

A policy is pure data; the daemon's freshness loop evaluates it (``evaluate_freshness``) and
keeps each asset's state (PASS, WARN, FAIL, UNKNOWN when never materialized).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from headwater.errors import DefinitionError

_MINIMUM = timedelta(minutes=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class FreshnessPolicy:
    """A freshness policy: build one with :meth:`time_window` or :meth:`cron`.

    Attributes:
        kind: ``"time_window"`` or ``"cron"``.
        fail_window / warn_window: of a time-window policy (``warn_window`` may be ``None``).
        deadline_cron / lower_bound_delta / timezone: of a cron policy.

    Example:
        >>> from datetime import timedelta
        >>> policy = FreshnessPolicy.time_window(fail_window=timedelta(hours=2),
        ...                                      warn_window=timedelta(hours=1))
        >>> policy.describe()
        'materialized within the last 2:00:00 (warn after 1:00:00)'
    """

    kind: str
    fail_window: timedelta | None = None
    warn_window: timedelta | None = None
    deadline_cron: str | None = None
    lower_bound_delta: timedelta | None = None
    timezone: str = "UTC"

    @staticmethod
    def time_window(
        fail_window: timedelta, warn_window: timedelta | None = None
    ) -> FreshnessPolicy:
        """Fresh while materialized within the last ``fail_window``.

        Args:
            fail_window: older than this is FAIL (at least one minute).
            warn_window: older than this (and within ``fail_window``) is WARN; must be shorter
                than ``fail_window``.

        Raises:
            DefinitionError: a window that is not a ``timedelta``, shorter than a minute, or a
                ``warn_window`` not shorter than ``fail_window``.
        """
        _window(fail_window, "fail_window")
        if warn_window is not None:
            _window(warn_window, "warn_window")
            if warn_window >= fail_window:
                raise DefinitionError(
                    f"FreshnessPolicy.time_window: warn_window ({warn_window}) must be shorter "
                    f"than fail_window ({fail_window})."
                )
        return FreshnessPolicy(kind="time_window", fail_window=fail_window,
                               warn_window=warn_window)  # fmt: skip

    @staticmethod
    def cron(
        deadline_cron: str, lower_bound_delta: timedelta, timezone: str = "UTC"
    ) -> FreshnessPolicy:
        """Fresh when materialized between ``deadline - lower_bound_delta`` and each deadline.

        Args:
            deadline_cron: the deadlines, a cron string (``"0 9 * * *"``: every day at 9).
            lower_bound_delta: how long before a deadline a materialization counts for it (at
                least one minute, at most the time between two deadlines).
            timezone: the time zone ``deadline_cron`` is read in (IANA name).

        Raises:
            DefinitionError: an invalid cron string or time zone, or a bad ``lower_bound_delta``.
        """
        from headwater.declarations.automation.schedules import (
            validate_cron_schedule,
            validate_timezone,
        )

        validate_cron_schedule(deadline_cron, "FreshnessPolicy.cron")
        validate_timezone(timezone, "FreshnessPolicy.cron")
        _window(lower_bound_delta, "lower_bound_delta")
        return FreshnessPolicy(kind="cron", deadline_cron=deadline_cron,
                               lower_bound_delta=lower_bound_delta, timezone=timezone)  # fmt: skip

    def describe(self) -> str:
        """The policy in words."""
        if self.kind == "cron":
            return (f"materialized within {self.lower_bound_delta} before each "
                    f"'{self.deadline_cron}' deadline ({self.timezone})")  # fmt: skip
        warn = f" (warn after {self.warn_window})" if self.warn_window else ""
        return f"materialized within the last {self.fail_window}{warn}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (windows in seconds), read back by :meth:`from_dict`."""
        out: dict[str, Any] = {"kind": self.kind}
        for name in ("fail_window", "warn_window", "lower_bound_delta"):
            value = getattr(self, name)
            if value is not None:
                out[f"{name}_seconds"] = value.total_seconds()
        if self.kind == "cron":
            out["deadline_cron"], out["timezone"] = self.deadline_cron, self.timezone
        return out

    @staticmethod
    def from_dict(data: dict[str, Any]) -> FreshnessPolicy:
        """The policy :meth:`to_dict` wrote."""

        def seconds(name: str) -> timedelta | None:
            value = data.get(f"{name}_seconds")
            return None if value is None else timedelta(seconds=float(value))

        return FreshnessPolicy(
            kind=str(data["kind"]), fail_window=seconds("fail_window"),
            warn_window=seconds("warn_window"), deadline_cron=data.get("deadline_cron"),
            lower_bound_delta=seconds("lower_bound_delta"),
            timezone=str(data.get("timezone") or "UTC"),
        )  # fmt: skip


def _window(value: Any, name: str) -> None:
    if not isinstance(value, timedelta):
        raise DefinitionError(
            f"FreshnessPolicy: {name} must be a datetime.timedelta, got {value!r}; e.g. "
            "timedelta(hours=2)."
        )
    if value < _MINIMUM:
        raise DefinitionError(f"FreshnessPolicy: {name} must be at least one minute, got {value}.")


def check_freshness_policy(policy: Any, where: str) -> FreshnessPolicy | None:
    """``policy`` if it is a ``FreshnessPolicy`` (or ``None``).

    Raises:
        DefinitionError: anything else, naming ``where``.
    """
    if policy is None or isinstance(policy, FreshnessPolicy):
        return policy
    raise DefinitionError(
        f"{where}: freshness_policy must be a FreshnessPolicy, got {policy!r}; e.g. "
        "FreshnessPolicy.time_window(fail_window=timedelta(hours=2))."
    )
