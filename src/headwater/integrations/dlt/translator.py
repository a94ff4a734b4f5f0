"""How a dlt resource becomes an asset: :class:`DltTranslator` and its input data.

Nothing here imports dlt at module level; the translator only reads attributes of the dlt
objects it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from headwater.declarations.assets.specs import AssetSpec
from headwater.keys import AssetKey

if TYPE_CHECKING:
    from dlt.extract.resource import DltResource
    from dlt.pipeline.pipeline import Pipeline

__all__ = ["DltResourceTranslatorData", "DltTranslator", "table_name_of"]


@dataclass(frozen=True, slots=True)
class DltResourceTranslatorData:
    """What :meth:`DltTranslator.get_asset_spec` is given for one dlt resource.

    Attributes:
        resource: the ``dlt`` resource (``dlt.extract.resource.DltResource``).
        pipeline: the pipeline that loads it, when known (``None`` for specs built without one).
    """

    resource: DltResource
    pipeline: Pipeline | None = None


def table_name_of(resource: DltResource) -> str:
    """The destination table of ``resource``: its ``table_name``, else its name.

    A resource whose table name is computed per item (a callable) is named after the resource.
    """
    table = getattr(resource, "table_name", None)
    return table if isinstance(table, str) and table else str(resource.name)


class DltTranslator:
    """Maps each dlt resource of a source to an :class:`~headwater.AssetSpec`.

    The defaults (those of Dagster's ``DagsterDltTranslator``): the key is
    ``dlt_<source name>_<resource name>``; the one upstream dependency is
    ``<source name>_<resource name>`` (the data the resource reads); the description is the
    resource function's docstring; the kinds are ``dlt`` and the destination's name; the
    metadata holds ``dagster/table_name`` (the destination table) and, with a pipeline,
    ``dagster/storage_kind`` (the destination's name).

    Override :meth:`get_asset_spec` (call ``super()`` and ``replace_attributes`` the result) or
    one of the ``get_*`` methods it is built from.

    Example:
        >>> from headwater import AssetKey
        >>> class Translator(DltTranslator):
        ...     def get_asset_spec(self, data):
        ...         spec = super().get_asset_spec(data)
        ...         return spec.replace_attributes(key=AssetKey(["raw", data.resource.name]))
    """

    def get_asset_spec(self, data: DltResourceTranslatorData) -> AssetSpec:
        """The asset of ``data.resource``.

        Args:
            data: the resource and, when known, its pipeline.

        Returns:
            An ``AssetSpec`` assembled from the ``get_*`` methods below.
        """
        resource = data.resource
        metadata: dict[str, Any] = {**self.get_metadata(resource)}
        metadata.setdefault("dagster/table_name", table_name_of(resource))
        kinds: set[str] = {"dlt"}
        if data.pipeline is not None:
            destination = data.pipeline.destination
            kinds = self.get_kinds(resource, destination)
            metadata.setdefault("dagster/storage_kind", destination.destination_name)
        return AssetSpec(
            key=self.get_asset_key(resource),
            deps=list(self.get_deps_asset_keys(resource)),
            description=self.get_description(resource),
            group_name=self.get_group_name(resource),
            metadata=metadata,
            owners=self.get_owners(resource),
            tags=self.get_tags(resource),
            kinds=kinds,
            automation_condition=self.get_automation_condition(resource),
        )

    def get_asset_key(self, resource: DltResource) -> AssetKey:
        """``AssetKey("dlt_<source name>_<resource name>")``."""
        return AssetKey(f"dlt_{resource.source_name}_{resource.name}")

    def get_deps_asset_keys(self, resource: DltResource) -> Iterable[AssetKey]:
        """``[AssetKey("<source name>_<resource name>")]``: what the resource reads."""
        return [AssetKey(f"{resource.source_name}_{resource.name}")]

    def get_description(self, resource: DltResource) -> str | None:
        """The docstring of the resource's function, if any."""
        doc = getattr(resource, "__doc__", None)
        return doc.strip() if isinstance(doc, str) and doc.strip() else None

    def get_group_name(self, resource: DltResource) -> str | None:
        """``None``: the asset is in the group given to ``dlt_assets`` (or the default)."""
        return None

    def get_kinds(self, resource: DltResource, destination: Any) -> set[str]:
        """``{"dlt", <destination name>}``, e.g. ``{"dlt", "duckdb"}``.

        ``destination`` is the pipeline's ``dlt`` destination (``pipeline.destination``).
        """
        return {"dlt", destination.destination_name}

    def get_metadata(self, resource: DltResource) -> Mapping[str, Any]:
        """Extra definition metadata (none by default)."""
        return {}

    def get_owners(self, resource: DltResource) -> Sequence[str] | None:
        """The asset's owners (none by default)."""
        return None

    def get_tags(self, resource: DltResource) -> Mapping[str, str]:
        """The asset's tags (none by default)."""
        return {}

    def get_automation_condition(self, resource: DltResource) -> Any:
        """The asset's ``AutomationCondition`` (none by default)."""
        return None
