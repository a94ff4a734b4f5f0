"""The ``@asset_check`` and ``@multi_asset_check`` decorators."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

from headwater.declarations.assets.specs import AssetIn
from headwater.declarations.checks.definition import (
    AssetChecksDefinition,
    AssetCheckSpec,
    coerce_asset_key,
)
from headwater.declarations.signature import FunctionParams, analyze_function
from headwater.errors import DefinitionError
from headwater.keys import AssetKey

P = ParamSpec("P")
R = TypeVar("R")


def asset_check(
    *,
    asset: Any,
    name: str | None = None,
    description: str | None = None,
    blocking: bool = False,
    additional_deps: Iterable[Any] | None = None,
    additional_ins: Mapping[str, AssetIn] | None = None,
    required_resource_keys: Iterable[str] | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Callable[[Callable[P, R]], AssetChecksDefinition[P, R]]:
    """Declare a check on ``asset``, computed by the decorated function in a step of its own.

    The function's parameters are: an optional context first, the asset's value (a parameter
    named as the asset's last key component, loaded by its IO manager), other assets' values
    named in ``additional_ins``, and resources (annotated as for ``@asset``). It returns an
    :class:`~headwater.declarations.checks.definition.AssetCheckResult`.

    Args:
        asset: the checked asset (key, ``"a/b"``, spec or ``@asset`` definition).
        name: the check name (default: the function name).
        description: defaults to the function's docstring.
        blocking: a failed ``ERROR`` result stops every step downstream of the asset.
        additional_deps: other assets that must be materialized first (not loaded).
        additional_ins: parameter -> ``AssetIn`` of other assets to load.
        required_resource_keys: resources reachable as ``context.resources.<key>``.
        metadata: definition metadata of the check.

    Returns:
        An :class:`AssetChecksDefinition`; calling it calls the function.

    Raises:
        DefinitionError: a parameter that is neither the asset, an ``additional_ins`` entry, a
            resource nor the context; an invalid name.

    Example:
        >>> from headwater import AssetCheckResult
        >>> @asset_check(asset="orders")
        ... def orders_not_empty(orders: list[int]) -> AssetCheckResult:
        ...     return AssetCheckResult(passed=len(orders) > 0)
        >>> orders_not_empty.check_key.to_user_string()
        'orders:orders_not_empty'
    """

    def build(fn: Callable[P, R]) -> AssetChecksDefinition[P, R]:
        check_name = name or fn.__name__
        asset_key = coerce_asset_key(asset, f"asset_check {check_name!r}")
        where = f"asset_check {check_name!r} on {asset_key.to_user_string()!r}"
        params = analyze_function(fn, where=where)
        extra = dict(additional_ins or {})
        input_keys: dict[str, AssetKey] = {}
        # The checked asset's value goes to the parameter named after it, else (as in Dagster)
        # to the first parameter that is not in additional_ins, whatever its name.
        candidates = [
            p for p in params.input_params if p not in extra and p not in params.defaults
        ]
        asset_param = asset_key.path[-1] if asset_key.path[-1] in candidates else None
        if asset_param is None and candidates:
            asset_param = candidates[0]
        for param in params.input_params:
            if param in extra:
                input_keys[param] = extra[param].key or AssetKey(param)
            elif param == asset_param:
                input_keys[param] = asset_key
            elif param not in params.defaults:
                raise DefinitionError(
                    f"{where}: parameter {param!r} is not the checked asset (which "
                    f"{asset_param!r} loads), nor in additional_ins, nor a resource. Remove it "
                    "or add it to additional_ins."
                )
        spec = AssetCheckSpec(
            check_name,
            asset=asset_key,
            description=description or _doc(fn),
            blocking=blocking,
            additional_deps=[*(additional_deps or ()), *input_keys.values()],
            metadata=metadata,
        )
        return AssetChecksDefinition(
            node_name=f"{asset_key.to_python_identifier()}_{check_name}",
            compute_fn=fn,
            check_specs=[spec],
            params=params,
            input_keys=input_keys,
            ins=extra,
            required_resource_keys=_resource_keys(params, required_resource_keys),
        )

    return build


def multi_asset_check(
    *,
    specs: Sequence[AssetCheckSpec],
    name: str | None = None,
    description: str | None = None,
    can_subset: bool = False,
    ins: Mapping[str, AssetIn | Any] | None = None,
    required_resource_keys: Iterable[str] | None = None,
) -> Callable[[Callable[P, R]], AssetChecksDefinition[P, R]]:
    """Declare several checks evaluated by one function, which yields one result per check.

    Each yielded ``AssetCheckResult`` names its check with ``asset_key=`` and ``check_name=``
    (either may be left out when it is unambiguous).

    Args:
        specs: the checks (they may target different assets).
        name: the step name (default: the function name).
        description: documentation of the step.
        can_subset: whether a run may ask for only some of the checks (read
            ``context.selected_asset_check_keys``).
        ins: parameter -> ``AssetIn`` (or key) of assets whose values the function loads.
        required_resource_keys: resources reachable as ``context.resources.<key>``.

    Returns:
        An :class:`AssetChecksDefinition`.

    Raises:
        DefinitionError: no specs, duplicate check keys, an unknown parameter.

    Example:
        >>> from headwater import AssetCheckResult
        >>> specs = [AssetCheckSpec("a", asset="t"), AssetCheckSpec("b", asset="t")]
        >>> @multi_asset_check(specs=specs)
        ... def two_checks():
        ...     yield AssetCheckResult(check_name="a", passed=True)
        ...     yield AssetCheckResult(check_name="b", passed=True)
        >>> sorted(k.name for k in two_checks.check_keys)
        ['a', 'b']
    """

    def build(fn: Callable[P, R]) -> AssetChecksDefinition[P, R]:
        node_name = name or fn.__name__
        where = f"multi_asset_check {node_name!r}"
        if not specs:
            raise DefinitionError(f"{where}: give at least one AssetCheckSpec in specs=.")
        keys = [s.key for s in specs]
        if len(set(keys)) != len(keys):
            raise DefinitionError(f"{where}: two specs have the same check key.")
        params = analyze_function(fn, where=where)
        asset_ins = {
            k: v if isinstance(v, AssetIn) else AssetIn(key=coerce_asset_key(v, where))
            for k, v in (ins or {}).items()
        }
        checked_assets = {s.asset_key for s in specs}
        input_keys: dict[str, AssetKey] = {}
        for param in params.input_params:
            if param in asset_ins:
                input_keys[param] = asset_ins[param].key or AssetKey(param)
            elif AssetKey(param) in checked_assets:
                # A parameter named after an asset the checks target loads that asset's value.
                input_keys[param] = AssetKey(param)
            elif param not in params.defaults:
                raise DefinitionError(
                    f"{where}: parameter {param!r} is not in ins= and is not the name of an "
                    f"asset the checks target; add ins={{{param!r}: AssetIn(key=...)}} to load "
                    "an asset's value."
                )
        return AssetChecksDefinition(
            node_name=node_name,
            compute_fn=fn,
            check_specs=list(specs),
            params=params,
            input_keys=input_keys,
            ins=asset_ins,
            required_resource_keys=_resource_keys(params, required_resource_keys),
            can_subset=can_subset,
        )

    return build


def _resource_keys(params: FunctionParams, required: Iterable[str] | None) -> frozenset[str]:
    return frozenset(required or ()) | frozenset(params.resource_params.values())


def _doc(fn: Callable[..., Any]) -> str | None:
    import inspect

    return inspect.cleandoc(fn.__doc__) if fn.__doc__ else None
