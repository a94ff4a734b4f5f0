"""Asset checks during a run: which checks run, and turning results into evaluation events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from headwater.declarations.assets.definition import AssetsDefinition
from headwater.declarations.checks.definition import (
    AssetCheckEvaluation,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
)
from headwater.errors import AssetCheckFailedError, ExecutionError
from headwater.events.types import EventType
from headwater.keys import AssetCheckKey, AssetKey

if TYPE_CHECKING:
    from headwater.execution.run.state import ExecutionInstance, RunContext


def split_check_selection(selection: Any) -> tuple[Any, frozenset[AssetCheckKey] | None]:
    """Separate check keys (and check definitions) from the asset part of a selection.

    Returns:
        ``(asset_selection, check_keys)``: ``check_keys`` is ``None`` when the selection names
        no checks; ``asset_selection`` is ``()`` when it names only checks.
    """
    if selection is None or isinstance(selection, str) or not isinstance(selection, Iterable):
        return selection, None
    items = list(selection)
    checks: set[AssetCheckKey] = set()
    rest: list[Any] = []
    for item in items:
        if isinstance(item, AssetCheckKey):
            checks.add(item)
        elif isinstance(item, AssetChecksDefinition):
            checks |= item.check_keys
        else:
            rest.append(item)
    if not checks:
        return selection, None
    return rest, frozenset(checks)


def checks_to_run(
    checks_by_key: Mapping[AssetCheckKey, AssetChecksDefinition[..., Any]],
    asset_keys: Iterable[AssetKey],
    check_keys: Iterable[AssetCheckKey] | None = None,
) -> list[AssetChecksDefinition[..., Any]]:
    """The standalone check definitions of a run, each subsetted to its selected checks.

    Args:
        checks_by_key: every standalone check of the definitions.
        asset_keys: the assets the run materializes; their checks run too.
        check_keys: checks selected explicitly (their assets are not materialized).

    Raises:
        ExecutionError: an explicitly selected check is not defined.
    """
    wanted = {k for k in checks_by_key if k.asset_key in frozenset(asset_keys)}
    for key in check_keys or ():
        if key not in checks_by_key:
            known = sorted(k.to_user_string() for k in checks_by_key)
            raise ExecutionError(
                f"No standalone asset check {key.to_user_string()!r} is defined; the checks "
                f"are {known}."
            )
        wanted.add(key)
    by_node: dict[str, tuple[AssetChecksDefinition[..., Any], set[AssetCheckKey]]] = {}
    for key in sorted(wanted):
        checks_def = checks_by_key[key]
        by_node.setdefault(checks_def.node_name, (checks_def, set()))[1].add(key)
    return [
        d if keys == d.check_keys else d.subset_for_checks(keys) for d, keys in by_node.values()
    ]


def split_check_results(logged: Sequence[Any]) -> tuple[list[AssetCheckResult], list[Any]]:
    """``(check results, other logged events)`` of what a step function produced."""
    results = [e for e in logged if isinstance(e, AssetCheckResult)]
    return results, [e for e in logged if not isinstance(e, AssetCheckResult)]


def match_results(
    where: str,
    specs: Sequence[AssetCheckSpec],
    results: Sequence[AssetCheckResult],
    *,
    require_all: bool = True,
) -> list[tuple[AssetCheckSpec, AssetCheckResult]]:
    """Pair each result with its spec (in spec order; checks without a result are left out
    when ``require_all`` is false).

    Raises:
        ExecutionError: a result for an unknown check, two results for one check, or (with
            ``require_all``) a check without a result.
    """
    pairs: dict[AssetCheckKey, tuple[AssetCheckSpec, AssetCheckResult]] = {}
    for result in results:
        candidates = [
            s
            for s in specs
            if (result.check_name is None or s.name == result.check_name)
            and (result.asset_key is None or s.asset_key == result.asset_key)
        ]
        if len(candidates) != 1:
            names = sorted(s.key.to_user_string() for s in specs)
            problem = "matches no check" if not candidates else "is ambiguous"
            raise ExecutionError(
                f"{where}: AssetCheckResult(asset_key={result.asset_key}, "
                f"check_name={result.check_name!r}) {problem}; its checks are {names}. Give "
                "asset_key= and check_name= to say which check the result is for."
            )
        spec = candidates[0]
        if spec.key in pairs:
            raise ExecutionError(
                f"{where} produced two results for check {spec.key.to_user_string()!r}."
            )
        pairs[spec.key] = (spec, result)
    missing = [s.key.to_user_string() for s in specs if s.key not in pairs]
    if missing and require_all:
        raise ExecutionError(
            f"{where} returned no AssetCheckResult for check(s) {missing}. Return (or yield) "
            "AssetCheckResult(passed=...) for each check."
        )
    return [pairs[s.key] for s in specs if s.key in pairs]


def emit_check_evaluations(
    step_key: str,
    assets_def: AssetsDefinition[..., Any],
    run_ctx: RunContext,
    results: Sequence[AssetCheckResult],
    *,
    partial: bool = False,
    failed: bool = False,
) -> None:
    """Record an ``ASSET_CHECK_EVALUATION`` per check of the step.

    Args:
        partial: record only the checks that have a result (a subsettable multi-asset, or a
            step that failed), instead of requiring one result per check.
        failed: the step already failed: record what there is and raise nothing.

    Raises:
        ExecutionError: see :func:`match_results`.
        AssetCheckFailedError: a blocking check failed with severity ``ERROR`` (after every
            evaluation was recorded).
    """
    where = f"step {step_key!r}"
    pairs = match_results(
        where, assets_def.check_specs, results, require_all=not (partial or failed)
    )
    sink = run_ctx.sink
    partition = run_ctx.partitions_of(step_key).single_key
    keys = {s.asset_key for s, _ in pairs}
    targets: dict[AssetKey, int] = {}
    if isinstance(assets_def, AssetChecksDefinition):
        # A standalone check: its asset was stored by an earlier step of this run, or before.
        known = sink.materialization_ids
        targets = {k: known[k] for k in keys if k in known}
        targets.update(_latest_materialization_ids(run_ctx.instance, keys - set(targets)))
    # A check in the asset's own step targets the materialization of the same step (whose
    # storage id is assigned when the step's events are committed together).
    blocked: list[str] = []
    for spec, result in pairs:
        evaluation = AssetCheckEvaluation(
            asset_key=spec.asset_key,
            check_name=spec.name,
            passed=result.passed,
            severity=result.severity,
            metadata=result.metadata,
            description=result.description,
            target_materialization_storage_id=targets.get(spec.asset_key),
            blocking=spec.blocking,
        )
        outcome = "passed" if result.passed else f"failed ({result.severity.value})"
        sink.emit(
            EventType.ASSET_CHECK_EVALUATION,
            f"Asset check {spec.key.to_user_string()!r} {outcome}.",
            step_key=step_key,
            asset_key=spec.asset_key,
            partition=partition,
            data=evaluation.to_event_data(),
            level=20 if result.passed or result.severity is AssetCheckSeverity.WARN else 30,
        )
        if spec.blocking and not result.passed and result.severity is AssetCheckSeverity.ERROR:
            blocked.append(spec.key.to_user_string())
    if blocked and not failed:
        raise AssetCheckFailedError(
            f"Blocking asset check(s) {blocked} failed with severity ERROR; the assets "
            "downstream of the checked asset will not be materialized in this run.",
            check_keys=blocked,
        )


def _latest_materialization_ids(
    instance: ExecutionInstance, keys: set[AssetKey]
) -> dict[AssetKey, int]:
    storage = getattr(instance, "storage", None)
    if storage is None or not keys:
        return {}
    records = storage.get_latest_materialization_records(sorted(keys))
    return {k: r.storage_id for k, r in records.items()}
