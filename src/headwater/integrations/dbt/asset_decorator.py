"""``@dbt_assets``: the models of a dbt project as one subsettable multi-asset."""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headwater import AssetsDefinition, DefinitionError, multi_asset
from headwater.integrations.dbt.asset_specs import DbtAssetsInfo, build_dbt_specs
from headwater.integrations.dbt.manifest import load_manifest
from headwater.integrations.dbt.translator import DbtTranslator

__all__ = ["dbt_assets", "dbt_assets_info"]

_INFO_ATTRIBUTE = "__headwater_dbt__"


def dbt_assets(
    *,
    manifest: Any,
    select: str | Sequence[str] = "fqn:*",
    exclude: str | Sequence[str] | None = None,
    selector: str | None = None,
    name: str | None = None,
    partitions_def: Any = None,
    dbt_translator: DbtTranslator | None = None,
    dagster_dbt_translator: DbtTranslator | None = None,
    backfill_policy: Any = None,
    op_tags: Mapping[str, str] | None = None,
    required_resource_keys: Sequence[str] | None = None,
    project: Any = None,
    retry_policy: Any = None,
    pool: str | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition[..., Any]]:
    """Declare the models, seeds and snapshots of a dbt project as assets of one step.

    The decorated function runs dbt, usually with ``yield from dbt.cli(["build"],
    context=context).stream()``. The definition can be subsetted: materializing some of its
    assets runs dbt on exactly those nodes (and their tests).

    Args:
        manifest: ``target/manifest.json`` of the project (a path, e.g.
            ``DbtProject(...).manifest_path``, or the loaded JSON).
        select / exclude: dbt selection syntax (``"tag:daily"``, ``"staging.*"``,
            ``"+fct_orders"``); the default selects every node.
        selector: the name of a YAML selector of the project, instead of select/exclude.
        name: the step name (default: the function name).
        partitions_def: partitions of every asset; a run passes its time window to dbt as
            ``--vars`` (see :meth:`DbtCliResource.cli`).
        dbt_translator: a :class:`DbtTranslator` (keys, groups, metadata, ...).
        dagster_dbt_translator: Dagster's name for ``dbt_translator``.
        backfill_policy, op_tags, retry_policy, pool: as for ``@multi_asset``.
        required_resource_keys: resources reachable as ``context.resources.<key>``.
        project: the :class:`DbtProject`, used by ``DbtCliResource`` when it has none.

    Returns:
        A decorator turning the function into an :class:`~headwater.AssetsDefinition`: one
        asset per selected model, seed and snapshot (dbt sources become dependencies on
        the source's key, ``[source_name, table]`` by default), one asset check per dbt test
        attached to one of them.

    Raises:
        DefinitionError: the manifest is missing (the message names the path and ``dbt
            parse``) or invalid; the selection matches no model, seed or snapshot; both
            translator arguments are given.

    Example:
        >>> from headwater.integrations.dbt import DbtCliResource, dbt_assets
        >>> @dbt_assets(manifest="transform/target/manifest.json")  # doctest: +SKIP
        ... def transform(context, dbt: DbtCliResource):
        ...     yield from dbt.cli(["build"], context=context).stream()
    """
    if dbt_translator is not None and dagster_dbt_translator is not None:
        raise DefinitionError(
            "dbt_assets: give dbt_translator= or dagster_dbt_translator= (its Dagster name), "
            "not both."
        )
    translator = dbt_translator or dagster_dbt_translator or DbtTranslator()
    if not isinstance(translator, DbtTranslator):
        raise DefinitionError(
            f"dbt_assets: the translator {translator!r} is not a DbtTranslator; subclass "
            "DbtTranslator (DagsterDbtTranslator in dagster_dbt) and pass an instance."
        )
    project_dir = getattr(project, "project_dir", None)
    parsed = load_manifest(manifest, project_dir=project_dir)
    specs, check_specs, info = build_dbt_specs(
        parsed, translator, select=select, exclude=exclude, selector=selector,
        partitions_def=partitions_def, project=project,
    )  # fmt: skip

    def decorate(fn: Callable[..., Any]) -> AssetsDefinition[..., Any]:
        return multi_asset(
            specs=specs,
            check_specs=check_specs,
            name=name or fn.__name__,
            can_subset=True,
            partitions_def=partitions_def,
            backfill_policy=backfill_policy,
            op_tags=op_tags,
            required_resource_keys=required_resource_keys,
            retry_policy=retry_policy,
            pool=pool,
        )(_with_info(fn, info))

    return decorate


def dbt_assets_info(assets_def: Any) -> DbtAssetsInfo | None:
    """The dbt information of a definition made by :func:`dbt_assets` (else ``None``)."""
    return getattr(getattr(assets_def, "compute_fn", None), _INFO_ATTRIBUTE, None)


def _with_info(fn: Callable[..., Any], info: DbtAssetsInfo) -> Callable[..., Any]:
    """A copy of ``fn`` (same code, defaults and annotations) that carries ``info``; the
    user's function object is left as it is."""
    copy = types.FunctionType(
        fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__
    )
    copy.__kwdefaults__ = fn.__kwdefaults__
    copy.__annotations__ = dict(fn.__annotations__)
    copy.__dict__.update(fn.__dict__)
    copy.__qualname__ = fn.__qualname__
    copy.__module__ = fn.__module__
    copy.__doc__ = fn.__doc__
    setattr(copy, _INFO_ATTRIBUTE, info)
    return copy
