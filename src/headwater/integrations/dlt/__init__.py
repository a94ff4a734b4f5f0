"""dlt integration: the resources of a dlt source as assets, loaded by a dlt pipeline.

Needs the ``dlt`` extra (``pip install headwater[dlt]``: dlt with its DuckDB destination, or
install the destination you load into). Importing this package does not import dlt.

Dagster's ``dagster_dlt`` names are served by the compat hook: ``DagsterDltResource`` is
:class:`DltPipelineResource`, ``DagsterDltTranslator`` is :class:`DltTranslator`, and
``dlt_assets``, ``build_dlt_asset_specs`` and ``DltResourceTranslatorData`` keep their names.

Example:
    >>> from headwater import Definitions
    >>> from headwater.integrations.dlt import DltPipelineResource
    >>> defs = Definitions(resources={"dlt": DltPipelineResource()})
"""

from __future__ import annotations

from headwater.integrations.dlt.assets import build_dlt_asset_specs as build_dlt_asset_specs
from headwater.integrations.dlt.assets import dlt_assets as dlt_assets
from headwater.integrations.dlt.resource import DltPipelineResource as DltPipelineResource
from headwater.integrations.dlt.translator import (
    DltResourceTranslatorData as DltResourceTranslatorData,
)
from headwater.integrations.dlt.translator import DltTranslator as DltTranslator

__all__ = [
    "DltPipelineResource",
    "DltResourceTranslatorData",
    "DltTranslator",
    "build_dlt_asset_specs",
    "dlt_assets",
]
