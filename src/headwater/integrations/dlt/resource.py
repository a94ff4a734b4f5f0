"""``DltPipelineResource``: runs a dlt pipeline in a step and reports what it loaded."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from headwater.declarations.resources.definition import ConfigurableResource
from headwater.declarations.results import AssetMaterialization, MaterializeResult
from headwater.errors import HeadwaterError
from headwater.integrations.dlt.assets import binding_of
from headwater.integrations.dlt.translator import (
    DltResourceTranslatorData,
    DltTranslator,
    table_name_of,
)
from headwater.keys import AssetKey
from headwater.metadata import MetadataValue, TableColumn, TableSchema

if TYPE_CHECKING:
    from dlt.common.pipeline import LoadInfo
    from dlt.extract.source import DltSource
    from dlt.pipeline.pipeline import Pipeline

__all__ = ["DltPipelineResource"]


class DltPipelineResource(ConfigurableResource):
    """Runs the dlt pipeline of a ``@dlt_assets`` step (Dagster's ``DagsterDltResource``).

    It has no configuration; the source and pipeline come from the ``@dlt_assets``
    declaration of the step, or are passed to :meth:`run`.

    Example:
        >>> from headwater import Definitions
        >>> defs = Definitions(resources={"dlt": DltPipelineResource()})
    """

    def run(
        self,
        context: Any,
        dlt_source: DltSource | None = None,
        dlt_pipeline: Pipeline | None = None,
        dagster_dlt_translator: DltTranslator | None = None,
        **kwargs: Any,
    ) -> Iterator[MaterializeResult | AssetMaterialization]:
        """Run the pipeline on the source, then yield one result per loaded resource.

        In a ``@dlt_assets`` step, only the resources of the selected assets are loaded (a
        subset run loads a subset) and one ``MaterializeResult(asset_key=...)`` is yielded per
        resource; in an op, one ``AssetMaterialization`` per resource. Their metadata:
        ``destination_type``, ``destination_name``, ``dataset_name``, ``first_run``,
        ``started_at``, ``finished_at``, ``jobs`` (the load jobs of the resource's table),
        ``rows_loaded`` and ``dagster/row_count`` (rows normalized for the table), and
        ``dagster/column_schema`` (the table's columns as dlt typed them).

        Args:
            context: the step's context.
            dlt_source: the source to load (default: the ``@dlt_assets`` source); pass one to
                give it arguments known only at run time, e.g. ``csv_source(path)``.
            dlt_pipeline: the pipeline (default: the ``@dlt_assets`` pipeline).
            dagster_dlt_translator: maps resources to asset keys (default: the
                ``@dlt_assets`` translator).
            **kwargs: passed to ``dlt_pipeline.run`` (``write_disposition=``, ...).

        Yields:
            ``MaterializeResult`` (assets) or ``AssetMaterialization`` (ops), one per resource.

        Raises:
            HeadwaterError: no source or pipeline is known (the step is not a ``@dlt_assets``
                step and none was passed).
            dlt.pipeline.exceptions.PipelineStepFailed: the load failed (raised unchanged).
        """
        assets_def = getattr(context, "assets_def", None)
        binding = binding_of(getattr(assets_def, "compute_fn", None))
        source = dlt_source if dlt_source is not None else getattr(binding, "source", None)
        pipeline = dlt_pipeline if dlt_pipeline is not None else getattr(binding, "pipeline", None)
        if source is None or pipeline is None:
            raise HeadwaterError(
                "DltPipelineResource.run(context) found no dlt source or pipeline: this step was "
                "not declared with @dlt_assets. Pass dlt_source= and dlt_pipeline=."
            )
        translator = dagster_dlt_translator or getattr(binding, "translator", None)
        keys = _keys_by_resource(source, pipeline, translator or DltTranslator())
        if binding is not None:
            selected = context.selected_asset_keys
            names = [name for name, key in keys.items() if key in selected]
            if len(names) < len(keys):
                source = source.with_resources(*names)
                keys = {name: keys[name] for name in names}
        load_info = pipeline.run(source, **kwargs)
        context.log.info(str(load_info))
        schema = pipeline.schemas.get(source.schema.name) or pipeline.default_schema
        for name, key in keys.items():
            table = table_name_of(source.resources[name])
            metadata = _metadata(pipeline, load_info, schema, table)
            if assets_def is not None:
                yield MaterializeResult(asset_key=key, metadata=metadata)
            else:
                yield AssetMaterialization(asset_key=key, metadata=metadata)


def _keys_by_resource(
    source: DltSource, pipeline: Pipeline, translator: DltTranslator
) -> dict[str, AssetKey]:
    return {
        name: translator.get_asset_spec(DltResourceTranslatorData(resource, pipeline)).key
        for name, resource in source.selected_resources.items()
    }


def _metadata(
    pipeline: Pipeline, load_info: LoadInfo, schema: Any, table: str
) -> dict[str, MetadataValue]:
    trace = pipeline.last_trace
    normalize = trace.last_normalize_info if trace is not None else None
    rows = int((normalize.row_counts if normalize is not None else {}).get(table, 0))
    jobs = [
        _jsonable(job.asdict())
        for package in load_info.load_packages
        for state_jobs in package.jobs.values()
        for job in state_jobs
        if job.job_file_info.table_name == table
    ]
    metadata = {
        "destination_type": MetadataValue.text(str(load_info.destination_type)),
        "destination_name": MetadataValue.text(str(load_info.destination_name)),
        "dataset_name": MetadataValue.text(str(load_info.dataset_name)),
        "first_run": MetadataValue.bool(bool(load_info.first_run)),
        "started_at": MetadataValue.text(str(load_info.started_at)),
        "finished_at": MetadataValue.text(str(load_info.finished_at)),
        "jobs": MetadataValue.json(jobs),
        "rows_loaded": MetadataValue.int(rows),
        "dagster/row_count": MetadataValue.int(rows),
    }
    columns = _columns(schema, table)
    if columns is not None:
        metadata["dagster/column_schema"] = MetadataValue.table_schema(columns)
    return metadata


def _columns(schema: Any, table: str) -> TableSchema | None:
    if schema is None or table not in schema.tables:
        return None
    columns: Mapping[str, Mapping[str, Any]] = schema.get_table_columns(table)
    return TableSchema(
        columns=[
            TableColumn(name=name, type=str(column.get("data_type") or "unknown"))
            for name, column in columns.items()
        ]
    )


def _jsonable(value: Any) -> Any:
    """A JSON-able copy (datetimes and other objects as strings)."""
    return json.loads(json.dumps(value, default=str))
