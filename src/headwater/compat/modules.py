"""Which Dagster modules and packages headwater serves, and what each one contains.

This is the single table read by both the import hook (:mod:`headwater.compat.importer`),
which builds the modules, and ``headwater compat scan``, which only reads the names. Each
entry maps a public name of the Dagster module to ``(headwater module, attribute)``;
importing this module imports nothing heavy.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from headwater import errors as _errors
from headwater.compat.dagster import ALIASES

__all__ = ["ALIAS_MODULES", "DAGSTER", "AliasModule", "provided_names"]

DAGSTER = "dagster"


@dataclass(frozen=True, kw_only=True)
class AliasModule:
    """One Dagster module served by headwater.

    Attributes:
        name: the Dagster module name, e.g. ``"dagster._core.errors"``.
        doc: the module's docstring (says what serves it).
        package: the module is a package (other alias modules live under it).
        names: public name -> ``(headwater module, attribute)`` it resolves to.
    """

    name: str
    doc: str
    package: bool = False
    names: Mapping[str, tuple[str, str]] = field(default_factory=dict)


def _dagster_error_names() -> dict[str, tuple[str, str]]:
    """Dagster's error names (from ``ALIASES``) whose headwater class lives in ``errors``."""
    return {
        name: ("headwater.errors", target)
        for name, target in sorted(ALIASES.items())
        if isinstance(getattr(_errors, target, None), type)
        and issubclass(getattr(_errors, target), BaseException)
    }


_DUCKDB = "headwater.integrations.duckdb"
_AWS = "headwater.integrations.aws"
_DLT = "headwater.integrations.dlt"
_DBT = "headwater.integrations.dbt"
# dagster_dbt name -> headwater.integrations.dbt name (Dagster-branded names renamed).
_DBT_NAMES = {
    "DagsterDbtTranslator": "DbtTranslator",
    "DagsterDbtTranslatorSettings": "DbtTranslatorSettings",
    **{
        name: name
        for name in (
            "DbtCliEventMessage", "DbtCliInvocation", "DbtCliResource", "DbtProject",
            "DbtProjectComponent", "build_dbt_asset_selection", "dbt_assets",
            "get_asset_key_for_model", "get_asset_key_for_source",
        )
    },
}  # fmt: skip
_BACKOFF = "headwater.compat.backoff"

ALIAS_MODULES: dict[str, AliasModule] = {
    module.name: module
    for module in (
        AliasModule(
            name=DAGSTER,
            doc="Dagster's top-level API, served by headwater.compat.dagster.",
            package=True,
        ),
        AliasModule(name="dagster._core", doc="Served by headwater (compat).", package=True),
        AliasModule(
            name="dagster.components",
            doc="Loading a project's defs folder, served by headwater.compat.components.",
            names={
                name: ("headwater.compat.components", name)
                for name in ("definitions", "load_defs", "load_from_defs_folder")
            },
        ),
        AliasModule(
            name="dagster._core.errors",
            doc="Dagster's error classes under their Dagster names, served by headwater.errors.",
            names=_dagster_error_names(),
        ),
        AliasModule(
            name="dagster._core.test_utils",
            doc="instance_for_test, served by headwater.compat.test_utils.",
            names={"instance_for_test": ("headwater.compat.test_utils", "instance_for_test")},
        ),
        AliasModule(name="dagster._utils", doc="Served by headwater (compat).", package=True),
        AliasModule(
            name="dagster._utils.backoff",
            doc="backoff, served by headwater.compat.backoff.",
            names={
                "BACKOFF_MAX_RETRIES": (_BACKOFF, "BACKOFF_MAX_RETRIES"),
                "backoff": (_BACKOFF, "backoff"),
                "backoff_delay_generator": (_BACKOFF, "backoff_delay_generator"),
            },
        ),
        AliasModule(
            name="dagster_duckdb",
            doc="DuckDB resource and IO manager, served by headwater.integrations.duckdb.",
            names={
                "DuckDBResource": (_DUCKDB, "DuckDBResource"),
                # headwater has one DuckDB IO manager, for pandas DataFrames.
                "DuckDBIOManager": (_DUCKDB, "DuckDBPandasIOManager"),
            },
        ),
        AliasModule(
            name="dagster_dask",
            doc="The Dask executor, served by headwater.declarations.executors.",
            names={"dask_executor": ("headwater.declarations.executors", "dask_executor")},
        ),
        AliasModule(
            name="dagster_dbt",
            doc="The dbt integration, served by headwater.integrations.dbt.",
            names={name: (_DBT, target) for name, target in _DBT_NAMES.items()},
        ),
        AliasModule(
            name="dagster_duckdb_pandas",
            doc="The pandas DuckDB IO manager, served by headwater.integrations.duckdb.",
            names={"DuckDBPandasIOManager": (_DUCKDB, "DuckDBPandasIOManager")},
        ),
        AliasModule(
            name="dagster_aws",
            doc="AWS resources, served by headwater.integrations.aws (S3Resource in .s3).",
            package=True,
        ),
        AliasModule(
            name="dagster_aws.s3",
            doc="The S3 client resource, served by headwater.integrations.aws.",
            names={"S3Resource": (_AWS, "S3Resource")},
        ),
        AliasModule(
            name="dagster_dlt",
            doc="dlt sources as assets, served by headwater.integrations.dlt.",
            package=True,
            names={
                "DagsterDltResource": (_DLT, "DltPipelineResource"),
                "DagsterDltTranslator": (_DLT, "DltTranslator"),
                "build_dlt_asset_specs": (_DLT, "build_dlt_asset_specs"),
                "dlt_assets": (_DLT, "dlt_assets"),
            },
        ),
        AliasModule(
            name="dagster_dlt.translator",
            doc="The dlt translator, served by headwater.integrations.dlt.",
            names={
                "DagsterDltTranslator": (_DLT, "DltTranslator"),
                "DltResourceTranslatorData": (_DLT, "DltResourceTranslatorData"),
            },
        ),
    )
}


@functools.cache
def provided_names(module: str) -> frozenset[str]:
    """The public names headwater provides in the Dagster module ``module``.

    Args:
        module: a key of :data:`ALIAS_MODULES`, e.g. ``"dagster"`` or ``"dagster_duckdb"``.

    Returns:
        For ``"dagster"``, every name of ``headwater.compat.dagster.__all__`` (which includes
        ``ALIASES``); for the others, the names of their table entry. Submodules are not names.

    Raises:
        KeyError: headwater does not serve ``module``.
    """
    if module == DAGSTER:
        from headwater.compat import dagster

        return frozenset(dagster.__all__)
    return frozenset(ALIAS_MODULES[module].names)
