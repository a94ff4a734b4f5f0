"""The ``@asset`` and ``@multi_asset`` decorators."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar, overload

from headwater.declarations._gc import frozen
from headwater.declarations.assets.definition import DEFAULT_IO_MANAGER_KEY, AssetsDefinition
from headwater.declarations.assets.specs import (
    DEFAULT_GROUP_NAME,
    AssetIn,
    AssetOut,
    AssetSpec,
    _coerce_key_prefix,
    coerce_deps,
    interned_key,
    with_group,
)
from headwater.declarations.signature import (
    FunctionParams,
    analyze_function,
    with_var_keyword_inputs,
)
from headwater.errors import DefinitionError
from headwater.keys import AssetKey, CoercibleToAssetKey

P = ParamSpec("P")
R = TypeVar("R")


def _input_keys(
    params: FunctionParams,
    ins: Mapping[str, AssetIn],
    key_prefix: tuple[str, ...],
    where: str,
) -> dict[str, AssetKey]:
    """Input parameter -> upstream key (``Nothing``-typed ins are deps, see ``_nothing_deps``)."""
    unknown = set(ins) - set(params.input_params) - set(_nothing_deps(ins, key_prefix))
    if unknown:
        raise DefinitionError(
            f"{where}: ins= names {sorted(unknown)} but the function has no such parameter "
            f"(its inputs are {list(params.input_params)}). Rename the parameter or the ins entry."
        )
    keys: dict[str, AssetKey] = {}
    for name in params.input_params:
        spec = ins.get(name)
        if spec is not None and spec.key is not None:
            keys[name] = spec.key
        else:
            prefix = spec.key_prefix if spec is not None and spec.key_prefix else key_prefix
            keys[name] = interned_key((*prefix, name))
    return keys


def _nothing(spec: AssetIn) -> bool:
    return bool(getattr(spec.dagster_type, "is_nothing", False))


def _nothing_deps(ins: Mapping[str, AssetIn], key_prefix: tuple[str, ...]) -> dict[str, AssetKey]:
    """``ins`` entries typed ``Nothing``: order-only dependencies with no parameter."""
    out: dict[str, AssetKey] = {}
    for name, spec in ins.items():
        if _nothing(spec):
            out[name] = spec.key or AssetKey([*(spec.key_prefix or key_prefix), name])
    return out


def _params(
    fn: Callable[..., Any],
    ins: Mapping[str, AssetIn] | None,
    where: str,
    *,
    allow_var_keyword: bool,
) -> FunctionParams:
    """The function's parameter roles; with ``**kwargs``, ``ins`` entries without a parameter
    are inputs passed by name."""
    params = analyze_function(fn, where=where, allow_var_keyword=allow_var_keyword)
    loaded = [n for n, spec in (ins or {}).items() if not _nothing(spec)]
    return with_var_keyword_inputs(params, loaded)


@dataclass(frozen=True, slots=True)
class SingleAsset:
    """What ``@asset`` and ``@graph_asset`` derive alike from a function and their arguments."""

    spec: AssetSpec
    step_name: str
    params: FunctionParams
    input_keys: dict[str, AssetKey]
    where: str


def single_asset(
    fn: Callable[..., Any],
    decorator: str,
    *,
    name: str | None,
    key: CoercibleToAssetKey | None,
    key_prefix: str | Sequence[str] | None,
    ins: Mapping[str, AssetIn] | None,
    deps: Iterable[Any] | None,
    metadata: Mapping[str, Any] | None,
    tags: Mapping[str, str] | None,
    description: str | None,
    group_name: str | None,
    code_version: str | None,
    owners: Sequence[str] | None,
    kinds: Iterable[str] | None,
    partitions_def: Any,
    automation_condition: Any = None,
    skippable: bool = False,
    freshness_policy: Any = None,
) -> SingleAsset:
    """The key, step name, parameters, input keys and spec of a one-asset decorator.

    Raises:
        DefinitionError: ``key=`` given with ``name=``/``key_prefix=``, or a bad ``ins`` entry.
    """
    node_name = name or (AssetKey.from_coercible(key).path[-1] if key else fn.__name__)
    if key is not None and (name is not None or key_prefix is not None):
        raise DefinitionError(
            f"{decorator} {node_name!r}: give either key= or name=/key_prefix=, not both."
        )
    prefix = _coerce_key_prefix(key_prefix)
    if key is not None:
        asset_key = AssetKey.from_coercible(key)
    else:
        asset_key = interned_key((*prefix, node_name))
    where = f"{decorator} {asset_key.to_user_string()!r}"
    params = _params(fn, ins, where, allow_var_keyword=decorator == "asset")
    needs_inputs = bool(params.input_params or ins)
    input_keys = _input_keys(params, ins or {}, prefix, where) if needs_inputs else {}
    all_deps: tuple[Any, ...] = ()
    if input_keys:
        all_deps += coerce_deps(input_keys.values(), where=where)
    if ins:
        all_deps += coerce_deps(_nothing_deps(ins, prefix).values(), where=where)
    if deps:
        all_deps += coerce_deps(deps, where=where)
    spec = AssetSpec(
        asset_key,
        deps=_unique_deps(all_deps),
        description=description or _doc(fn),
        metadata=metadata,
        group_name=group_name or DEFAULT_GROUP_NAME,
        code_version=code_version,
        owners=owners,
        tags=tags,
        kinds=kinds,
        partitions_def=partitions_def,
        automation_condition=automation_condition,
        skippable=skippable,
        freshness_policy=freshness_policy,
    )
    step_name = asset_key.to_python_identifier() if key is not None or prefix else node_name
    return SingleAsset(spec, step_name, params, input_keys, where)


def _resource_keys(params: FunctionParams, required: Iterable[str] | None) -> frozenset[str]:
    if not required and not params.resource_params:
        return frozen(None)
    return frozenset(required or ()) | frozenset(params.resource_params.values())


@overload
def asset(compute_fn: Callable[P, R], /) -> AssetsDefinition[P, R]: ...


@overload
def asset(
    compute_fn: None = None,
    /,
    *,
    name: str | None = None,
    key: CoercibleToAssetKey | None = None,
    key_prefix: str | Sequence[str] | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    group_name: str | None = None,
    code_version: str | None = None,
    owners: Sequence[str] | None = None,
    kinds: Iterable[str] | None = None,
    compute_kind: str | None = None,
    io_manager_key: str | None = None,
    dagster_type: Any = None,
    required_resource_keys: Iterable[str] | None = None,
    config_schema: Any = None,
    op_tags: Mapping[str, str] | None = None,
    partitions_def: Any = None,
    retry_policy: Any = None,
    backfill_policy: Any = None,
    pool: str | None = None,
    check_specs: Sequence[Any] | None = None,
    automation_condition: Any = None,
    output_required: bool = True,
    freshness_policy: Any = None,
) -> Callable[[Callable[P, R]], AssetsDefinition[P, R]]: ...


def asset(
    compute_fn: Callable[P, R] | None = None,
    /,
    *,
    name: str | None = None,
    key: CoercibleToAssetKey | None = None,
    key_prefix: str | Sequence[str] | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    metadata: Mapping[str, Any] | None = None,
    tags: Mapping[str, str] | None = None,
    description: str | None = None,
    group_name: str | None = None,
    code_version: str | None = None,
    owners: Sequence[str] | None = None,
    kinds: Iterable[str] | None = None,
    compute_kind: str | None = None,
    io_manager_key: str | None = None,
    dagster_type: Any = None,
    required_resource_keys: Iterable[str] | None = None,
    config_schema: Any = None,
    op_tags: Mapping[str, str] | None = None,
    partitions_def: Any = None,
    retry_policy: Any = None,
    backfill_policy: Any = None,
    pool: str | None = None,
    check_specs: Sequence[Any] | None = None,
    automation_condition: Any = None,
    output_required: bool = True,
    freshness_policy: Any = None,
) -> AssetsDefinition[P, R] | Callable[[Callable[P, R]], AssetsDefinition[P, R]]:
    """Declare an asset computed by the decorated function.

    Parameters of the function are, in order of precedence: the context (first parameter
    named ``context`` or annotated ``AssetExecutionContext``), resources (annotated with a
    ``ConfigurableResource`` subclass; the parameter name is the resource key), config
    (annotated with a ``Config`` subclass), and upstream assets (every other parameter: its
    value is loaded by the upstream asset's IO manager; the key is the parameter name under
    ``key_prefix`` unless ``ins`` says otherwise).

    Args:
        name: the last key component and the step name (default: the function name).
        key: the full key; excludes ``name`` and ``key_prefix``.
        key_prefix: components put before ``name`` (also used for default input keys).
        ins: ``AssetIn`` per input parameter.
        deps: upstream assets not loaded as values (keys, strings, specs or assets).
        metadata: definition metadata.
        tags: string tags (selectable with ``tag:key=value``).
        description: defaults to the function's docstring.
        group_name: the asset group (default ``"default"``).
        code_version: change it when the computation changes.
        owners: e-mails or ``team:name``.
        kinds: technologies (``{"duckdb"}``), selectable with ``kind:``.
        compute_kind: Dagster's older single-kind argument; added to ``kinds``.
        io_manager_key: resource key of the IO manager storing the output (default
            ``"io_manager"``).
        dagster_type: a ``DataType`` (or annotation) the output must satisfy (default: the
            return annotation).
        required_resource_keys: resources reachable as ``context.resources.<key>``.
        config_schema: a legacy config schema (``{"limit": Field(int, default_value=10)}``,
            ``Shape``, ``str``, ...) read as ``context.op_config``; or use a ``Config``
            parameter instead.
        op_tags: tags of the step.
        partitions_def: the asset's partitions (``DailyPartitionsDefinition(...)``, ...).
        retry_policy: a ``RetryPolicy`` for the asset's step (default: the job's, else none).
        backfill_policy: how many partitions one backfill run materializes.
        pool: a concurrency pool: the step takes a slot of it while it executes, so at most
            the pool's limit (``headwater instance concurrency set POOL N``, or
            ``concurrency.pools.default_limit`` in ``headwater.yaml``) run at once across all
            runs; a pool without a limit limits nothing.
        check_specs: ``AssetCheckSpec``s evaluated in this step; the function then also returns
            or yields an ``AssetCheckResult`` per check (or ``MaterializeResult(check_results=)``).
        automation_condition: an ``AutomationCondition`` saying when the automation daemon
            should materialize the asset (stored on the spec; the daemon evaluates it).
        freshness_policy: a ``FreshnessPolicy`` saying how recently the asset must have been
            materialized (the daemon keeps its freshness state: PASS, WARN, FAIL, UNKNOWN).
        output_required: ``False`` lets the function produce no value (a generator that
            yields no ``Output``): the asset is then not materialized and the assets that load
            it are skipped (default ``True``: producing nothing fails the step).

    Returns:
        An :class:`AssetsDefinition`; calling it calls the function.

    Raises:
        DefinitionError: a bad key, an ``ins`` entry without a parameter, ``*args``.

    Example:
        >>> @asset(group_name="raw")
        ... def numbers() -> list[int]:
        ...     return [1, 2, 3]
        >>> numbers.key
        AssetKey(['numbers'])
    """

    def build(fn: Callable[P, R]) -> AssetsDefinition[P, R]:
        single = single_asset(
            fn, "asset", name=name, key=key, key_prefix=key_prefix, ins=ins, deps=deps,
            metadata=metadata, tags=tags, description=description, group_name=group_name,
            code_version=code_version, owners=owners, kinds=_kinds(kinds, compute_kind),
            partitions_def=partitions_def, automation_condition=automation_condition,
            skippable=not output_required, freshness_policy=freshness_policy,
        )  # fmt: skip
        asset_key, params, where = single.spec.key, single.params, single.where
        return AssetsDefinition(
            node_name=single.step_name,
            compute_fn=fn,
            specs_by_output_name={"result": single.spec},
            ins=ins,
            input_keys=single.input_keys,
            params=params,
            io_manager_keys={"result": io_manager_key or DEFAULT_IO_MANAGER_KEY},
            dagster_types={"result": dagster_type} if dagster_type is not None else None,
            required_resource_keys=_resource_keys(params, required_resource_keys),
            op_tags=op_tags,
            retry_policy=retry_policy,
            partitions_def=partitions_def,
            backfill_policy=backfill_policy,
            pool=pool,
            check_specs=_own_check_specs(check_specs, {asset_key}, where),
            config_schema=_config_model(config_schema, params, where),
        )

    if compute_fn is not None:
        return build(compute_fn)
    return build


def multi_asset(
    *,
    outs: Mapping[str, AssetOut] | None = None,
    specs: Sequence[AssetSpec] | None = None,
    name: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    description: str | None = None,
    can_subset: bool = False,
    group_name: str | None = None,
    required_resource_keys: Iterable[str] | None = None,
    config_schema: Any = None,
    op_tags: Mapping[str, str] | None = None,
    compute_kind: str | None = None,
    partitions_def: Any = None,
    retry_policy: Any = None,
    backfill_policy: Any = None,
    pool: str | None = None,
    check_specs: Sequence[Any] | None = None,
) -> Callable[[Callable[P, R]], AssetsDefinition[P, R]]:
    """Declare several assets computed by one function.

    The function either returns a tuple with one value per output (in ``outs`` order) or yields
    ``Output(value, output_name=...)`` / ``MaterializeResult(asset_key=...)`` once per asset.
    With ``can_subset=True`` it may be asked for a subset (``context.selected_asset_keys``) and
    must then produce only those.

    Args:
        outs: output name -> ``AssetOut``. Exclusive with ``specs``.
        specs: one ``AssetSpec`` per asset; output names are derived from the keys
            (``a/b`` -> ``a__b``). Exclusive with ``outs``.
        name: the step name (default: the function name).
        ins, deps, description, group_name, required_resource_keys, op_tags: as for ``@asset``;
            ``ins``/``deps`` become upstream dependencies of every output.
        config_schema: as for ``@asset``.
        can_subset: whether a run may materialize only some of the outputs.
        check_specs: ``AssetCheckSpec``s on its assets, evaluated in this step (the function
            yields an ``AssetCheckResult`` per check).

    Raises:
        DefinitionError: neither or both of ``outs``/``specs``, duplicate keys.

    Example:
        >>> @multi_asset(outs={"a": AssetOut(), "b": AssetOut()})
        ... def a_and_b():
        ...     return 1, 2
        >>> sorted(k.to_user_string() for k in a_and_b.keys)
        ['a', 'b']
    """

    def build(fn: Callable[P, R]) -> AssetsDefinition[P, R]:
        node_name = name or fn.__name__
        where = f"multi_asset {node_name!r}"
        if (outs is None) == (specs is None):
            raise DefinitionError(f"{where}: give exactly one of outs= or specs=.")
        params = _params(fn, ins, where, allow_var_keyword=True)
        input_keys = _input_keys(params, ins or {}, (), where)
        shared = (
            *coerce_deps(input_keys.values(), where=where),
            *coerce_deps(_nothing_deps(ins or {}, ()).values(), where=where),
            *coerce_deps(deps, where=where),
        )
        specs_by_output: dict[str, AssetSpec] = {}
        io_keys: dict[str, str] = {}
        if outs is not None:
            for out_name, out in outs.items():
                spec = out.to_spec(out_name, deps=_unique_deps(shared), group_name=group_name)
                specs_by_output[out_name] = with_group(spec, group_name)
                io_keys[out_name] = out.io_manager_key or DEFAULT_IO_MANAGER_KEY
        else:
            for spec in specs or ():
                out_name = spec.key.to_python_identifier()
                merged = spec.replace_attributes(deps=_unique_deps((*shared, *spec.deps)))
                specs_by_output[out_name] = with_group(merged, group_name)
                io_keys[out_name] = DEFAULT_IO_MANAGER_KEY
        if description is not None or compute_kind is not None:
            specs_by_output = {
                n: s.replace_attributes(
                    description=s.description or description,
                    kinds=_kinds(s.kinds, compute_kind),
                )
                for n, s in specs_by_output.items()
            }
        keys = [s.key for s in specs_by_output.values()]
        if len(set(keys)) != len(keys):
            raise DefinitionError(f"{where}: two outputs have the same asset key.")
        if not keys:
            raise DefinitionError(f"{where}: a multi_asset needs at least one output.")
        return AssetsDefinition(
            node_name=node_name,
            compute_fn=fn,
            specs_by_output_name=specs_by_output,
            ins=ins,
            input_keys=input_keys,
            params=params,
            io_manager_keys=io_keys,
            dagster_types={n: o.dagster_type for n, o in (outs or {}).items() if o.dagster_type},
            required_resource_keys=_resource_keys(params, required_resource_keys),
            can_subset=can_subset,
            op_tags=op_tags,
            retry_policy=retry_policy,
            partitions_def=partitions_def,
            backfill_policy=backfill_policy,
            pool=pool,
            check_specs=_own_check_specs(check_specs, set(keys), where),
            config_schema=_config_model(config_schema, params, where),
        )

    return build


def _config_model(schema: Any, params: FunctionParams, where: str) -> Any:
    """The model of a legacy ``config_schema=`` (``None`` when not given)."""
    if schema is None:
        return None
    if params.config_param is not None:
        raise DefinitionError(
            f"{where}: it has a Config parameter ({params.config_param[0]!r}) and config_schema=; "
            "use one of them."
        )
    from headwater.declarations.config.legacy import config_schema_model

    return config_schema_model(schema, where)


def _own_check_specs(specs: Sequence[Any] | None, keys: set[AssetKey], where: str) -> list[Any]:
    """``check_specs=`` of an asset: each must check one of its own assets, once."""
    seen: set[Any] = set()
    for spec in specs or ():
        if spec.asset_key not in keys:
            raise DefinitionError(
                f"{where}: check_specs has check {spec.name!r} on asset "
                f"{spec.asset_key.to_user_string()!r}, which this definition does not produce; "
                "use a standalone @asset_check for other assets."
            )
        if spec.key in seen:
            raise DefinitionError(f"{where}: check {spec.key.to_user_string()!r} is given twice.")
        seen.add(spec.key)
    return list(specs or ())


def _kinds(kinds: Iterable[str] | None, compute_kind: str | None) -> frozenset[str]:
    out = frozen(kinds)
    return out | {compute_kind} if compute_kind else out


def _unique_deps(deps: Sequence[Any]) -> tuple[Any, ...]:
    if len(deps) < 2:
        return tuple(deps)
    seen: dict[AssetKey, Any] = {}
    for dep in deps:
        seen.setdefault(dep.asset_key, dep)
    return tuple(seen.values())


def _doc(fn: Callable[..., Any]) -> str | None:
    doc = fn.__doc__
    if not doc:
        return None
    import inspect

    return inspect.cleandoc(doc)
