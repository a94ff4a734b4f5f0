"""dbt integration: the models of a dbt project as assets, run with the dbt CLI.

Needs dbt (``pip install 'headwater[dbt]'``: dbt-core and dbt-duckdb), run as a subprocess:
dbt may also live in another environment (``DbtCliResource(dbt_executable=...)``). Loading
dbt assets reads only ``target/manifest.json``; it never imports dbt.

Example:
    >>> import headwater as hw
    >>> from headwater.integrations.dbt import DbtCliResource, DbtProject, dbt_assets
    >>> project = DbtProject(project_dir="transform")  # doctest: +SKIP
    >>> project.prepare_if_dev()  # doctest: +SKIP
    >>> @dbt_assets(manifest=project.manifest_path, select="tag:daily")  # doctest: +SKIP
    ... def transform(context: hw.AssetExecutionContext, dbt: DbtCliResource):
    ...     yield from dbt.cli(["build"], context=context).stream()
    >>> defs = hw.Definitions(  # doctest: +SKIP
    ...     assets=[transform], resources={"dbt": DbtCliResource(project_dir=project)}
    ... )
"""

from __future__ import annotations

from headwater.integrations.dbt.asset_decorator import dbt_assets as dbt_assets
from headwater.integrations.dbt.component import DbtProjectComponent as DbtProjectComponent
from headwater.integrations.dbt.events import DbtCliEventMessage as DbtCliEventMessage
from headwater.integrations.dbt.invocation import DbtCliInvocation as DbtCliInvocation
from headwater.integrations.dbt.manifest import DbtManifest as DbtManifest
from headwater.integrations.dbt.project import DbtProject as DbtProject
from headwater.integrations.dbt.resource import DbtCliResource as DbtCliResource
from headwater.integrations.dbt.translator import DbtTranslator as DbtTranslator
from headwater.integrations.dbt.translator import (
    DbtTranslatorSettings as DbtTranslatorSettings,
)
from headwater.integrations.dbt.utils import (
    build_dbt_asset_selection as build_dbt_asset_selection,
)
from headwater.integrations.dbt.utils import get_asset_key_for_model as get_asset_key_for_model
from headwater.integrations.dbt.utils import get_asset_key_for_source as get_asset_key_for_source

__all__ = [
    "DbtCliEventMessage",
    "DbtCliInvocation",
    "DbtCliResource",
    "DbtManifest",
    "DbtProject",
    "DbtProjectComponent",
    "DbtTranslator",
    "DbtTranslatorSettings",
    "build_dbt_asset_selection",
    "dbt_assets",
    "get_asset_key_for_model",
    "get_asset_key_for_source",
]
