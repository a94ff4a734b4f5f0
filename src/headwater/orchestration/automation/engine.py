"""``evaluate_automation_conditions``: one automation tick over a code location's assets.

The engine evaluates, in topological order, the ``AutomationCondition`` of every selected
asset that declares one (or gets the sensor's ``default_condition``), over its partitions,
against the instance (see :mod:`.instance_state` for what it reads), and requests the
partitions where the condition is true. Evaluating upstream assets first lets
``will_be_requested`` (inside ``any_deps_updated`` and ``any_deps_missing``) see what this
very tick requests upstream. The stateful operators remember their state in the cursor the
result carries; pass it to the next call.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from headwater.declarations._gc import paused_gc
from headwater.errors import InvalidInvocationError
from headwater.keys import AssetKey
from headwater.orchestration.automation.asset_view import AssetView, AssetViews
from headwater.orchestration.automation.cursor import AutomationCursor
from headwater.orchestration.automation.evaluator import FlatResults, NodeResult, TickEvaluator
from headwater.orchestration.automation.instance_state import InstanceState
from headwater.orchestration.automation.subsets import Subset

__all__ = [
    "AssetEvaluation",
    "EvaluateAutomationConditionsResult",
    "evaluate_automation_conditions",
]


class AssetEvaluation:
    """One asset's evaluation on one tick: what was requested and what each node was.

    Attributes:
        key: the asset.
        view: what the engine knew about it (its partition order decodes subsets).
        requested: the partitions requested (``{None}`` for an unpartitioned asset).
        nodes: ``(path, condition node, true subset, matched upstream keys)`` per evaluated
            node, children before parents (the root node, path ``"0"``, is last).
        reason: why an asset without an evaluated condition was requested (an upstream asset
            refreshed with a ``keep_fresh()`` asset), else ``None``.
    """

    __slots__ = ("_flat", "key", "reason", "requested", "view")

    def __init__(
        self, view: AssetView, requested: Subset, flat: FlatResults, reason: str | None = None
    ) -> None:
        self.key = view.key
        self.view = view
        self.requested = requested
        self._flat = flat
        self.reason = reason

    @property
    def nodes(self) -> list[NodeResult]:
        """See the class attributes."""
        flat = self._flat
        return [(flat[i], flat[i + 1], flat[i + 2], flat[i + 3]) for i in range(0, len(flat), 4)]


class EvaluateAutomationConditionsResult:
    """What one evaluation requested, per asset, and the cursor for the next one.

    Attributes:
        cursor: pass it as ``cursor=`` to the next ``evaluate_automation_conditions`` call.
        evaluations: the :class:`AssetEvaluation` of every evaluated asset.
        evaluation_time: the time the tick evaluated at.
        evaluation_id: this tick's number (1 for the first tick of a cursor).
    """

    def __init__(
        self,
        evaluations: list[AssetEvaluation],
        cursor: str,
        evaluation_time: datetime,
        evaluation_id: int = 0,
    ) -> None:
        self.evaluations = evaluations
        self.cursor = cursor
        self.evaluation_time = evaluation_time
        self.evaluation_id = evaluation_id
        self._requested = {e.key: e.requested for e in evaluations if e.requested}

    @property
    def requested(self) -> dict[AssetKey, Subset]:
        """Asset key -> requested partitions (``{None}`` when unpartitioned), non-empty only."""
        return dict(self._requested)

    @property
    def total_requested(self) -> int:
        """How many asset partitions were requested (an unpartitioned asset counts one)."""
        return sum(len(s) for s in self._requested.values())

    def get_requested_partitions(self, asset_key: Any) -> set[str | None]:
        """The partitions of ``asset_key`` requested (``{None}``: the unpartitioned asset;
        empty: nothing)."""
        return set(self._requested.get(AssetKey.from_coercible(asset_key), ()))

    def get_num_requested(self, asset_key: Any) -> int:
        """How many partitions of ``asset_key`` were requested."""
        return len(self._requested.get(AssetKey.from_coercible(asset_key), ()))

    def __repr__(self) -> str:
        return f"EvaluateAutomationConditionsResult(total_requested={self.total_requested})"


def evaluate_automation_conditions(
    defs: Any,
    instance: Any,
    asset_selection: Any = None,
    evaluation_time: datetime | None = None,
    cursor: str | AutomationCursor | None = None,
    *,
    default_condition: Any = None,
) -> EvaluateAutomationConditionsResult:
    """Evaluate the automation conditions of ``defs``'s assets once, as the daemon's tick does.

    Nothing is launched: the result says what a tick would request. Call it again with the
    result's ``cursor`` to evaluate the next tick (``since``, ``newly_true``,
    ``newly_requested``, ``newly_updated``, ``code_version_changed`` and ``cron_tick_passed``
    compare with the previous tick through it).

    Args:
        defs: the ``Definitions`` (or a list of assets).
        instance: the instance whose materializations, runs, checks and backfills are read.
        asset_selection: the assets to evaluate (an ``AssetSelection``, keys or strings;
            default: every asset). Only assets with an ``automation_condition`` (or
            ``default_condition``) are evaluated.
        evaluation_time: the tick's time (an aware ``datetime``; naive means UTC; default now).
        cursor: the previous result's ``cursor`` (``None``: the first tick).
        default_condition: the condition of selected assets that declare none.

    Returns:
        An :class:`EvaluateAutomationConditionsResult`: ``total_requested``,
        ``get_requested_partitions(key)``, ``get_num_requested(key)``, ``cursor``.

    Raises:
        InvalidInvocationError: ``cursor`` is not a cursor of a previous result, or ``defs``
            is neither a ``Definitions`` nor a list of assets.
        InvalidSelectionError: ``asset_selection`` names unknown assets.

    Example:
        >>> import headwater as hw
        >>> @hw.asset(automation_condition=hw.AutomationCondition.eager())
        ... def a() -> int:
        ...     return 1
        >>> instance = hw.Instance.ephemeral()
        >>> first = hw.evaluate_automation_conditions(hw.Definitions(assets=[a]), instance)
        >>> first.total_requested  # eager never requests on the first tick
        0
        >>> instance.dispose()
    """
    now = _aware(evaluation_time)
    previous = _cursor(cursor)
    defs = _definitions(defs)
    with paused_gc():  # 10,000 assets' views and results all survive the tick
        return _evaluate(defs, instance, asset_selection, now, previous, default_condition)


def _evaluate(
    defs: Any,
    instance: Any,
    asset_selection: Any,
    now: datetime,
    previous: AutomationCursor,
    default_condition: Any,
) -> EvaluateAutomationConditionsResult:
    views = AssetViews(defs, now, instance, default_condition)
    targets = _targets(views, asset_selection)
    needed: set[AssetKey] = set()
    for view in targets:
        needed.add(view.key)
        needed.update(dep for dep, _ in view.deps)
    state = InstanceState(instance, sorted(needed), previous.storage_id)
    evaluator = TickEvaluator(views, state, previous.assets, previous.evaluation_timestamp, now)
    evaluations = []
    entries = _kept_entries(previous, views, asset_selection)
    for view in targets:
        requested, nodes, entry = evaluator.evaluate_asset(view)
        evaluations.append(AssetEvaluation(view, requested, nodes))
        entries[view.name] = entry
    evaluations = _with_fresh_upstream(evaluations, views, instance, now)
    state.ensure_read()
    next_cursor = AutomationCursor(
        evaluation_timestamp=now.timestamp(), storage_id=state.latest_storage_id,
        assets=entries, tick=previous.tick + 1,
    )  # fmt: skip
    return EvaluateAutomationConditionsResult(
        evaluations, next_cursor.to_json(), now, evaluation_id=next_cursor.tick
    )


def _with_fresh_upstream(
    evaluations: list[AssetEvaluation], views: AssetViews, instance: Any, now: datetime
) -> list[AssetEvaluation]:
    """The evaluations plus the upstream assets ``keep_fresh()`` assets bring into their runs,
    in topological order."""
    from headwater.orchestration.automation.keep_fresh import stale_upstream, wants_fresh_upstream

    extra: dict[AssetKey, tuple[Subset, list[str]]] = {}
    for evaluation in evaluations:
        if evaluation.requested and wants_fresh_upstream(evaluation.view.condition):
            found = stale_upstream(evaluation.view, evaluation.requested, views, instance, now)
            for key, subset in found.items():
                before, why = extra.get(key, (frozenset(), []))
                extra[key] = (before | subset, [*why, evaluation.view.name])
    if not extra:
        return evaluations
    by_key = {e.key: e for e in evaluations}
    for key, (subset, why) in extra.items():
        reason = f"too old for the freshness policy of {', '.join(why)} (keep_fresh)"
        current = by_key.get(key)
        if current is None:
            by_key[key] = AssetEvaluation(views[key], subset, [], reason)
        elif not subset <= current.requested:
            by_key[key] = AssetEvaluation(current.view, current.requested | subset,
                                          current._flat, reason)  # fmt: skip
    order = views.graph.toposorted_keys
    return [by_key[k] for k in order if k in by_key]


def _definitions(defs: Any) -> Any:
    """``defs``, or a ``Definitions`` of the assets in a list (as Dagster accepts)."""
    from headwater.declarations.definitions import Definitions

    if isinstance(defs, Definitions):
        return defs
    if isinstance(defs, (list, tuple)):
        return Definitions(assets=list(defs))
    raise InvalidInvocationError(
        f"evaluate_automation_conditions: defs must be a Definitions or a list of assets, got "
        f"{type(defs).__name__}."
    )


def _kept_entries(previous: AutomationCursor, views: AssetViews, selection: Any) -> dict[str, Any]:
    """The previous cursor's entries worth keeping: all of them when every asset is evaluated
    (each is replaced), else those of assets that still exist (another selection's)."""
    if selection is None or not previous.assets:
        return {}
    names = {key.to_user_string() for key in views.graph.all_keys}
    return {name: entry for name, entry in previous.assets.items() if name in names}


def _aware(evaluation_time: datetime | None) -> datetime:
    if evaluation_time is None:
        return datetime.now(UTC)
    if not isinstance(evaluation_time, datetime):
        raise InvalidInvocationError(
            f"evaluate_automation_conditions: evaluation_time must be a datetime, got "
            f"{evaluation_time!r}."
        )
    return evaluation_time if evaluation_time.tzinfo else evaluation_time.replace(tzinfo=UTC)


def _cursor(cursor: Any) -> AutomationCursor:
    if isinstance(cursor, AutomationCursor):
        return cursor
    if cursor is None or isinstance(cursor, str):
        return AutomationCursor.from_json(cursor)
    raise InvalidInvocationError(
        f"evaluate_automation_conditions: cursor must be the .cursor string of a previous "
        f"result or None, got {type(cursor).__name__}."
    )


def _targets(views: AssetViews, selection: Any) -> list[AssetView]:
    graph = views.graph
    keys: Iterable[AssetKey]
    if selection is None:
        keys = graph.toposorted_keys
    else:
        from headwater.asset_graph.selection import AssetSelection

        chosen = AssetSelection.from_coercible(selection).resolve(graph)
        keys = [k for k in graph.toposorted_keys if k in chosen]
    out = []
    for key in keys:
        if not graph.get(key).is_materializable:
            continue
        view = views[key]
        if view.condition is not None:
            out.append(view)
    return out
