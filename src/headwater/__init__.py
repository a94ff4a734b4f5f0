"""headwater: an asset-centric data orchestrator.

Every public name is importable from here. Heavy modules (pydantic, SQLAlchemy, lark) load on
first use of the names that need them, which keeps ``import headwater`` fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> defining module (relative to this package)
_LAZY: dict[str, str] = {
    "AddDynamicPartitionsRequest": "declarations.partitions",
    "AllPartitionMapping": "declarations.partitions",
    "Array": "declarations.config.legacy",
    "AssetCheckEvaluation": "declarations.checks.definition",
    "AssetCheckExecutionContext": "execution.context.check_context",
    "AssetCheckFailedError": "errors",
    "AssetCheckKey": "keys",
    "AssetCheckResult": "declarations.checks.definition",
    "AssetCheckSeverity": "declarations.checks.definition",
    "AssetCheckSpec": "declarations.checks.definition",
    "AssetChecksDefinition": "declarations.checks.definition",
    "AssetDep": "declarations.assets.specs",
    "AssetExecutionContext": "execution.context.asset_context",
    "AssetIn": "declarations.assets.specs",
    "AssetKey": "keys",
    "AssetMaterialization": "declarations.results",
    "AssetMetadataValue": "metadata",
    "AssetObservation": "declarations.results",
    "AssetOut": "declarations.assets.specs",
    "AssetPartitionStatus": "storage.records",
    "AssetPartitionsSummary": "storage.partition_status",
    "AssetRecord": "storage.records",
    "AssetRecordsFilter": "storage.records",
    "AssetSelection": "asset_graph.selection",
    "AssetSensorDefinition": "declarations.automation.asset_sensors",
    "AssetSpec": "declarations.assets.specs",
    "AssetsDefinition": "declarations.assets.definition",
    "AutomationCondition": "declarations.automation.automation_condition",
    "AutomationConditionSensorDefinition": "declarations.automation.automation_condition_sensor",
    "BackfillNotFoundError": "errors",
    "BackfillPartitionStatus": "orchestration.backfills.status",
    "BackfillPolicy": "declarations.partitions.backfill_policy",
    "Backoff": "declarations.retries",
    "BoolMetadataValue": "metadata",
    "BoolSource": "declarations.config.legacy",
    "BulkActionStatus": "storage.backfill_records",
    "Config": "declarations.config.base",
    "ConfigurableIOManager": "declarations.io_managers.builtin",
    "ConfigurableIOManagerFactory": "declarations.io_managers.factories",
    "ConfigurableLegacyIOManagerAdapter": "declarations.io_managers.factories",
    "ConfigurableLegacyResourceAdapter": "declarations.resources.factories",
    "ConfigurableResource": "declarations.resources.configurable",
    "ConfigurableResourceFactory": "declarations.resources.factories",
    "CycleError": "errors",
    "DailyPartitionsDefinition": "declarations.partitions",
    "DataType": "declarations.types",
    "DataVersion": "declarations.assets.versions",
    "DefaultScheduleStatus": "declarations.automation.statuses",
    "DefaultSensorStatus": "declarations.automation.statuses",
    "DefinitionError": "errors",
    "Definitions": "declarations.definitions",
    "DefsFolderError": "errors",
    "DeleteDynamicPartitionsRequest": "declarations.partitions",
    "DimensionPartitionMapping": "declarations.partitions",
    "DuplicateKeyError": "errors",
    "DynamicOut": "declarations.ops.definition",
    "DynamicOutput": "declarations.ops.definition",
    "DynamicPartitionsDefinition": "declarations.partitions",
    "Enum": "declarations.config.legacy",
    "EnumValue": "declarations.config.legacy",
    "EnvVar": "declarations.config.model",
    "EventLogEntry": "events.records",
    "EventLogRecord": "events.records",
    "EventRecordsFilter": "storage.records",
    "EventType": "events.types",
    "ExecuteInProcessResult": "execution.run.result",
    "ExecuteJobResult": "execution.executors.job_result",
    "ExecutionError": "errors",
    "ExecutorDefinition": "declarations.executors",
    "Failure": "errors",
    "Field": "declarations.config.legacy",
    "FilesystemIOManager": "declarations.io_managers.builtin",
    "FloatMetadataValue": "metadata",
    "FreshnessPolicy": "declarations.automation.freshness_policy",
    "GraphDefinition": "declarations.ops.graphs",
    "GraphOut": "declarations.ops.graphs",
    "HeadwaterError": "errors",
    "HookContext": "declarations.ops.hooks",
    "HookDefinition": "declarations.ops.hooks",
    "HourlyPartitionsDefinition": "declarations.partitions",
    "IOManager": "declarations.io_managers.base",
    "IOManagerDefinition": "declarations.io_managers.legacy",
    "IdentityPartitionMapping": "declarations.partitions",
    "In": "declarations.ops.definition",
    "InMemoryIOManager": "declarations.io_managers.builtin",
    "InitResourceContext": "declarations.resources.context",
    "InputContext": "declarations.io_managers.base",
    "Instance": "instance.instance",
    "IntMetadataValue": "metadata",
    "IntSource": "declarations.config.legacy",
    "InvalidConfigError": "errors",
    "InvalidInvocationError": "errors",
    "InvalidSelectionError": "errors",
    "InvariantViolationError": "errors",
    "Jitter": "declarations.retries",
    "JobDefinition": "declarations.jobs.definition",
    "JsonMetadataValue": "metadata",
    "LastPartitionMapping": "declarations.partitions",
    "Map": "declarations.config.legacy",
    "MarkdownMetadataValue": "metadata",
    "MaterializeResult": "declarations.results",
    "MetadataValue": "metadata",
    "MissingResourceError": "errors",
    "MonthlyPartitionsDefinition": "declarations.partitions",
    "MultiPartitionKey": "declarations.partitions",
    "MultiPartitionMapping": "declarations.partitions",
    "MultiPartitionsDefinition": "declarations.partitions",
    "MultiToSingleDimensionPartitionMapping": "declarations.partitions",
    "Noneable": "declarations.config.legacy",
    "Nothing": "declarations.types",
    "NullMetadataValue": "metadata",
    "ObserveResult": "declarations.assets.observable",
    "OpDefinition": "declarations.ops.definition",
    "OpExecutionContext": "execution.context.asset_context",
    "Out": "declarations.ops.definition",
    "Output": "declarations.results",
    "OutputContext": "declarations.io_managers.base",
    "PartitionBackfill": "storage.backfill_records",
    "PartitionDimensionDefinition": "declarations.partitions",
    "PartitionError": "errors",
    "PartitionKeyRange": "declarations.partitions",
    "PartitionMapping": "declarations.partitions",
    "PartitionsDefinition": "declarations.partitions",
    "PathMetadataValue": "metadata",
    "Permissive": "declarations.config.legacy",
    "PermissiveConfig": "declarations.config.base",
    "ReconstructableJob": "execution.executors.reconstructable",
    "ReexecutionOptions": "orchestration.reexecution",
    "ResourceDefinition": "declarations.resources.legacy",
    "ResourceDependency": "declarations.resources.factories",
    "ResourceParam": "declarations.resources.definition",
    "Resources": "declarations.resources.context",
    "RetryPolicy": "declarations.retries",
    "RetryRequested": "errors",
    "Run": "storage.records",
    "RunConfig": "declarations.config.model",
    "RunFailureSensorContext": "declarations.automation.run_status_sensors",
    "RunNotFoundError": "errors",
    "RunRecord": "storage.records",
    "RunRequest": "declarations.automation.run_requests",
    "RunStatus": "storage.records",
    "RunStatusSensorContext": "declarations.automation.run_status_sensors",
    "RunStatusSensorDefinition": "declarations.automation.run_status_sensors",
    "RunsFilter": "storage.records",
    "ScheduleDefinition": "declarations.automation.schedules",
    "ScheduleEvaluationContext": "declarations.automation.contexts",
    "Selector": "declarations.config.legacy",
    "SensorDefinition": "declarations.automation.sensors",
    "SensorEvaluationContext": "declarations.automation.contexts",
    "SensorResult": "declarations.automation.run_requests",
    "Shape": "declarations.config.legacy",
    "SkipReason": "declarations.automation.run_requests",
    "SpecificPartitionsPartitionMapping": "declarations.partitions",
    "StaleCause": "execution.staleness",
    "StaleCauseCategory": "execution.staleness",
    "StaleStatus": "execution.staleness",
    "StaticPartitionMapping": "declarations.partitions",
    "StaticPartitionsDefinition": "declarations.partitions",
    "StorageError": "errors",
    "StringSource": "declarations.config.legacy",
    "TableColumn": "metadata",
    "TableColumnConstraints": "metadata",
    "TableSchema": "metadata",
    "TableSchemaMetadataValue": "metadata",
    "TextMetadataValue": "metadata",
    "TimeWindow": "declarations.partitions",
    "TimeWindowPartitionMapping": "declarations.partitions",
    "TimeWindowPartitionsDefinition": "declarations.partitions",
    "TimestampMetadataValue": "metadata",
    "TypeCheck": "declarations.types",
    "TypeCheckContext": "declarations.types",
    "TypeCheckError": "errors",
    "UPathIOManager": "integrations.upath.io_manager",
    "UnknownPartitionError": "errors",
    "UnknownResourceError": "errors",
    "UnresolvedAssetJobDefinition": "declarations.jobs.asset_jobs",
    "UrlMetadataValue": "metadata",
    "UserCodeError": "errors",
    "WeeklyPartitionsDefinition": "declarations.partitions",
    "asset": "declarations.assets.decorators",
    "asset_check": "declarations.checks.decorators",
    "asset_sensor": "declarations.automation.asset_sensors",
    "backfill_partition_status": "orchestration.backfills.status",
    "build_asset_check_context": "execution.context.check_context",
    "build_asset_context": "execution.context.asset_context",
    "build_column_schema_change_checks": "declarations.checks.factories",
    "build_init_resource_context": "declarations.resources.context",
    "build_input_context": "declarations.io_managers.base",
    "build_last_update_freshness_checks": "declarations.checks.factories",
    "build_metadata_bounds_checks": "declarations.checks.factories",
    "build_op_context": "execution.context.asset_context",
    "build_output_context": "declarations.io_managers.base",
    "build_run_status_sensor_context": "declarations.automation.run_status_sensors",
    "build_schedule_context": "declarations.automation.contexts",
    "build_schedule_from_partitioned_job": "declarations.automation.partitioned_schedules",
    "build_sensor_context": "declarations.automation.contexts",
    "cancel_backfill": "orchestration.backfills.launch",
    "check_data_type": "declarations.types",
    "dask_executor": "declarations.executors",
    "define_asset_job": "declarations.jobs.asset_jobs",
    # the definitions package itself is the @definitions decorator (see its docstring)
    "definitions": "declarations.project.decorator",
    "evaluate_automation_conditions": "orchestration.automation.engine",
    "execute_backfill": "orchestration.backfills.launch",
    "execute_job": "api",
    "failure_hook": "declarations.ops.hooks",
    "fs_io_manager": "declarations.io_managers.legacy",
    "get_logger": "execution.run.logs",
    "graph": "declarations.ops.graphs",
    "graph_asset": "declarations.assets.graph_assets",
    "graph_multi_asset": "declarations.assets.graph_assets",
    "in_process_executor": "declarations.executors",
    "instance_for_test": "testing",
    "io_manager": "declarations.io_managers.legacy",
    "job": "declarations.jobs.op_jobs",
    "launch_backfill": "orchestration.backfills.launch",
    "load_asset_checks_from_modules": "declarations.module_loaders",
    "load_assets_from_modules": "declarations.module_loaders",
    "load_assets_from_package_module": "declarations.module_loaders",
    "load_defs": "declarations.project.defs_folder",
    "load_from_defs_folder": "declarations.project.defs_folder",
    "map_asset_specs": "declarations.assets.definition",
    "materialize": "api",
    "materialize_to_memory": "api",
    "mem_io_manager": "declarations.io_managers.legacy",
    "multi_asset": "declarations.assets.decorators",
    "multi_asset_check": "declarations.checks.decorators",
    "multi_or_in_process_executor": "declarations.executors",
    "multiprocess_executor": "declarations.executors",
    "observable_source_asset": "declarations.assets.observable",
    "observe": "api",
    "op": "declarations.ops.definition",
    "reconstructable": "execution.executors.reconstructable",
    "resource": "declarations.resources.legacy",
    "resume_backfill": "orchestration.backfills.launch",
    "run_failure_sensor": "declarations.automation.run_status_sensors",
    "run_status_sensor": "declarations.automation.run_status_sensors",
    "schedule": "declarations.automation.schedules",
    "sensor": "declarations.automation.sensors",
    "success_hook": "declarations.ops.hooks",
}

__all__ = sorted(_LAZY)

# Renamed public names, still importable (with a DeprecationWarning): old name -> new name.
_RENAMED: dict[str, str] = {
    # Read as AssetPartitionStatus, the status of one partition.
    "AssetPartitionsStatus": "AssetPartitionsSummary",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        if name in _RENAMED:
            import warnings

            warnings.warn(
                f"headwater.{name} is renamed headwater.{_RENAMED[name]}; the old name will be "
                "removed.",
                DeprecationWarning,
                stacklevel=2,
            )
            return __getattr__(_RENAMED[name])
        raise AttributeError(f"module 'headwater' has no attribute {name!r}")
    imported = importlib.import_module(f"headwater.{module}")
    # A name equal to its module is that module: headwater.declarations, the callable package.
    value = imported if module == name else getattr(imported, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:
    from headwater.api import execute_job as execute_job
    from headwater.api import materialize as materialize
    from headwater.api import materialize_to_memory as materialize_to_memory
    from headwater.api import observe as observe
    from headwater.asset_graph.selection import AssetSelection as AssetSelection
    from headwater.declarations.assets.decorators import asset as asset
    from headwater.declarations.assets.decorators import multi_asset as multi_asset
    from headwater.declarations.assets.definition import AssetsDefinition as AssetsDefinition
    from headwater.declarations.assets.definition import map_asset_specs as map_asset_specs
    from headwater.declarations.assets.graph_assets import graph_asset as graph_asset
    from headwater.declarations.assets.graph_assets import graph_multi_asset as graph_multi_asset
    from headwater.declarations.assets.observable import ObserveResult as ObserveResult
    from headwater.declarations.assets.observable import (
        observable_source_asset as observable_source_asset,
    )
    from headwater.declarations.assets.specs import AssetDep as AssetDep
    from headwater.declarations.assets.specs import AssetIn as AssetIn
    from headwater.declarations.assets.specs import AssetOut as AssetOut
    from headwater.declarations.assets.specs import AssetSpec as AssetSpec
    from headwater.declarations.assets.versions import DataVersion as DataVersion
    from headwater.declarations.automation.asset_sensors import (
        AssetSensorDefinition as AssetSensorDefinition,
    )
    from headwater.declarations.automation.asset_sensors import asset_sensor as asset_sensor
    from headwater.declarations.automation.automation_condition import (
        AutomationCondition as AutomationCondition,
    )
    from headwater.declarations.automation.automation_condition_sensor import (
        AutomationConditionSensorDefinition as AutomationConditionSensorDefinition,
    )
    from headwater.declarations.automation.contexts import (
        ScheduleEvaluationContext as ScheduleEvaluationContext,
    )
    from headwater.declarations.automation.contexts import (
        SensorEvaluationContext as SensorEvaluationContext,
    )
    from headwater.declarations.automation.contexts import (
        build_schedule_context as build_schedule_context,
    )
    from headwater.declarations.automation.contexts import (
        build_sensor_context as build_sensor_context,
    )
    from headwater.declarations.automation.freshness_policy import (
        FreshnessPolicy as FreshnessPolicy,
    )
    from headwater.declarations.automation.partitioned_schedules import (
        build_schedule_from_partitioned_job as build_schedule_from_partitioned_job,
    )
    from headwater.declarations.automation.run_requests import RunRequest as RunRequest
    from headwater.declarations.automation.run_requests import SensorResult as SensorResult
    from headwater.declarations.automation.run_requests import SkipReason as SkipReason
    from headwater.declarations.automation.run_status_sensors import (
        RunFailureSensorContext as RunFailureSensorContext,
    )
    from headwater.declarations.automation.run_status_sensors import (
        RunStatusSensorContext as RunStatusSensorContext,
    )
    from headwater.declarations.automation.run_status_sensors import (
        RunStatusSensorDefinition as RunStatusSensorDefinition,
    )
    from headwater.declarations.automation.run_status_sensors import (
        build_run_status_sensor_context as build_run_status_sensor_context,
    )
    from headwater.declarations.automation.run_status_sensors import (
        run_failure_sensor as run_failure_sensor,
    )
    from headwater.declarations.automation.run_status_sensors import (
        run_status_sensor as run_status_sensor,
    )
    from headwater.declarations.automation.schedules import ScheduleDefinition as ScheduleDefinition
    from headwater.declarations.automation.schedules import schedule as schedule
    from headwater.declarations.automation.sensors import SensorDefinition as SensorDefinition
    from headwater.declarations.automation.sensors import sensor as sensor
    from headwater.declarations.automation.statuses import (
        DefaultScheduleStatus as DefaultScheduleStatus,
    )
    from headwater.declarations.automation.statuses import (
        DefaultSensorStatus as DefaultSensorStatus,
    )
    from headwater.declarations.checks.decorators import asset_check as asset_check
    from headwater.declarations.checks.decorators import multi_asset_check as multi_asset_check
    from headwater.declarations.checks.definition import (
        AssetCheckEvaluation as AssetCheckEvaluation,
    )
    from headwater.declarations.checks.definition import AssetCheckResult as AssetCheckResult
    from headwater.declarations.checks.definition import (
        AssetChecksDefinition as AssetChecksDefinition,
    )
    from headwater.declarations.checks.definition import AssetCheckSeverity as AssetCheckSeverity
    from headwater.declarations.checks.definition import AssetCheckSpec as AssetCheckSpec
    from headwater.declarations.checks.factories import (
        build_column_schema_change_checks as build_column_schema_change_checks,
    )
    from headwater.declarations.checks.factories import (
        build_last_update_freshness_checks as build_last_update_freshness_checks,
    )
    from headwater.declarations.checks.factories import (
        build_metadata_bounds_checks as build_metadata_bounds_checks,
    )
    from headwater.declarations.config.base import Config as Config
    from headwater.declarations.config.base import PermissiveConfig as PermissiveConfig
    from headwater.declarations.config.legacy import Array as Array
    from headwater.declarations.config.legacy import BoolSource as BoolSource
    from headwater.declarations.config.legacy import Enum as Enum
    from headwater.declarations.config.legacy import EnumValue as EnumValue
    from headwater.declarations.config.legacy import Field as Field
    from headwater.declarations.config.legacy import IntSource as IntSource
    from headwater.declarations.config.legacy import Map as Map
    from headwater.declarations.config.legacy import Noneable as Noneable
    from headwater.declarations.config.legacy import Permissive as Permissive
    from headwater.declarations.config.legacy import Selector as Selector
    from headwater.declarations.config.legacy import Shape as Shape
    from headwater.declarations.config.legacy import StringSource as StringSource
    from headwater.declarations.config.model import EnvVar as EnvVar
    from headwater.declarations.config.model import RunConfig as RunConfig
    from headwater.declarations.definitions import Definitions as Definitions
    from headwater.declarations.executors import ExecutorDefinition as ExecutorDefinition
    from headwater.declarations.executors import dask_executor as dask_executor
    from headwater.declarations.executors import in_process_executor as in_process_executor
    from headwater.declarations.executors import (
        multi_or_in_process_executor as multi_or_in_process_executor,
    )
    from headwater.declarations.executors import multiprocess_executor as multiprocess_executor
    from headwater.declarations.io_managers.base import InputContext as InputContext
    from headwater.declarations.io_managers.base import IOManager as IOManager
    from headwater.declarations.io_managers.base import OutputContext as OutputContext
    from headwater.declarations.io_managers.base import build_input_context as build_input_context
    from headwater.declarations.io_managers.base import build_output_context as build_output_context
    from headwater.declarations.io_managers.builtin import (
        ConfigurableIOManager as ConfigurableIOManager,
    )
    from headwater.declarations.io_managers.builtin import (
        FilesystemIOManager as FilesystemIOManager,
    )
    from headwater.declarations.io_managers.builtin import InMemoryIOManager as InMemoryIOManager
    from headwater.declarations.io_managers.factories import (
        ConfigurableIOManagerFactory as ConfigurableIOManagerFactory,
    )
    from headwater.declarations.io_managers.factories import (
        ConfigurableLegacyIOManagerAdapter as ConfigurableLegacyIOManagerAdapter,
    )
    from headwater.declarations.io_managers.legacy import IOManagerDefinition as IOManagerDefinition
    from headwater.declarations.io_managers.legacy import fs_io_manager as fs_io_manager
    from headwater.declarations.io_managers.legacy import io_manager as io_manager
    from headwater.declarations.io_managers.legacy import mem_io_manager as mem_io_manager
    from headwater.declarations.jobs.asset_jobs import (
        UnresolvedAssetJobDefinition as UnresolvedAssetJobDefinition,
    )
    from headwater.declarations.jobs.asset_jobs import define_asset_job as define_asset_job
    from headwater.declarations.jobs.definition import JobDefinition as JobDefinition
    from headwater.declarations.jobs.op_jobs import job as job
    from headwater.declarations.module_loaders import (
        load_asset_checks_from_modules as load_asset_checks_from_modules,
    )
    from headwater.declarations.module_loaders import (
        load_assets_from_modules as load_assets_from_modules,
    )
    from headwater.declarations.module_loaders import (
        load_assets_from_package_module as load_assets_from_package_module,
    )
    from headwater.declarations.ops.definition import DynamicOut as DynamicOut
    from headwater.declarations.ops.definition import DynamicOutput as DynamicOutput
    from headwater.declarations.ops.definition import In as In
    from headwater.declarations.ops.definition import OpDefinition as OpDefinition
    from headwater.declarations.ops.definition import Out as Out
    from headwater.declarations.ops.definition import op as op
    from headwater.declarations.ops.graphs import GraphDefinition as GraphDefinition
    from headwater.declarations.ops.graphs import GraphOut as GraphOut
    from headwater.declarations.ops.graphs import graph as graph
    from headwater.declarations.ops.hooks import HookContext as HookContext
    from headwater.declarations.ops.hooks import HookDefinition as HookDefinition
    from headwater.declarations.ops.hooks import failure_hook as failure_hook
    from headwater.declarations.ops.hooks import success_hook as success_hook
    from headwater.declarations.partitions import (
        AddDynamicPartitionsRequest as AddDynamicPartitionsRequest,
    )
    from headwater.declarations.partitions import AllPartitionMapping as AllPartitionMapping
    from headwater.declarations.partitions import (
        DailyPartitionsDefinition as DailyPartitionsDefinition,
    )
    from headwater.declarations.partitions import (
        DeleteDynamicPartitionsRequest as DeleteDynamicPartitionsRequest,
    )
    from headwater.declarations.partitions import (
        DimensionPartitionMapping as DimensionPartitionMapping,
    )
    from headwater.declarations.partitions import (
        DynamicPartitionsDefinition as DynamicPartitionsDefinition,
    )
    from headwater.declarations.partitions import (
        HourlyPartitionsDefinition as HourlyPartitionsDefinition,
    )
    from headwater.declarations.partitions import (
        IdentityPartitionMapping as IdentityPartitionMapping,
    )
    from headwater.declarations.partitions import LastPartitionMapping as LastPartitionMapping
    from headwater.declarations.partitions import (
        MonthlyPartitionsDefinition as MonthlyPartitionsDefinition,
    )
    from headwater.declarations.partitions import MultiPartitionKey as MultiPartitionKey
    from headwater.declarations.partitions import MultiPartitionMapping as MultiPartitionMapping
    from headwater.declarations.partitions import (
        MultiPartitionsDefinition as MultiPartitionsDefinition,
    )
    from headwater.declarations.partitions import (
        MultiToSingleDimensionPartitionMapping as MultiToSingleDimensionPartitionMapping,
    )
    from headwater.declarations.partitions import (
        PartitionDimensionDefinition as PartitionDimensionDefinition,
    )
    from headwater.declarations.partitions import PartitionKeyRange as PartitionKeyRange
    from headwater.declarations.partitions import PartitionMapping as PartitionMapping
    from headwater.declarations.partitions import PartitionsDefinition as PartitionsDefinition
    from headwater.declarations.partitions import (
        SpecificPartitionsPartitionMapping as SpecificPartitionsPartitionMapping,
    )
    from headwater.declarations.partitions import StaticPartitionMapping as StaticPartitionMapping
    from headwater.declarations.partitions import (
        StaticPartitionsDefinition as StaticPartitionsDefinition,
    )
    from headwater.declarations.partitions import TimeWindow as TimeWindow
    from headwater.declarations.partitions import (
        TimeWindowPartitionMapping as TimeWindowPartitionMapping,
    )
    from headwater.declarations.partitions import (
        TimeWindowPartitionsDefinition as TimeWindowPartitionsDefinition,
    )
    from headwater.declarations.partitions import (
        WeeklyPartitionsDefinition as WeeklyPartitionsDefinition,
    )
    from headwater.declarations.partitions.backfill_policy import BackfillPolicy as BackfillPolicy
    from headwater.declarations.project.decorator import definitions as definitions
    from headwater.declarations.project.defs_folder import load_defs as load_defs
    from headwater.declarations.project.defs_folder import (
        load_from_defs_folder as load_from_defs_folder,
    )
    from headwater.declarations.resources.configurable import (
        ConfigurableResource as ConfigurableResource,
    )
    from headwater.declarations.resources.context import (
        InitResourceContext as InitResourceContext,
    )
    from headwater.declarations.resources.context import Resources as Resources
    from headwater.declarations.resources.context import (
        build_init_resource_context as build_init_resource_context,
    )
    from headwater.declarations.resources.definition import ResourceParam as ResourceParam
    from headwater.declarations.resources.factories import (
        ConfigurableLegacyResourceAdapter as ConfigurableLegacyResourceAdapter,
    )
    from headwater.declarations.resources.factories import (
        ConfigurableResourceFactory as ConfigurableResourceFactory,
    )
    from headwater.declarations.resources.factories import ResourceDependency as ResourceDependency
    from headwater.declarations.resources.legacy import ResourceDefinition as ResourceDefinition
    from headwater.declarations.resources.legacy import resource as resource
    from headwater.declarations.results import AssetMaterialization as AssetMaterialization
    from headwater.declarations.results import AssetObservation as AssetObservation
    from headwater.declarations.results import MaterializeResult as MaterializeResult
    from headwater.declarations.results import Output as Output
    from headwater.declarations.retries import Backoff as Backoff
    from headwater.declarations.retries import Jitter as Jitter
    from headwater.declarations.retries import RetryPolicy as RetryPolicy
    from headwater.declarations.types import DataType as DataType
    from headwater.declarations.types import Nothing as Nothing
    from headwater.declarations.types import TypeCheck as TypeCheck
    from headwater.declarations.types import TypeCheckContext as TypeCheckContext
    from headwater.declarations.types import check_data_type as check_data_type
    from headwater.errors import AssetCheckFailedError as AssetCheckFailedError
    from headwater.errors import BackfillNotFoundError as BackfillNotFoundError
    from headwater.errors import CycleError as CycleError
    from headwater.errors import DefinitionError as DefinitionError
    from headwater.errors import DefsFolderError as DefsFolderError
    from headwater.errors import DuplicateKeyError as DuplicateKeyError
    from headwater.errors import ExecutionError as ExecutionError
    from headwater.errors import Failure as Failure
    from headwater.errors import HeadwaterError as HeadwaterError
    from headwater.errors import InvalidConfigError as InvalidConfigError
    from headwater.errors import InvalidInvocationError as InvalidInvocationError
    from headwater.errors import InvalidSelectionError as InvalidSelectionError
    from headwater.errors import InvariantViolationError as InvariantViolationError
    from headwater.errors import MissingResourceError as MissingResourceError
    from headwater.errors import PartitionError as PartitionError
    from headwater.errors import RetryRequested as RetryRequested
    from headwater.errors import StorageError as StorageError
    from headwater.errors import TypeCheckError as TypeCheckError
    from headwater.errors import UnknownPartitionError as UnknownPartitionError
    from headwater.errors import UnknownResourceError as UnknownResourceError
    from headwater.errors import UserCodeError as UserCodeError
    from headwater.events.records import EventLogEntry as EventLogEntry
    from headwater.events.records import EventLogRecord as EventLogRecord
    from headwater.events.types import EventType as EventType
    from headwater.execution.context.asset_context import (
        AssetExecutionContext as AssetExecutionContext,
    )
    from headwater.execution.context.asset_context import OpExecutionContext as OpExecutionContext
    from headwater.execution.context.asset_context import build_asset_context as build_asset_context
    from headwater.execution.context.asset_context import build_op_context as build_op_context
    from headwater.execution.context.check_context import (
        AssetCheckExecutionContext as AssetCheckExecutionContext,
    )
    from headwater.execution.context.check_context import (
        build_asset_check_context as build_asset_check_context,
    )
    from headwater.execution.executors.job_result import ExecuteJobResult as ExecuteJobResult
    from headwater.execution.executors.reconstructable import (
        ReconstructableJob as ReconstructableJob,
    )
    from headwater.execution.executors.reconstructable import reconstructable as reconstructable
    from headwater.execution.run.logs import get_logger as get_logger
    from headwater.execution.run.result import ExecuteInProcessResult as ExecuteInProcessResult
    from headwater.execution.staleness import StaleCause as StaleCause
    from headwater.execution.staleness import StaleCauseCategory as StaleCauseCategory
    from headwater.execution.staleness import StaleStatus as StaleStatus
    from headwater.instance.instance import Instance as Instance
    from headwater.integrations.upath.io_manager import UPathIOManager as UPathIOManager
    from headwater.keys import AssetCheckKey as AssetCheckKey
    from headwater.keys import AssetKey as AssetKey
    from headwater.metadata import AssetMetadataValue as AssetMetadataValue
    from headwater.metadata import BoolMetadataValue as BoolMetadataValue
    from headwater.metadata import FloatMetadataValue as FloatMetadataValue
    from headwater.metadata import IntMetadataValue as IntMetadataValue
    from headwater.metadata import JsonMetadataValue as JsonMetadataValue
    from headwater.metadata import MarkdownMetadataValue as MarkdownMetadataValue
    from headwater.metadata import MetadataValue as MetadataValue
    from headwater.metadata import NullMetadataValue as NullMetadataValue
    from headwater.metadata import PathMetadataValue as PathMetadataValue
    from headwater.metadata import TableColumn as TableColumn
    from headwater.metadata import TableColumnConstraints as TableColumnConstraints
    from headwater.metadata import TableSchema as TableSchema
    from headwater.metadata import TableSchemaMetadataValue as TableSchemaMetadataValue
    from headwater.metadata import TextMetadataValue as TextMetadataValue
    from headwater.metadata import TimestampMetadataValue as TimestampMetadataValue
    from headwater.metadata import UrlMetadataValue as UrlMetadataValue
    from headwater.orchestration.automation.engine import (
        evaluate_automation_conditions as evaluate_automation_conditions,
    )
    from headwater.orchestration.backfills.launch import cancel_backfill as cancel_backfill
    from headwater.orchestration.backfills.launch import execute_backfill as execute_backfill
    from headwater.orchestration.backfills.launch import launch_backfill as launch_backfill
    from headwater.orchestration.backfills.launch import resume_backfill as resume_backfill
    from headwater.orchestration.backfills.status import (
        BackfillPartitionStatus as BackfillPartitionStatus,
    )
    from headwater.orchestration.backfills.status import (
        backfill_partition_status as backfill_partition_status,
    )
    from headwater.orchestration.reexecution import ReexecutionOptions as ReexecutionOptions
    from headwater.storage.backfill_records import BulkActionStatus as BulkActionStatus
    from headwater.storage.backfill_records import PartitionBackfill as PartitionBackfill
    from headwater.storage.partition_status import AssetPartitionsSummary as AssetPartitionsSummary
    from headwater.storage.records import AssetPartitionStatus as AssetPartitionStatus
    from headwater.storage.records import AssetRecord as AssetRecord
    from headwater.storage.records import AssetRecordsFilter as AssetRecordsFilter
    from headwater.storage.records import EventRecordsFilter as EventRecordsFilter
    from headwater.storage.records import Run as Run
    from headwater.storage.records import RunRecord as RunRecord
    from headwater.storage.records import RunsFilter as RunsFilter
    from headwater.storage.records import RunStatus as RunStatus
    from headwater.testing import instance_for_test as instance_for_test
