"""The public surface of ``headwater`` is explicit, sorted, importable and cheap to import."""

from __future__ import annotations

import subprocess
import sys

import pytest

import headwater

EXPECTED = [
    "AddDynamicPartitionsRequest", "AllPartitionMapping", "Array", "AssetCheckEvaluation",
    "AssetCheckExecutionContext", "AssetCheckFailedError", "AssetCheckKey", "AssetCheckResult",
    "AssetCheckSeverity", "AssetCheckSpec", "AssetChecksDefinition", "AssetDep",
    "AssetExecutionContext", "AssetIn", "AssetKey", "AssetMaterialization",
    "AssetMetadataValue",
    "AssetObservation",
    "AssetOut", "AssetPartitionStatus", "AssetPartitionsSummary", "AssetRecord",
    "AssetRecordsFilter", "AssetSelection",
    "AssetSensorDefinition",
    "AssetSpec", "AssetsDefinition",
    "AutomationCondition", "AutomationConditionSensorDefinition", "BackfillNotFoundError",
    "BackfillPartitionStatus", "BackfillPolicy", "Backoff",
    "BoolMetadataValue",
    "BoolSource", "BulkActionStatus",
    "Config", "ConfigurableIOManager", "ConfigurableIOManagerFactory",
    "ConfigurableLegacyIOManagerAdapter", "ConfigurableLegacyResourceAdapter",
    "ConfigurableResource", "ConfigurableResourceFactory", "CycleError",
    "DailyPartitionsDefinition", "DataType", "DataVersion", "DefaultScheduleStatus",
    "DefaultSensorStatus", "DefinitionError", "Definitions", "DefsFolderError",
    "DeleteDynamicPartitionsRequest",
    "DimensionPartitionMapping", "DuplicateKeyError", "DynamicOut", "DynamicOutput",
    "DynamicPartitionsDefinition", "Enum", "EnumValue", "EnvVar", "EventLogEntry",
    "EventLogRecord", "EventRecordsFilter", "EventType", "ExecuteInProcessResult",
    "ExecuteJobResult", "ExecutionError", "ExecutorDefinition", "Failure", "Field",
    "FilesystemIOManager",
    "FloatMetadataValue",
    "FreshnessPolicy",
    "GraphDefinition",
    "GraphOut",
    "HeadwaterError", "HookContext", "HookDefinition", "HourlyPartitionsDefinition",
    "IOManager", "IOManagerDefinition", "IdentityPartitionMapping", "In", "InMemoryIOManager",
    "InitResourceContext", "InputContext", "Instance",
    "IntMetadataValue",
    "IntSource", "InvalidConfigError",
    "InvalidInvocationError", "InvalidSelectionError", "InvariantViolationError", "Jitter",
    "JobDefinition",
    "JsonMetadataValue",
    "LastPartitionMapping", "Map",
    "MarkdownMetadataValue",
    "MaterializeResult", "MetadataValue", "MissingResourceError",
    "MonthlyPartitionsDefinition", "MultiPartitionKey", "MultiPartitionMapping",
    "MultiPartitionsDefinition", "MultiToSingleDimensionPartitionMapping", "Noneable",
    "Nothing",
    "NullMetadataValue",
    "ObserveResult", "OpDefinition", "OpExecutionContext", "Out",
    "Output", "OutputContext", "PartitionBackfill", "PartitionDimensionDefinition",
    "PartitionError", "PartitionKeyRange", "PartitionMapping", "PartitionsDefinition",
    "PathMetadataValue",
    "Permissive",
    "PermissiveConfig",
    "ReconstructableJob", "ReexecutionOptions", "ResourceDefinition", "ResourceDependency",
    "ResourceParam", "Resources", "RetryPolicy", "RetryRequested", "Run", "RunConfig",
    "RunFailureSensorContext",
    "RunNotFoundError", "RunRecord", "RunRequest", "RunStatus",
    "RunStatusSensorContext",
    "RunStatusSensorDefinition",
    "RunsFilter",
    "ScheduleDefinition", "ScheduleEvaluationContext", "Selector", "SensorDefinition",
    "SensorEvaluationContext", "SensorResult", "Shape", "SkipReason",
    "SpecificPartitionsPartitionMapping", "StaleCause", "StaleCauseCategory", "StaleStatus",
    "StaticPartitionMapping", "StaticPartitionsDefinition", "StorageError", "StringSource",
    "TableColumn",
    "TableColumnConstraints",
    "TableSchema",
    "TableSchemaMetadataValue",
    "TextMetadataValue",
    "TimeWindow", "TimeWindowPartitionMapping",
    "TimeWindowPartitionsDefinition",
    "TimestampMetadataValue",
    "TypeCheck", "TypeCheckContext", "TypeCheckError",
    "UPathIOManager", "UnknownPartitionError",
    "UnknownResourceError",
    "UnresolvedAssetJobDefinition",
    "UrlMetadataValue",
    "UserCodeError", "WeeklyPartitionsDefinition", "asset",
    "asset_check",
    "asset_sensor",
    "backfill_partition_status", "build_asset_check_context",
    "build_asset_context", "build_column_schema_change_checks", "build_init_resource_context",
    "build_input_context", "build_last_update_freshness_checks", "build_metadata_bounds_checks",
    "build_op_context", "build_output_context",
    "build_run_status_sensor_context",
    "build_schedule_context",
    "build_schedule_from_partitioned_job", "build_sensor_context", "cancel_backfill",
    "check_data_type",
    "dask_executor", "define_asset_job", "definitions", "evaluate_automation_conditions",
    "execute_backfill", "execute_job", "failure_hook",
    "fs_io_manager",
    "get_logger", "graph", "graph_asset", "graph_multi_asset", "in_process_executor",
    "instance_for_test", "io_manager", "job", "launch_backfill",
    "load_asset_checks_from_modules",
    "load_assets_from_modules",
    "load_assets_from_package_module", "load_defs", "load_from_defs_folder",
    "map_asset_specs",
    "materialize", "materialize_to_memory", "mem_io_manager",
    "multi_asset", "multi_asset_check", "multi_or_in_process_executor", "multiprocess_executor",
    "observable_source_asset", "observe", "op", "reconstructable", "resource",
    "resume_backfill",
    "run_failure_sensor",
    "run_status_sensor",
    "schedule", "sensor", "success_hook",
]  # fmt: skip


