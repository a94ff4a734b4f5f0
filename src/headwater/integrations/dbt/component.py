"""``DbtProjectComponent``: a dbt project declared by a ``defs.yaml`` in a defs folder.

::

    type: headwater.integrations.dbt.DbtProjectComponent   # or dagster_dbt.DbtProjectComponent
    attributes:
      project: '{{ context.project_root }}/dbt_project'
      select: "tag:daily"            # optional, dbt selection syntax (default: every node)
      exclude: "tag:deprecated"      # optional
      cli_args: ["build"]            # optional: the dbt command each run executes
      translation:                   # optional: set on every asset
        group_name: transformation
        owners: ["team:analytics"]
        tags: {layer: dbt}

The folder's definitions are the project's dbt assets (one subsettable step named after the
folder). The manifest is written by ``dbt parse`` when it is missing or stale.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from headwater import AssetExecutionContext, DefinitionError, Definitions
from headwater.integrations.dbt.asset_decorator import dbt_assets
from headwater.integrations.dbt.project import DbtProject
from headwater.integrations.dbt.resource import DbtCliResource
from headwater.integrations.dbt.translator import DbtTranslator

__all__ = ["DbtProjectComponent"]

_ATTRIBUTES = frozenset({"project", "select", "exclude", "selector", "cli_args", "translation"})
_TRANSLATION = frozenset({"group_name", "owners", "tags"})


@dataclass(frozen=True, kw_only=True)
class DbtProjectComponent:
    """The dbt assets of one dbt project, as a defs folder component.

    Args:
        project: the dbt project (its directory, or a :class:`DbtProject`).
        select / exclude / selector: which nodes (dbt selection syntax; default every node).
        cli_args: the dbt command of a run (default ``["build"]``).
        translation: ``group_name``, ``owners`` and ``tags`` given to every asset.
        name: the step name (default: the project's directory name).

    Example:
        >>> component = DbtProjectComponent(project="transform")  # doctest: +SKIP
        >>> defs = component.build_defs()  # doctest: +SKIP
    """

    project: str | DbtProject
    select: str | Sequence[str] = "fqn:*"
    exclude: str | Sequence[str] | None = None
    selector: str | None = None
    cli_args: Sequence[str] = ("build",)
    translation: Mapping[str, Any] = field(default_factory=dict)
    name: str | None = None

    @classmethod
    def build_defs_from_yaml(cls, attributes: Mapping[str, Any], *, context: Any) -> Definitions:
        """The definitions of a ``defs.yaml`` declaring this component (see the module doc).

        Raises:
            DefinitionError: an unknown or missing attribute.
        """
        unknown = set(attributes) - _ATTRIBUTES
        if unknown or "project" not in attributes:
            raise DefinitionError(
                f"DbtProjectComponent takes the attributes {sorted(_ATTRIBUTES)} ('project' "
                f"required); got {sorted(attributes)}."
            )
        values = dict(attributes)
        values["project"] = str(context.resolve_path(str(values["project"])))
        return cls(name=_identifier(context.folder.name), **values).build_defs()

    def build_defs(self) -> Definitions:
        """The project's dbt assets; ``dbt parse`` runs first if the manifest is stale.

        Raises:
            DefinitionError: see :func:`dbt_assets`; an unknown ``translation`` entry.
        """
        project = self.project if isinstance(self.project, DbtProject) else DbtProject(self.project)
        project.prepare_if_dev()
        unknown = set(self.translation) - _TRANSLATION
        if unknown:
            raise DefinitionError(
                f"DbtProjectComponent: translation takes {sorted(_TRANSLATION)}, not "
                f"{sorted(unknown)}."
            )
        command = list(self.cli_args)
        resource = DbtCliResource(project_dir=project)

        def run_dbt(context: AssetExecutionContext) -> Iterator[Any]:
            yield from resource.cli(command, context=context).stream()

        assets = dbt_assets(
            manifest=project.manifest_path,
            name=self.name or _identifier(project.project_dir.name),
            select=self.select,
            exclude=self.exclude,
            selector=self.selector,
            dbt_translator=_Translation(self.translation),
            project=project,
        )(run_dbt)
        return Definitions(assets=[assets])


class _Translation(DbtTranslator):
    """The default translation, with the component's ``translation`` entries on every asset."""

    def __init__(self, translation: Mapping[str, Any]) -> None:
        super().__init__()
        self.translation = dict(translation)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        group = self.translation.get("group_name")
        return str(group) if group else super().get_group_name(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        owners = self.translation.get("owners")
        return [str(o) for o in owners] if owners else super().get_owners(dbt_resource_props)

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        extra = self.translation.get("tags") or {}
        return {**super().get_tags(dbt_resource_props), **{k: str(v) for k, v in extra.items()}}


def _identifier(text: str) -> str:
    name = re.sub(r"\W", "_", text)
    return name if name and not name[0].isdigit() else f"dbt_{name}"
