"""Built-in asset check factories: metadata bounds, column schema changes, freshness.

Each factory returns one ``AssetChecksDefinition`` per asset. The checks load no asset
value: they read the asset's materializations from the instance of the check's context.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from headwater.declarations.checks.decorators import asset_check
from headwater.declarations.checks.definition import (
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    coerce_asset_key,
)
from headwater.errors import DefinitionError
from headwater.keys import AssetKey

#: Metadata keys holding a table schema, in the order they are looked for.
SCHEMA_METADATA_KEYS = ("columns", "column_schema", "dagster/column_schema")


def build_metadata_bounds_checks(
    *,
    assets: Sequence[Any],
    metadata_key: str,
    min_value: float | None = None,
    max_value: float | None = None,
    severity: AssetCheckSeverity = AssetCheckSeverity.ERROR,
    exclusive_min: bool = False,
    exclusive_max: bool = False,
    blocking: bool = False,
) -> list[AssetChecksDefinition[..., Any]]:
    """Checks that a numeric metadata value of each asset's latest materialization is in bounds.

    Args:
        assets: assets (definitions, specs or keys) to check.
        metadata_key: the materialization metadata entry, e.g. ``"row_count"``.
        min_value / max_value: the bounds (``None`` means unbounded on that side).
        severity: severity of a failure.
        exclusive_min / exclusive_max: whether the bound itself fails.
        blocking: whether a failure stops the steps downstream of the asset.

    Returns:
        One check named ``<metadata_key>_bounds_check`` per asset.

    Raises:
        DefinitionError: neither bound given, or ``min_value > max_value``.

    Example:
        >>> checks = build_metadata_bounds_checks(assets=["orders"], metadata_key="rows",
        ...                                       min_value=1)
        >>> checks[0].check_key.to_user_string()
        'orders:rows_bounds_check'
    """
    if min_value is None and max_value is None:
        raise DefinitionError("build_metadata_bounds_checks: give min_value, max_value or both.")
    if min_value is not None and max_value is not None and min_value > max_value:
        raise DefinitionError(
            f"build_metadata_bounds_checks: min_value {min_value} is above max_value {max_value}."
        )
    name = f"{metadata_key.replace('/', '_').replace('-', '_')}_bounds_check"

    def evaluate(context: Any, key: AssetKey) -> AssetCheckResult:
        entry = context.instance.get_latest_materialization_event(key)
        if entry is None or entry.asset_materialization is None:
            return _result(False, severity, f"{key.to_user_string()} was never materialized.")
        value = entry.asset_materialization.metadata.get(metadata_key)
        number = value.value if value is not None else None
        if not isinstance(number, int | float) or isinstance(number, bool):
            return _result(
                False,
                severity,
                f"Metadata {metadata_key!r} is missing or not a number: {number!r}.",
            )
        low_ok = min_value is None or (number > min_value if exclusive_min else number >= min_value)
        high_ok = max_value is None or (
            number < max_value if exclusive_max else number <= max_value
        )
        return AssetCheckResult(
            passed=low_ok and high_ok,
            severity=severity,
            metadata={"value": number, "min_value": min_value, "max_value": max_value},
            description=f"{metadata_key} = {number}; bounds [{min_value}, {max_value}].",
        )

    return _per_asset(assets, name, evaluate, blocking=blocking)


def build_column_schema_change_checks(
    *,
    assets: Sequence[Any],
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
) -> list[AssetChecksDefinition[..., Any]]:
    """Checks that the column schema did not change between the latest two materializations.

    The schema is the ``columns`` (or ``column_schema``) metadata of a materialization,
    a ``TableSchema`` value. Fewer than two materializations with a schema pass.

    Args:
        assets: assets (definitions, specs or keys) to check.
        severity: severity of a failure (default ``WARN``).

    Returns:
        One check named ``column_schema_change`` per asset; a failure's metadata lists the
        added, removed and retyped columns.

    Example:
        >>> build_column_schema_change_checks(assets=["orders"])[0].check_key.name
        'column_schema_change'
    """

    def evaluate(context: Any, key: AssetKey) -> AssetCheckResult:
        page = context.instance.fetch_materializations(key, limit=2)
        schemas = [_schema(r.event_log_entry) for r in page.records]
        if len(schemas) < 2 or schemas[0] is None or schemas[1] is None:
            return AssetCheckResult(
                passed=True, severity=severity, description="Fewer than two schemas to compare."
            )
        new, old = schemas[0], schemas[1]
        added = sorted(set(new) - set(old))
        removed = sorted(set(old) - set(new))
        retyped = sorted(c for c in set(new) & set(old) if new[c] != old[c])
        changed = bool(added or removed or retyped)
        return AssetCheckResult(
            passed=not changed,
            severity=severity,
            metadata={"added_columns": added, "removed_columns": removed, "retyped": retyped},
            description="The column schema changed." if changed else "The schema is unchanged.",
        )

    return _per_asset(assets, "column_schema_change", evaluate)


def build_last_update_freshness_checks(
    *,
    assets: Sequence[Any],
    lower_bound_delta: timedelta,
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
    blocking: bool = False,
) -> list[AssetChecksDefinition[..., Any]]:
    """Checks that each asset was materialized within the last ``lower_bound_delta``.

    Args:
        assets: assets (definitions, specs or keys) to check.
        lower_bound_delta: the latest materialization must be newer than ``now - delta``.
        severity: severity of a failure (default ``WARN``).
        blocking: whether a failure stops the steps downstream of the asset.

    Returns:
        One check named ``freshness_check`` per asset.

    Example:
        >>> checks = build_last_update_freshness_checks(assets=["orders"],
        ...                                             lower_bound_delta=timedelta(hours=1))
        >>> checks[0].check_key.name
        'freshness_check'
    """
    seconds = lower_bound_delta.total_seconds()

    def evaluate(context: Any, key: AssetKey) -> AssetCheckResult:
        entry = context.instance.get_latest_materialization_event(key)
        now = time.time()
        if entry is None:
            return _result(False, severity, f"{key.to_user_string()} was never materialized.")
        age = now - entry.timestamp
        return AssetCheckResult(
            passed=age <= seconds,
            severity=severity,
            metadata={"last_updated_timestamp": entry.timestamp, "age_seconds": age},
            description=f"Last materialized {age:.0f}s ago; the limit is {seconds:.0f}s.",
        )

    return _per_asset(assets, "freshness_check", evaluate, blocking=blocking)


def _per_asset(
    assets: Iterable[Any], name: str, evaluate: Any, *, blocking: bool = False
) -> list[AssetChecksDefinition[..., Any]]:
    checks = []
    for asset in assets:
        key = coerce_asset_key(asset, f"check {name!r}")

        def fn(context: Any, _key: AssetKey = key) -> AssetCheckResult:
            result: AssetCheckResult = evaluate(context, _key)
            return result

        fn.__name__ = name
        checks.append(asset_check(asset=key, name=name, blocking=blocking)(fn))
    return checks


def _result(passed: bool, severity: AssetCheckSeverity, description: str) -> AssetCheckResult:
    return AssetCheckResult(passed=passed, severity=severity, description=description)


def _schema(entry: Any) -> dict[str, str] | None:
    mat = entry.asset_materialization
    if mat is None:
        return None
    for meta_key in SCHEMA_METADATA_KEYS:
        value = mat.metadata.get(meta_key)
        if value is not None and value.kind == "table_schema":
            columns = value.value.columns if hasattr(value.value, "columns") else value.value
            return {
                (c.name if hasattr(c, "name") else c["name"]): (
                    c.type if hasattr(c, "type") else c.get("type", "string")
                )
                for c in columns
            }
    return None