def test_public_surface_is_pinned_and_sorted() -> None:
    assert headwater.__all__ == sorted(headwater.__all__)
    assert headwater.__all__ == EXPECTED


def test_every_public_name_resolves() -> None:
    for name in headwater.__all__:
        assert getattr(headwater, name) is not None, name


def test_every_error_derives_from_the_root() -> None:
    errors = [n for n in headwater.__all__ if n.endswith("Error")]
    for name in errors:
        assert issubclass(getattr(headwater, name), headwater.HeadwaterError), name


def test_import_does_not_load_heavy_dependencies() -> None:
    code = (
        "import sys, headwater; "
        "heavy = [m for m in ('sqlalchemy', 'pydantic', 'lark', 'pandas', 'alembic') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_unknown_attribute_raises_attribute_error() -> None:
    try:
        headwater.NotAThing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "NotAThing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_renamed_name_still_imports_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match="renamed headwater.AssetPartitionsSummary"):
        old = headwater.AssetPartitionsStatus  # type: ignore[attr-defined]
    assert old is headwater.AssetPartitionsSummary
    assert "AssetPartitionsStatus" not in headwater.__all__


def test_definitions_is_the_decorator_not_a_package() -> None:
    import types

    import headwater.declarations.definitions  # loading the package must not shadow the decorator

    assert not isinstance(headwater.definitions, types.ModuleType)

    @headwater.definitions
    def defs() -> headwater.Definitions:
        return headwater.Definitions()

    assert isinstance(defs(), headwater.Definitions)
