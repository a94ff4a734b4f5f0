"""``AutomationCondition``: declarative rules for when an asset should be materialized.

A condition is an immutable tree: primitives (``missing()``, ``newly_updated()``,
``cron_tick_passed(...)``, ...) combined with ``&``, ``|``, ``~``, ``since`` and the
dependency operators, with the ready-made policies ``eager()``, ``on_cron()`` and
``on_missing()`` built from them. This module only builds and describes conditions;
*evaluating* them over assets and partitions reads the instance, so it lives in
:mod:`headwater.orchestration.automation` (``evaluate_automation_conditions``, used by the
automation daemon).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from headwater.errors import DefinitionError

_OPERATORS = {"AND": "and", "OR": "or", "NOT": "not", "SINCE": "since",
              "NEWLY_TRUE": "newly_true", "ANY_DEPS_MATCH": "any_deps",
              "ALL_DEPS_MATCH": "all_deps"}  # fmt: skip


def _check(value: Any, where: str) -> AutomationCondition:
    if not isinstance(value, AutomationCondition):
        raise DefinitionError(
            f"AutomationCondition {where}: expected an AutomationCondition, got {value!r}; "
            "build one with AutomationCondition.eager(), .missing(), ..."
        )
    return value


def _cron(cron_schedule: str, cron_timezone: str, where: str) -> None:
    from headwater.declarations.automation.schedules import (
        validate_cron_schedule,
        validate_timezone,
    )

    validate_cron_schedule(cron_schedule, f"AutomationCondition.{where}")
    validate_timezone(cron_timezone, f"AutomationCondition.{where}")


@dataclass(frozen=True, slots=True)
class AutomationCondition:
    """A rule deciding, at each automation tick, whether to request an asset (partition).

    Build conditions with the static methods and combine them: ``a & b`` (both), ``a | b``
    (either), ``~a`` (not), ``a.since(b)`` (``a`` became true after ``b`` last did),
    ``a.newly_true()``, ``AutomationCondition.any_deps_match(a)``. Conditions compare by
    value and are hashable.

    Attributes:
        name: the node's name: a primitive's (``"missing"``, ``"cron_tick_passed(...)"``)
            or an operator's (``"AND"``, ``"OR"``, ``"NOT"``, ``"SINCE"``, ...).
        operands: the child conditions (empty for a primitive).
        label: a human label (``eager()`` is labelled ``"eager"``), or ``None``.
        params: the primitive's parameters, as ``(name, value)`` pairs.

    A condition is built here, stored on an asset (``@asset(automation_condition=...)``) and
    evaluated by ``evaluate_automation_conditions`` (the automation daemon's tick).

    Example:
        >>> condition = AutomationCondition.missing() & ~AutomationCondition.in_progress()
        >>> condition.name, [c.name for c in condition.children]
        ('AND', ['missing', 'NOT'])
        >>> AutomationCondition.on_cron("0 3 * * *").get_label()
        'on_cron(0 3 * * *, UTC)'
    """

    name: str
    operands: tuple[AutomationCondition, ...] = ()
    label: str | None = None
    params: tuple[tuple[str, Any], ...] = ()

    # -- reading ------------------------------------------------------------------------------
    @property
    def children(self) -> list[AutomationCondition]:
        """The operands, in order."""
        return list(self.operands)

    @property
    def operator_type(self) -> str:
        """``"and"``, ``"or"``, ``"not"``, ``"since"``, ``"newly_true"``, ``"any_deps"``,
        ``"all_deps"`` or ``"leaf"`` for a primitive."""
        return _OPERATORS.get(self.name, "leaf")

    def get_label(self) -> str | None:
        """The label (``None`` when not labelled)."""
        return self.label

    @property
    def description(self) -> str:
        """A one-line description: the label, else the name."""
        return self.label or self.name

    def describe(self, indent: int = 0) -> str:
        """The tree as indented text, one node per line (labels in parentheses)."""
        label = f" ({self.label})" if self.label else ""
        lines = ["  " * indent + self.name + label]
        lines += [child.describe(indent + 1) for child in self.operands]
        return "\n".join(lines)

    # -- combining ----------------------------------------------------------------------------
    def __and__(self, other: AutomationCondition) -> AutomationCondition:
        return _combine("AND", self, _check(other, "&"))

    def __or__(self, other: AutomationCondition) -> AutomationCondition:
        return _combine("OR", self, _check(other, "|"))

    def __invert__(self) -> AutomationCondition:
        return AutomationCondition("NOT", (self,))

    def with_label(self, label: str | None) -> AutomationCondition:
        """A copy labelled ``label`` (shown instead of the tree in UIs and explanations)."""
        return replace(self, label=label)

    def since(self, reset_condition: AutomationCondition) -> AutomationCondition:
        """True from when this condition becomes true until ``reset_condition`` becomes true."""
        return AutomationCondition("SINCE", (self, _check(reset_condition, "since")))

    def newly_true(self) -> AutomationCondition:
        """True only on the tick where this condition turns from false to true."""
        return AutomationCondition("NEWLY_TRUE", (self,))

    def since_last_handled(self) -> AutomationCondition:
        """True since this became true, until the asset is requested or updated."""
        return self.since(_handled())

    def replace(
        self, old: AutomationCondition | str, new: AutomationCondition
    ) -> AutomationCondition:
        """A copy with every sub-condition equal to ``old`` (or labelled ``old``) replaced."""
        if self == old or (isinstance(old, str) and self.label == old):
            return new
        return replace(self, operands=tuple(c.replace(old, new) for c in self.operands))

    def evaluate(self, *args: Any, **kwargs: Any) -> Any:
        """Not available on a lone condition: evaluation needs assets and an instance.

        Raises:
            DefinitionError: always, saying what to call instead.
        """
        raise DefinitionError(
            "An AutomationCondition is evaluated over the assets of a Definitions against an "
            "instance: call headwater.evaluate_automation_conditions(defs, instance) (the "
            "automation daemon does so on every tick)."
        )

    # -- primitives ---------------------------------------------------------------------------
    @staticmethod
    def missing() -> AutomationCondition:
        """The asset (partition) has never been materialized."""
        return AutomationCondition("missing")

    @staticmethod
    def newly_missing() -> AutomationCondition:
        """The asset (partition) became missing on this tick."""
        return AutomationCondition.missing().newly_true().with_label("newly_missing")

    @staticmethod
    def run_in_progress() -> AutomationCondition:
        """A run materializing the asset (partition) is in progress."""
        return AutomationCondition("run_in_progress")

    @staticmethod
    def backfill_in_progress() -> AutomationCondition:
        """A backfill including the asset (partition) is in progress."""
        return AutomationCondition("backfill_in_progress")

    @staticmethod
    def in_progress() -> AutomationCondition:
        """A run or a backfill of the asset (partition) is in progress."""
        either = AutomationCondition.run_in_progress() | AutomationCondition.backfill_in_progress()
        return either.with_label("in_progress")

    @staticmethod
    def execution_failed() -> AutomationCondition:
        """The latest run of the asset (partition) failed."""
        return AutomationCondition("execution_failed")

    @staticmethod
    def newly_updated() -> AutomationCondition:
        """The asset (partition) was materialized (or observed) since the previous tick."""
        return AutomationCondition("newly_updated")

    @staticmethod
    def newly_requested() -> AutomationCondition:
        """The asset (partition) was requested on the previous tick."""
        return AutomationCondition("newly_requested")

    @staticmethod
    def initial_evaluation() -> AutomationCondition:
        """This is the first tick evaluating the condition (or it just changed)."""
        return AutomationCondition("initial_evaluation")

    @staticmethod
    def will_be_requested() -> AutomationCondition:
        """The asset (partition) is requested on this same tick."""
        return AutomationCondition("will_be_requested")

    @staticmethod
    def executed_with_root_target() -> AutomationCondition:
        """The latest run that updated the asset targeted it directly."""
        return AutomationCondition("executed_with_root_target")

    @staticmethod
    def code_version_changed() -> AutomationCondition:
        """The asset's code version changed since the previous tick."""
        return AutomationCondition("code_version_changed")

    @staticmethod
    def data_version_changed() -> AutomationCondition:
        """The asset's data version changed since the previous tick."""
        return AutomationCondition("data_version_changed")

    @staticmethod
    def check_passed() -> AutomationCondition:
        """The latest evaluation of the asset check passed (for conditions on checks)."""
        return AutomationCondition("check_passed")

    @staticmethod
    def check_failed() -> AutomationCondition:
        """The latest evaluation of the asset check failed (for conditions on checks)."""
        return AutomationCondition("check_failed")

    @staticmethod
    def freshness_passed() -> AutomationCondition:
        """The asset's freshness state is PASS."""
        return AutomationCondition("freshness_passed")

    @staticmethod
    def freshness_warned() -> AutomationCondition:
        """The asset's freshness state is WARN."""
        return AutomationCondition("freshness_warned")

    @staticmethod
    def freshness_failed() -> AutomationCondition:
        """The asset's freshness state is FAIL."""
        return AutomationCondition("freshness_failed")

    @staticmethod
    def freshness_at_risk() -> AutomationCondition:
        """The asset's freshness state is WARN or FAIL (headwater's; not in Dagster)."""
        return AutomationCondition("freshness_at_risk")

    @staticmethod
    def keep_fresh() -> AutomationCondition:
        """Request the asset as soon as its ``FreshnessPolicy`` warns or fails (and no run of it
        is in progress), together, in the same run, with exactly those upstream assets that
        are too old for the policy themselves (headwater's; not in Dagster).

        "Too old" is older than the policy allows of the asset: last updated before
        ``now - fail_window`` (time-window policy) or before the current deadline's window
        (cron policy); the upstream walk stops at the first fresh enough asset.
        """
        cls = AutomationCondition
        return (cls.freshness_at_risk() & ~cls.in_progress()).with_label("keep_fresh")

    @staticmethod
    def cron_tick_passed(cron_schedule: str, cron_timezone: str = "UTC") -> AutomationCondition:
        """A tick of ``cron_schedule`` (read in ``cron_timezone``) passed since the last tick.

        Raises:
            DefinitionError: an invalid cron string or time zone.
        """
        _cron(cron_schedule, cron_timezone, "cron_tick_passed")
        name = f"cron_tick_passed(cron_schedule={cron_schedule}, cron_timezone={cron_timezone})"
        params = (("cron_schedule", cron_schedule), ("cron_timezone", cron_timezone))
        return AutomationCondition(name, params=params)

    @staticmethod
    def in_latest_time_window(lookback_delta: timedelta | None = None) -> AutomationCondition:
        """The partition is in the latest time window (or within ``lookback_delta`` of its end);
        always true for unpartitioned assets."""
        return AutomationCondition(
            "in_latest_time_window", params=(("lookback_delta", lookback_delta),)
        )

    @staticmethod
    def any_downstream_conditions() -> AutomationCondition:
        """True when any downstream asset's condition would request this asset."""
        return AutomationCondition("any_downstream_conditions")

    # -- over dependencies --------------------------------------------------------------------
    @staticmethod
    def any_deps_match(condition: AutomationCondition) -> AutomationCondition:
        """``condition`` is true for at least one upstream asset (partition)."""
        return AutomationCondition("ANY_DEPS_MATCH", (_check(condition, "any_deps_match"),))

    @staticmethod
    def all_deps_match(condition: AutomationCondition) -> AutomationCondition:
        """``condition`` is true for every upstream asset (partition)."""
        return AutomationCondition("ALL_DEPS_MATCH", (_check(condition, "all_deps_match"),))

    @staticmethod
    def any_deps_updated() -> AutomationCondition:
        """An upstream asset was updated (by a run not targeting this asset) or is being
        requested on this tick."""
        cls = AutomationCondition
        own = (cls.newly_updated() & ~cls.executed_with_root_target()).with_label(
            "newly_updated_without_root"
        )
        return cls.any_deps_match(own | cls.will_be_requested()).with_label("any_deps_updated")

    @staticmethod
    def any_deps_missing() -> AutomationCondition:
        """An upstream asset is missing and not requested on this tick."""
        cls = AutomationCondition
        gone = cls.missing() & ~cls.will_be_requested()
        return cls.any_deps_match(gone).with_label("any_deps_missing")

    @staticmethod
    def any_deps_in_progress() -> AutomationCondition:
        """An upstream asset has a run or backfill in progress."""
        cls = AutomationCondition
        return cls.any_deps_match(cls.in_progress()).with_label("any_deps_in_progress")

    @staticmethod
    def all_deps_updated_since_cron(
        cron_schedule: str, cron_timezone: str = "UTC"
    ) -> AutomationCondition:
        """Every upstream asset was updated since the latest tick of ``cron_schedule``."""
        cls = AutomationCondition
        tick = cls.cron_tick_passed(cron_schedule, cron_timezone)
        updated = cls.newly_updated().since(tick) | cls.will_be_requested()
        label = f"all_deps_updated_since_cron({cron_schedule}, {cron_timezone})"
        return cls.all_deps_match(updated).with_label(label)

    # -- ready-made policies ------------------------------------------------------------------
    @staticmethod
    @functools.cache  # immutable: one shared tree (10,000 assets, one condition)
    def eager() -> AutomationCondition:
        """Materialize whenever the asset becomes missing or an upstream asset updates, once
        nothing upstream is missing or in progress (latest time window only)."""
        cls = AutomationCondition
        trigger = (cls.newly_missing() | cls.any_deps_updated()).since_last_handled()
        return (
            cls.in_latest_time_window()
            & trigger
            & ~cls.any_deps_missing()
            & ~cls.any_deps_in_progress()
            & ~cls.in_progress()
        ).with_label("eager")

    @staticmethod
    @functools.cache  # immutable: one shared tree (10,000 assets, one condition)
    def on_cron(cron_schedule: str, cron_timezone: str = "UTC") -> AutomationCondition:
        """Materialize once per tick of ``cron_schedule``, after every upstream asset has
        updated since that tick.

        Raises:
            DefinitionError: an invalid cron string or time zone.
        """
        cls = AutomationCondition
        ticked = cls.cron_tick_passed(cron_schedule, cron_timezone).since_last_handled()
        deps = cls.all_deps_updated_since_cron(cron_schedule, cron_timezone)
        condition = cls.in_latest_time_window() & ticked & deps
        return condition.with_label(f"on_cron({cron_schedule}, {cron_timezone})")

    @staticmethod
    @functools.cache  # immutable: one shared tree (10,000 assets, one condition)
    def on_missing() -> AutomationCondition:
        """Materialize a missing asset (partition) once its upstream assets are present."""
        cls = AutomationCondition
        newly = (
            cls.missing().newly_true().since_last_handled().with_label("missing_since_last_handled")
        )
        condition = cls.in_latest_time_window() & newly & ~cls.any_deps_missing()
        return condition.with_label("on_missing")


def _handled() -> AutomationCondition:
    cls = AutomationCondition
    return (cls.newly_requested() | cls.newly_updated() | cls.initial_evaluation()).with_label(
        "handled"
    )


def _combine(
    operator: str, left: AutomationCondition, right: AutomationCondition
) -> AutomationCondition:
    """``left OP right``, flattening an unlabelled left operand of the same operator."""
    if left.name == operator and left.label is None:
        return AutomationCondition(operator, (*left.operands, right))
    return AutomationCondition(operator, (left, right))
