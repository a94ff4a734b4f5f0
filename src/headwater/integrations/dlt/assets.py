"""``@dlt_assets``: one multi-asset whose assets are the resources of a dlt source."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.declarations.assets.decorators import multi_asset
from headwater.declarations.assets.specs import AssetSpec
from headwater.errors import DefinitionError
from headwater.integrations.dlt.translator import DltResourceTranslatorData, DltTranslator

if TYPE_CHECKING:
    from dlt.extract.source import DltSource
    from dlt.pipeline.pipeline import Pipeline

    from headwater.declarations.assets.definition import AssetsDefinition

__all__ = ["DltBinding", "binding_of", "build_dlt_asset_specs", "dlt_assets"]


@dataclass(frozen=True, slots=True)
class DltBinding:
    """The source, pipeline and translator a ``@dlt_assets`` function was declared with."""

    source: DltSource
    pipeline: Pipeline
    translator: DltTranslator


# compute function -> its binding. The definition stays plain serializable data (the dlt
# objects never enter its metadata); the run looks the binding up from the step's function.
_BINDINGS: weakref.WeakKeyDictionary[Callable[..., Any], DltBinding] = weakref.WeakKeyDictionary()


def binding_of(compute_fn: Any) -> DltBinding | None:
    """The binding of a ``@dlt_assets`` compute function, or ``None`` for any other."""
    try:
        return _BINDINGS.get(compute_fn)
    except TypeError:  # not weakly referenceable: not one of ours
        return None


def build_dlt_asset_specs(
    dlt_source: DltSource,
    dlt_pipeline: Pipeline | None = None,
    dagster_dlt_translator: DltTranslator | None = None,
) -> list[AssetSpec]:
    """One ``AssetSpec`` per selected resource of ``dlt_source``, in the source's order.

    Args:
        dlt_source: a ``dlt`` source (``@dlt.source`` called).
        dlt_pipeline: the pipeline that loads it (adds the destination to kinds and metadata).
        dagster_dlt_translator: how resources become specs (default :class:`DltTranslator`).

    Returns:
        The specs, e.g. to declare the assets without executing them.

    Raises:
        DefinitionError: two resources translate to the same asset key.
    """
    translator = dagster_dlt_translator or DltTranslator()
    specs: list[AssetSpec] = []
    seen: dict[Any, str] = {}
    for resource in dlt_source.selected_resources.values():
        spec = translator.get_asset_spec(DltResourceTranslatorData(resource, dlt_pipeline))
        if spec.key in seen:
            raise DefinitionError(
                f"dlt resources {seen[spec.key]!r} and {resource.name!r} of source "
                f"{dlt_source.name!r} both translate to the asset {spec.key.to_user_string()!r}; "
                "give them distinct keys in the translator's get_asset_spec."
            )
        seen[spec.key] = resource.name
        specs.append(spec)
    return specs


def dlt_assets(
    *,
    dlt_source: DltSource,
    dlt_pipeline: Pipeline,
    name: str | None = None,
    group_name: str | None = None,
    dagster_dlt_translator: DltTranslator | None = None,
    partitions_def: Any = None,
    backfill_policy: Any = None,
    op_tags: Mapping[str, str] | None = None,
    pool: str | None = None,
) -> Callable[[Callable[..., Any]], AssetsDefinition[Any, Any]]:
    """Declare the resources of a dlt source as assets, loaded by one step.

    The decorated function receives the context and a
    :class:`~headwater.integrations.dlt.DltPipelineResource` (and any upstream asset it names
    as a parameter) and yields what ``dlt.run(context=context)`` yields. The multi-asset can be
    subset: materializing some of its assets loads only their resources.

    Args:
        dlt_source: the ``dlt`` source whose selected resources become assets.
        dlt_pipeline: the ``dlt`` pipeline (destination, dataset) that loads them.
        name: the step name (default: the function's name).
        group_name: the group of every asset; only when the translator gives none.
        dagster_dlt_translator: how resources become assets (default :class:`DltTranslator`).
        partitions_def: the partitions of every asset.
        backfill_policy: how a backfill of several partitions runs.
        op_tags: tags of the step.
        pool: the concurrency pool of the step.

    Returns:
        A decorator that returns the multi-asset's ``AssetsDefinition``.

    Raises:
        DefinitionError: two resources translate to the same key, or ``group_name`` is given
            while the translator also sets a group.

    Example:
        >>> import dlt
        >>> from headwater import AssetExecutionContext
        >>> from headwater.integrations.dlt import DltPipelineResource
        >>> @dlt.source
        ... def shop():
        ...     @dlt.resource
        ...     def orders():
        ...         yield [{"id": 1, "amount": 3.5}]
        ...     return orders
        >>> @dlt_assets(
        ...     dlt_source=shop(),
        ...     dlt_pipeline=dlt.pipeline(pipeline_name="shop", destination="duckdb",
        ...                               dataset_name="raw", pipelines_dir="dlt"),
        ... )
        ... def shop_assets(context: AssetExecutionContext, dlt: DltPipelineResource):
        ...     yield from dlt.run(context=context)
        >>> sorted(key.to_user_string() for key in shop_assets.keys)
        ['dlt_shop_orders']
    """
    translator = dagster_dlt_translator or DltTranslator()
    specs = build_dlt_asset_specs(dlt_source, dlt_pipeline, translator)
    if group_name is not None:
        grouped = [spec.key.to_user_string() for spec in specs if spec.group_name is not None]
        if grouped:
            raise DefinitionError(
                f"dlt_assets(group_name={group_name!r}) for source {dlt_source.name!r}: the "
                f"translator already gives a group to {', '.join(grouped)}. Set the group in one "
                "place: drop group_name=, or return the group from the translator."
            )
        specs = [spec.replace_attributes(group_name=group_name) for spec in specs]

    def decorator(fn: Callable[..., Any]) -> AssetsDefinition[Any, Any]:
        _BINDINGS[fn] = DltBinding(dlt_source, dlt_pipeline, translator)
        return multi_asset(
            specs=specs,
            name=name,
            can_subset=True,
            partitions_def=partitions_def,
            backfill_policy=backfill_policy,
            op_tags=op_tags,
            pool=pool,
        )(fn)

    return decorator
