"""``@graph_asset`` and ``@graph_multi_asset``: assets computed by a graph of ops.

The ops of a graph asset run in order inside the asset's single step (they are not separate
steps): their outputs pass between them in memory, and only the graph's outputs are stored by
the assets' IO managers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from headwater.declarations.assets.decorators import _input_keys, _unique_deps, single_asset
from headwater.declarations.assets.definition import DEFAULT_IO_MANAGER_KEY, AssetsDefinition
from headwater.declarations.assets.specs import (
    AssetIn,
    AssetOut,
    AssetSpec,
    coerce_deps,
    with_group,
)
from headwater.declarations.ops.graphs import GraphDefinition, OutputHandle
from headwater.declarations.signature import analyze_function
from headwater.errors import DefinitionError
from headwater.keys import AssetKey, CoercibleToAssetKey


def graph_asset(
    compose_fn: Callable[..., Any] | None = None,
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
    partitions_def: Any = None,
    retry_policy: Any = None,
    backfill_policy: Any = None,
) -> Any:
    """Declare an asset computed by a graph of ops.

    The decorated function composes ops as in ``@graph``. Its parameters are upstream assets
    (loaded by their IO managers, keys as for ``@asset``), and the op output it returns is the
    asset's value (stored by the ``"io_manager"`` resource and recorded as a materialization;
    metadata of that op's ``Output`` becomes materialization metadata). The ops run in order
    inside the asset's one step. Configure an op with run config
    ``{"ops": {"<asset>": {"ops": {"<op>": {"config": {...}}}}}}``.

    Args:
        name, key, key_prefix, ins, deps, metadata, tags, description, group_name,
            code_version, owners, kinds, partitions_def, backfill_policy: as for ``@asset``.
        retry_policy: retries of the whole step (ops also honour their own retry policies).

    Returns:
        An :class:`AssetsDefinition`; calling it calls the function with values (ops are
        invoked directly).

    Raises:
        DefinitionError: the function returns no op output, uses dynamic outputs, or a key
            argument is given twice.

    Example:
        >>> from headwater import graph_asset, materialize, op
        >>> @op
        ... def load() -> list[int]:
        ...     return [1, 2, 3]
        >>> @op
        ... def total(values: list[int]) -> int:
        ...     return sum(values)
        >>> @graph_asset
        ... def numbers_total():
        ...     return total(load())
        >>> numbers_total.key
        AssetKey(['numbers_total'])
        >>> materialize([numbers_total]).output_for_node("numbers_total")
        6
    """

    def build(fn: Callable[..., Any]) -> AssetsDefinition[..., Any]:
        single = single_asset(
            fn, "graph_asset", name=name, key=key, key_prefix=key_prefix, ins=ins, deps=deps,
            metadata=metadata, tags=tags, description=description, group_name=group_name,
            code_version=code_version, owners=owners, kinds=kinds, partitions_def=partitions_def,
        )  # fmt: skip
        step_name, params, input_keys = single.step_name, single.params, single.input_keys
        graph_def = _trace(fn, step_name, params.input_params, ("result",), single.where)
        spec = single.spec
        return _graph_assets_def(
            graph_def, step_name, {"result": spec}, {"result": DEFAULT_IO_MANAGER_KEY},
            ins, input_keys, params, retry_policy, partitions_def, backfill_policy,
        )  # fmt: skip

    return build(compose_fn) if compose_fn is not None else build


def graph_multi_asset(
    *,
    outs: Mapping[str, AssetOut],
    name: str | None = None,
    ins: Mapping[str, AssetIn] | None = None,
    deps: Iterable[Any] | None = None,
    description: str | None = None,
    group_name: str | None = None,
    partitions_def: Any = None,
    retry_policy: Any = None,
    backfill_policy: Any = None,
    can_subset: bool = False,
) -> Callable[[Callable[..., Any]], AssetsDefinition[..., Any]]:
    """Declare several assets computed by one graph of ops.

    The decorated function composes ops as in ``@graph`` and returns one op output per asset:
    a dict keyed by the names in ``outs``, or a tuple in ``outs`` order. The ops run in order
    inside the step; each returned value is stored by its ``AssetOut``'s IO manager.

    Args:
        outs: output name -> :class:`AssetOut`.
        name: the step name (default: the function name).
        ins, deps, description, group_name, partitions_def, retry_policy, backfill_policy: as
            for ``@graph_asset``; ``ins``/``deps`` are upstream dependencies of every output.
        can_subset: whether a run may select only some of the outputs; it then runs only the
            ops those need, each with ``context.selected_output_names`` set to the outputs of
            it that are needed (outputs feeding them should be ``Out(is_required=False)``).

    Raises:
        DefinitionError: no outs, duplicate keys, or the function does not return one op
            output per out.

    Example:
        >>> from headwater import AssetOut, Out, graph_multi_asset, materialize, op
        >>> @op(out={"low": Out(), "high": Out()})
        ... def split():
        ...     return [1], [9]
        >>> @graph_multi_asset(outs={"low": AssetOut(), "high": AssetOut()})
        ... def ranges():
        ...     low, high = split()
        ...     return {"low": low, "high": high}
        >>> sorted(k.to_user_string() for k in ranges.keys)
        ['high', 'low']
        >>> result = materialize([ranges])
        >>> result.output_for_node("ranges", "low"), result.output_for_node("ranges", "high")
        ([1], [9])
    """

    def build(fn: Callable[..., Any]) -> AssetsDefinition[..., Any]:
        node_name = name or fn.__name__
        where = f"graph_multi_asset {node_name!r}"
        if not outs:
            raise DefinitionError(f"{where}: give at least one output in outs=.")
        params = analyze_function(fn, where=where)
        input_keys = _input_keys(params, ins or {}, (), where)
        shared = _unique_deps((*coerce_deps(input_keys.values(), where=where),
                               *coerce_deps(deps, where=where)))  # fmt: skip
        specs = {
            out_name: with_group(
                out.to_spec(out_name, deps=shared, group_name=group_name), group_name
            )
            for out_name, out in outs.items()
        }
        if description is not None:
            specs = {n: s.replace_attributes(description=s.description or description)
                     for n, s in specs.items()}  # fmt: skip
        if len({s.key for s in specs.values()}) != len(specs):
            raise DefinitionError(f"{where}: two outputs have the same asset key.")
        graph_def = _trace(fn, node_name, params.input_params, tuple(outs), where)
        io_keys = {n: o.io_manager_key or DEFAULT_IO_MANAGER_KEY for n, o in outs.items()}
        return _graph_assets_def(
            graph_def, node_name, specs, io_keys, ins, input_keys, params, retry_policy,
            partitions_def, backfill_policy,
            dagster_types={n: o.dagster_type for n, o in outs.items() if o.dagster_type},
            can_subset=can_subset,
        )  # fmt: skip

    return build


def _trace(
    fn: Callable[..., Any],
    name: str,
    inputs: Sequence[str],
    output_names: tuple[str, ...],
    where: str,
) -> GraphDefinition:
    graph_def = GraphDefinition(
        name=name,
        compose_fn=fn,
        ins=dict.fromkeys(inputs),
        out=dict.fromkeys(output_names) if len(output_names) > 1 else None,
    )
    handles = graph_def.output_handles
    if len(handles) == 1 and isinstance(handles[0], tuple):
        handles = handles[0]  # a dict of several outputs comes back as one tuple
    if handles == (None,):
        handles = ()  # the function returned nothing
    if len(handles) != len(output_names):
        raise DefinitionError(
            f"{where} declares outputs {list(output_names)} but its function returns "
            f"{len(handles)} op output(s); return one op output per asset (a dict keyed by "
            "output name, or a tuple in that order)."
        )
    for node in graph_def.op_nodes.values():
        unconnected = [n for n, source in node.inputs.items() if source.kind == "config"]
        if unconnected:
            raise DefinitionError(
                f"{where}: input {unconnected[0]!r} of op {node.op_def.name!r} is not connected. "
                "Pass the output of another op or a graph input, or give it a default "
                "(In(default_value=...) or a parameter default)."
            )
        if node.mapped_over is not None or any(o.is_dynamic for o in node.op_def.outs.values()):
            raise DefinitionError(
                f"{where}: op {node.op_def.name!r} uses dynamic outputs, which graph assets do "
                "not support yet; use @graph with a job, or a plain @asset."
            )
    for out_name, handle in zip(output_names, handles, strict=True):
        if not isinstance(handle, OutputHandle):
            raise DefinitionError(
                f"{where}: output {out_name!r} is {handle!r}, not the output of an op; return "
                "what calling an op inside the function returned."
            )
    graph_def.output_handles = tuple(handles)
    return graph_def


def _graph_assets_def(
    graph_def: GraphDefinition,
    node_name: str,
    specs: Mapping[str, AssetSpec],
    io_keys: Mapping[str, str],
    ins: Mapping[str, AssetIn] | None,
    input_keys: Mapping[str, AssetKey],
    params: Any,
    retry_policy: Any,
    partitions_def: Any,
    backfill_policy: Any,
    dagster_types: Mapping[str, Any] | None = None,
    can_subset: bool = False,
) -> AssetsDefinition[..., Any]:
    resources: set[str] = set()
    for node in graph_def.op_nodes.values():
        resources |= node.op_def.required_resource_keys
        resources |= set(node.op_def.params.resource_params.values())
    assets_def: AssetsDefinition[..., Any] = AssetsDefinition(
        node_name=node_name,
        compute_fn=graph_def.compose_fn,
        specs_by_output_name=specs,
        ins=ins,
        input_keys=input_keys,
        params=params,
        io_manager_keys=io_keys,
        required_resource_keys=resources,
        retry_policy=retry_policy,
        partitions_def=partitions_def,
        backfill_policy=backfill_policy,
        dagster_types=dagster_types,
        graph_def=graph_def,
        can_subset=can_subset,
    )
    return assets_def
