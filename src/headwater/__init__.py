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
    "AddDynamicPartitionsRequest": "definitions.partitions",
    "AllPartitionMapping": "definitions.partitions",
    "Array": "definitions.config.legacy",
    "AssetCheckEvaluation": "definitions.checks.definition",
    "AssetCheckExecutionContext": "execution.context.check_context",
    "AssetCheckFailedError": "errors",
    "AssetCheckKey": "keys",
    "AssetCheckResult": "definitions.checks.definition",
    "AssetCheckSeverity": "definitions.checks.definition",
    "AssetCheckSpec": "definitions.checks.definition",
    "AssetChecksDefinition": "definitions.checks.definition",
    "AssetDep": "definitions.assets.specs",
    "AssetExecutionContext": "execution.context.asset_context",
    "AssetIn": "definitions.assets.specs",
    "AssetKey": "keys",
    "AssetMaterialization": "definitions.results",
    "AssetObservation": "definitions.results",
    "AssetOut": "definitions.assets.specs",
    "AssetPartitionStatus": "storage.records",
    "AssetPartitionsStatus": "storage.partition_status",
    "AssetRecord": "storage.records",
    "AssetRecordsFilter": "storage.records",
    "AssetSelection": "asset_graph.selection",
    "AssetSpec": "definitions.assets.specs",
    "AssetsDefinition": "definitions.assets.definition",
    "AutomationCondition": "definitions.automation.automation_condition",
    "AutomationConditionSensorDefinition": "definitions.automation.automation_condition_sensor",
    "BackfillNotFoundError": "errors",
    "BackfillPartitionStatus": "orchestration.backfills.status",
    "BackfillPolicy": "definitions.partitions.backfill_policy",
    "Backoff": "definitions.retries",
    "BoolSource": "definitions.config.legacy",
    "BulkActionStatus": "storage.backfill_records",
    "Config": "definitions.config.model",
    "ConfigurableIOManager": "definitions.io_managers.builtin",
    "ConfigurableIOManagerFactory": "definitions.io_managers.factories",
    "ConfigurableLegacyIOManagerAdapter": "definitions.io_managers.factories",
    "ConfigurableLegacyResourceAdapter": "definitions.resources.factories",
    "ConfigurableResource": "definitions.resources.definition",
    "ConfigurableResourceFactory": "definitions.resources.factories",
    "CycleError": "errors",
    "DailyPartitionsDefinition": "definitions.partitions",
    "DataType": "definitions.types",
    "DataVersion": "definitions.assets.versions",
    "DefaultScheduleStatus": "definitions.automation.statuses",
    "DefaultSensorStatus": "definitions.automation.statuses",
    "DefinitionError": "errors",
    "Definitions": "definitions.definitions",
    "DefsFolderError": "errors",
    "DeleteDynamicPartitionsRequest": "definitions.partitions",
    "DimensionPartitionMapping": "definitions.partitions",
    "DuplicateKeyError": "errors",
    "DynamicOut": "definitions.ops.definition",
    "DynamicOutput": "definitions.ops.definition",
    "DynamicPartitionsDefinition": "definitions.partitions",
    "Enum": "definitions.config.legacy",
    "EnumValue": "definitions.config.legacy",
    "EnvVar": "definitions.config.model",
    "EventLogEntry": "events.records",
    "EventLogRecord": "events.records",
    "EventRecordsFilter": "storage.records",
    "EventType": "events.types",
    "ExecuteInProcessResult": "execution.run.result",
    "ExecutionError": "errors",
    "Failure": "errors",
    "Field": "definitions.config.legacy",
    "FilesystemIOManager": "definitions.io_managers.builtin",
    "GraphDefinition": "definitions.ops.graphs",
    "HeadwaterError": "errors",
    "HookContext": "definitions.ops.hooks",
    "HookDefinition": "definitions.ops.hooks",
    "HourlyPartitionsDefinition": "definitions.partitions",
    "IOManager": "definitions.io_managers.base",
    "IOManagerDefinition": "definitions.io_managers.legacy",
    "IdentityPartitionMapping": "definitions.partitions",
    "In": "definitions.ops.definition",
    "InMemoryIOManager": "definitions.io_managers.builtin",
    "InitResourceContext": "definitions.resources.definition",
    "InputContext": "definitions.io_managers.base",
    "Instance": "instance.instance",
    "IntSource": "definitions.config.legacy",
    "InvalidConfigError": "errors",
    "InvalidSelectionError": "errors",
    "InvariantViolationError": "errors",
    "Jitter": "definitions.retries",
    "JobDefinition": "definitions.jobs.definition",
    "LastPartitionMapping": "definitions.partitions",
    "Map": "definitions.config.legacy",
    "MaterializeResult": "definitions.results",
    "MetadataValue": "metadata",
    "MissingResourceError": "errors",
    "MonthlyPartitionsDefinition": "definitions.partitions",
    "MultiPartitionKey": "definitions.partitions",
    "MultiPartitionMapping": "definitions.partitions",
    "MultiPartitionsDefinition": "definitions.partitions",
    "MultiToSingleDimensionPartitionMapping": "definitions.partitions",
    "Noneable": "definitions.config.legacy",
    "Nothing": "definitions.types",
    "ObserveResult": "definitions.assets.observable",
    "OpDefinition": "definitions.ops.definition",
    "OpExecutionContext": "execution.context.asset_context",
    "OpJobDefinition": "definitions.jobs.op_jobs",
    "Out": "definitions.ops.definition",
    "Output": "definitions.results",
    "OutputContext": "definitions.io_managers.base",
    "PartitionBackfill": "storage.backfill_records",
    "PartitionDimensionDefinition": "definitions.partitions",
    "PartitionError": "errors",
    "PartitionKeyRange": "definitions.partitions",
    "PartitionMapping": "definitions.partitions",
    "PartitionsDefinition": "definitions.partitions",
    "Permissive": "definitions.config.legacy",
    "ReexecutionOptions": "orchestration.reexecution",
    "ResourceDefinition": "definitions.resources.definition",
    "ResourceDependency": "definitions.resources.factories",
    "ResourceParam": "definitions.resources.definition",
    "Resources": "definitions.resources.definition",
    "RetryPolicy": "definitions.retries",
    "RetryRequested": "errors",
    "Run": "storage.records",
    "RunConfig": "definitions.config.model",
    "RunFailedError": "errors",
    "RunNotFoundError": "errors",
    "RunRecord": "storage.records",
    "RunRequest": "definitions.automation.run_requests",
    "RunStatus": "storage.records",
    "RunsFilter": "storage.records",
    "ScheduleDefinition": "definitions.automation.schedules",
    "ScheduleEvaluationContext": "definitions.automation.contexts",
    "Selector": "definitions.config.legacy",
    "SensorDefinition": "definitions.automation.sensors",
    "SensorEvaluationContext": "definitions.automation.contexts",
    "SensorResult": "definitions.automation.run_requests",
    "Shape": "definitions.config.legacy",
    "SkipReason": "definitions.automation.run_requests",
    "SpecificPartitionsPartitionMapping": "definitions.partitions",
    "StaleCause": "execution.staleness",
    "StaleCauseCategory": "execution.staleness",
    "StaleStatus": "execution.staleness",
    "StaticPartitionMapping": "definitions.partitions",
    "StaticPartitionsDefinition": "definitions.partitions",
    "StorageError": "errors",
    "StringSource": "definitions.config.legacy",
    "TableColumn": "metadata",
    "TableSchema": "metadata",
    "TimeWindow": "definitions.partitions",
    "TimeWindowPartitionMapping": "definitions.partitions",
    "TimeWindowPartitionsDefinition": "definitions.partitions",
    "TypeCheck": "definitions.types",
    "TypeCheckContext": "definitions.types",
    "TypeCheckError": "errors",
    "UnresolvedAssetJobDefinition": "definitions.jobs.asset_jobs",
    "UserCodeError": "errors",
    "WeeklyPartitionsDefinition": "definitions.partitions",
    "asset": "definitions.assets.decorators",
    "asset_check": "definitions.checks.decorators",
    "backfill_partition_status": "orchestration.backfills.status",
    "build_asset_check_context": "execution.context.check_context",
    "build_asset_context": "execution.context.asset_context",
    "build_column_schema_change_checks": "definitions.checks.factories",
    "build_init_resource_context": "definitions.resources.definition",
    "build_input_context": "definitions.io_managers.base",
    "build_last_update_freshness_checks": "definitions.checks.factories",
    "build_metadata_bounds_checks": "definitions.checks.factories",
    "build_op_context": "execution.context.asset_context",
    "build_output_context": "definitions.io_managers.base",
    "build_schedule_context": "definitions.automation.contexts",
    "build_schedule_from_partitioned_job": "definitions.automation.partitioned_schedules",
    "build_sensor_context": "definitions.automation.contexts",
    "cancel_backfill": "orchestration.backfills.launch",
    "define_asset_job": "definitions.jobs.asset_jobs",
    # the definitions package itself is the @definitions decorator (see its docstring)
    "definitions": "definitions",
    "execute_backfill": "orchestration.backfills.launch",
    "execute_job": "orchestration.reexecution",
    "failure_hook": "definitions.ops.hooks",
    "fs_io_manager": "definitions.io_managers.legacy",
    "get_logger": "execution.run.logs",
    "graph": "definitions.ops.graphs",
    "graph_asset": "definitions.assets.graph_assets",
    "graph_multi_asset": "definitions.assets.graph_assets",
    "instance_for_test": "testing",
    "io_manager": "definitions.io_managers.legacy",
    "job": "definitions.jobs.op_jobs",
    "launch_backfill": "orchestration.backfills.launch",
    "load_assets_from_modules": "definitions.module_loaders",
    "load_assets_from_package_module": "definitions.module_loaders",
    "load_defs": "definitions.project.defs_folder",
    "load_from_defs_folder": "definitions.project.defs_folder",
    "materialize": "api",
    "materialize_to_memory": "api",
    "mem_io_manager": "definitions.io_managers.legacy",
    "multi_asset": "definitions.assets.decorators",
    "multi_asset_check": "definitions.checks.decorators",
    "observable_source_asset": "definitions.assets.observable",
    "observe": "api",
    "op": "definitions.ops.definition",
    "resource": "definitions.resources.definition",
    "resume_backfill": "orchestration.backfills.launch",
    "schedule": "definitions.automation.schedules",
    "sensor": "definitions.automation.sensors",
    "success_hook": "definitions.ops.hooks",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'headwater' has no attribute {name!r}")
    imported = importlib.import_module(f"headwater.{module}")
    # A name equal to its module is that module: headwater.definitions, the callable package.
    value = imported if module == name else getattr(imported, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:
    from headwater.api import materialize as materialize
    from headwater.api import materialize_to_memory as materialize_to_memory
    from headwater.api import observe as observe
    from headwater.asset_graph.selection import AssetSelection as AssetSelection
    from headwater.definitions.assets.decorators import asset as asset
    from headwater.definitions.assets.decorators import multi_asset as multi_asset
    from headwater.definitions.assets.definition import AssetsDefinition as AssetsDefinition
    from headwater.definitions.assets.graph_assets import graph_asset as graph_asset
    from headwater.definitions.assets.graph_assets import graph_multi_asset as graph_multi_asset
    from headwater.definitions.assets.observable import ObserveResult as ObserveResult
    from headwater.definitions.assets.observable import (
        observable_source_asset as observable_source_asset,
    )
    from headwater.definitions.assets.specs import AssetDep as AssetDep
    from headwater.definitions.assets.specs import AssetIn as AssetIn
    from headwater.definitions.assets.specs import AssetOut as AssetOut
    from headwater.definitions.assets.specs import AssetSpec as AssetSpec
    from headwater.definitions.assets.versions import DataVersion as DataVersion
    from headwater.definitions.automation.automation_condition import (
        AutomationCondition as AutomationCondition,
    )
    from headwater.definitions.automation.automation_condition_sensor import (
        AutomationConditionSensorDefinition as AutomationConditionSensorDefinition,
    )
    from headwater.definitions.automation.contexts import (
        ScheduleEvaluationContext as ScheduleEvaluationContext,
    )
    from headwater.definitions.automation.contexts import (
        SensorEvaluationContext as SensorEvaluationContext,
    )
    from headwater.definitions.automation.contexts import (
        build_schedule_context as build_schedule_context,
    )
    from headwater.definitions.automation.contexts import (
        build_sensor_context as build_sensor_context,
    )
    from headwater.definitions.automation.partitioned_schedules import (
        build_schedule_from_partitioned_job as build_schedule_from_partitioned_job,
    )
    from headwater.definitions.automation.run_requests import RunRequest as RunRequest
    from headwater.definitions.automation.run_requests import SensorResult as SensorResult
    from headwater.definitions.automation.run_requests import SkipReason as SkipReason
    from headwater.definitions.automation.schedules import ScheduleDefinition as ScheduleDefinition
    from headwater.definitions.automation.schedules import schedule as schedule
    from headwater.definitions.automation.sensors import SensorDefinition as SensorDefinition
    from headwater.definitions.automation.sensors import sensor as sensor
    from headwater.definitions.automation.statuses import (
        DefaultScheduleStatus as DefaultScheduleStatus,
    )
    from headwater.definitions.automation.statuses import DefaultSensorStatus as DefaultSensorStatus
    from headwater.definitions.checks.decorators import asset_check as asset_check
    from headwater.definitions.checks.decorators import multi_asset_check as multi_asset_check
    from headwater.definitions.checks.definition import AssetCheckEvaluation as AssetCheckEvaluation
    from headwater.definitions.checks.definition import AssetCheckResult as AssetCheckResult
    from headwater.definitions.checks.definition import (
        AssetChecksDefinition as AssetChecksDefinition,
    )
    from headwater.definitions.checks.definition import AssetCheckSeverity as AssetCheckSeverity
    from headwater.definitions.checks.definition import AssetCheckSpec as AssetCheckSpec
    from headwater.definitions.checks.factories import (
        build_column_schema_change_checks as build_column_schema_change_checks,
    )
    from headwater.definitions.checks.factories import (
        build_last_update_freshness_checks as build_last_update_freshness_checks,
    )
    from headwater.definitions.checks.factories import (
        build_metadata_bounds_checks as build_metadata_bounds_checks,
    )
    from headwater.definitions.config.legacy import Array as Array
    from headwater.definitions.config.legacy import BoolSource as BoolSource
    from headwater.definitions.config.legacy import Enum as Enum
    from headwater.definitions.config.legacy import EnumValue as EnumValue
    from headwater.definitions.config.legacy import Field as Field
    from headwater.definitions.config.legacy import IntSource as IntSource
    from headwater.definitions.config.legacy import Map as Map
    from headwater.definitions.config.legacy import Noneable as Noneable
    from headwater.definitions.config.legacy import Permissive as Permissive
    from headwater.definitions.config.legacy import Selector as Selector
    from headwater.definitions.config.legacy import Shape as Shape
    from headwater.definitions.config.legacy import StringSource as StringSource
    from headwater.definitions.config.model import Config as Config
    from headwater.definitions.config.model import EnvVar as EnvVar
    from headwater.definitions.config.model import RunConfig as RunConfig
    from headwater.definitions.definitions import Definitions as Definitions
    from headwater.definitions.io_managers.base import InputContext as InputContext
    from headwater.definitions.io_managers.base import IOManager as IOManager
    from headwater.definitions.io_managers.base import OutputContext as OutputContext
    from headwater.definitions.io_managers.base import build_input_context as build_input_context
    from headwater.definitions.io_managers.base import build_output_context as build_output_context
    from headwater.definitions.io_managers.builtin import (
        ConfigurableIOManager as ConfigurableIOManager,
    )
    from headwater.definitions.io_managers.builtin import FilesystemIOManager as FilesystemIOManager
    from headwater.definitions.io_managers.builtin import InMemoryIOManager as InMemoryIOManager
    from headwater.definitions.io_managers.factories import (
        ConfigurableIOManagerFactory as ConfigurableIOManagerFactory,
    )
    from headwater.definitions.io_managers.factories import (
        ConfigurableLegacyIOManagerAdapter as ConfigurableLegacyIOManagerAdapter,
    )
    from headwater.definitions.io_managers.legacy import IOManagerDefinition as IOManagerDefinition
    from headwater.definitions.io_managers.legacy import fs_io_manager as fs_io_manager
    from headwater.definitions.io_managers.legacy import io_manager as io_manager
    from headwater.definitions.io_managers.legacy import mem_io_manager as mem_io_manager
    from headwater.definitions.jobs.asset_jobs import (
        UnresolvedAssetJobDefinition as UnresolvedAssetJobDefinition,
    )
    from headwater.definitions.jobs.asset_jobs import define_asset_job as define_asset_job
    from headwater.definitions.jobs.definition import JobDefinition as JobDefinition
    from headwater.definitions.jobs.op_jobs import OpJobDefinition as OpJobDefinition
    from headwater.definitions.jobs.op_jobs import job as job
    from headwater.definitions.module_loaders import (
        load_assets_from_modules as load_assets_from_modules,
    )
    from headwater.definitions.module_loaders import (
        load_assets_from_package_module as load_assets_from_package_module,
    )
    from headwater.definitions.ops.definition import DynamicOut as DynamicOut
    from headwater.definitions.ops.definition import DynamicOutput as DynamicOutput
    from headwater.definitions.ops.definition import In as In
    from headwater.definitions.ops.definition import OpDefinition as OpDefinition
    from headwater.definitions.ops.definition import Out as Out
    from headwater.definitions.ops.definition import op as op
    from headwater.definitions.ops.graphs import GraphDefinition as GraphDefinition
    from headwater.definitions.ops.graphs import graph as graph
    from headwater.definitions.ops.hooks import HookContext as HookContext
    from headwater.definitions.ops.hooks import HookDefinition as HookDefinition
    from headwater.definitions.ops.hooks import failure_hook as failure_hook
    from headwater.definitions.ops.hooks import success_hook as success_hook
    from headwater.definitions.partitions import (
        AddDynamicPartitionsRequest as AddDynamicPartitionsRequest,
    )
    from headwater.definitions.partitions import AllPartitionMapping as AllPartitionMapping
    from headwater.definitions.partitions import (
        DailyPartitionsDefinition as DailyPartitionsDefinition,
    )
    from headwater.definitions.partitions import (
        DeleteDynamicPartitionsRequest as DeleteDynamicPartitionsRequest,
    )
    from headwater.definitions.partitions import (
        DimensionPartitionMapping as DimensionPartitionMapping,
    )
    from headwater.definitions.partitions import (
        DynamicPartitionsDefinition as DynamicPartitionsDefinition,
    )
    from headwater.definitions.partitions import (
        HourlyPartitionsDefinition as HourlyPartitionsDefinition,
    )
    from headwater.definitions.partitions import (
        IdentityPartitionMapping as IdentityPartitionMapping,
    )
    from headwater.definitions.partitions import LastPartitionMapping as LastPartitionMapping
    from headwater.definitions.partitions import (
        MonthlyPartitionsDefinition as MonthlyPartitionsDefinition,
    )
    from headwater.definitions.partitions import MultiPartitionKey as MultiPartitionKey
    from headwater.definitions.partitions import MultiPartitionMapping as MultiPartitionMapping
    from headwater.definitions.partitions import (
        MultiPartitionsDefinition as MultiPartitionsDefinition,
    )
    from headwater.definitions.partitions import (
        MultiToSingleDimensionPartitionMapping as MultiToSingleDimensionPartitionMapping,
    )
    from headwater.definitions.partitions import (
        PartitionDimensionDefinition as PartitionDimensionDefinition,
    )
    from headwater.definitions.partitions import PartitionKeyRange as PartitionKeyRange
    from headwater.definitions.partitions import PartitionMapping as PartitionMapping
    from headwater.definitions.partitions import PartitionsDefinition as PartitionsDefinition
    from headwater.definitions.partitions import (
        SpecificPartitionsPartitionMapping as SpecificPartitionsPartitionMapping,
    )
    from headwater.definitions.partitions import StaticPartitionMapping as StaticPartitionMapping
    from headwater.definitions.partitions import (
        StaticPartitionsDefinition as StaticPartitionsDefinition,
    )
    from headwater.definitions.partitions import TimeWindow as TimeWindow
    from headwater.definitions.partitions import (
        TimeWindowPartitionMapping as TimeWindowPartitionMapping,
    )
    from headwater.definitions.partitions import (
        TimeWindowPartitionsDefinition as TimeWindowPartitionsDefinition,
    )
    from headwater.definitions.partitions import (
        WeeklyPartitionsDefinition as WeeklyPartitionsDefinition,
    )
    from headwater.definitions.partitions.backfill_policy import BackfillPolicy as BackfillPolicy
    from headwater.definitions.project.defs_folder import load_defs as load_defs
    from headwater.definitions.project.defs_folder import (
        load_from_defs_folder as load_from_defs_folder,
    )
    from headwater.definitions.resources.definition import (
        ConfigurableResource as ConfigurableResource,
    )
    from headwater.definitions.resources.definition import (
        InitResourceContext as InitResourceContext,
    )
    from headwater.definitions.resources.definition import ResourceDefinition as ResourceDefinition
    from headwater.definitions.resources.definition import ResourceParam as ResourceParam
    from headwater.definitions.resources.definition import Resources as Resources
    from headwater.definitions.resources.definition import (
        build_init_resource_context as build_init_resource_context,
    )
    from headwater.definitions.resources.definition import resource as resource
    from headwater.definitions.resources.factories import (
        ConfigurableLegacyResourceAdapter as ConfigurableLegacyResourceAdapter,
    )
    from headwater.definitions.resources.factories import (
        ConfigurableResourceFactory as ConfigurableResourceFactory,
    )
    from headwater.definitions.resources.factories import ResourceDependency as ResourceDependency
    from headwater.definitions.results import AssetMaterialization as AssetMaterialization
    from headwater.definitions.results import AssetObservation as AssetObservation
    from headwater.definitions.results import MaterializeResult as MaterializeResult
    from headwater.definitions.results import Output as Output
    from headwater.definitions.retries import Backoff as Backoff
    from headwater.definitions.retries import Jitter as Jitter
    from headwater.definitions.retries import RetryPolicy as RetryPolicy
    from headwater.definitions.types import DataType as DataType
    from headwater.definitions.types import Nothing as Nothing
    from headwater.definitions.types import TypeCheck as TypeCheck
    from headwater.definitions.types import TypeCheckContext as TypeCheckContext
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
    from headwater.errors import InvalidSelectionError as InvalidSelectionError
    from headwater.errors import InvariantViolationError as InvariantViolationError
    from headwater.errors import MissingResourceError as MissingResourceError
    from headwater.errors import PartitionError as PartitionError
    from headwater.errors import RetryRequested as RetryRequested
    from headwater.errors import RunFailedError as RunFailedError
    from headwater.errors import StorageError as StorageError
    from headwater.errors import TypeCheckError as TypeCheckError
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
    from headwater.execution.run.logs import get_logger as get_logger
    from headwater.execution.run.result import ExecuteInProcessResult as ExecuteInProcessResult
    from headwater.execution.staleness import StaleCause as StaleCause
    from headwater.execution.staleness import StaleCauseCategory as StaleCauseCategory
    from headwater.execution.staleness import StaleStatus as StaleStatus
    from headwater.instance.instance import Instance as Instance
    from headwater.keys import AssetCheckKey as AssetCheckKey
    from headwater.keys import AssetKey as AssetKey
    from headwater.metadata import MetadataValue as MetadataValue
    from headwater.metadata import TableColumn as TableColumn
    from headwater.metadata import TableSchema as TableSchema
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
    from headwater.orchestration.reexecution import execute_job as execute_job
    from headwater.storage.backfill_records import BulkActionStatus as BulkActionStatus
    from headwater.storage.backfill_records import PartitionBackfill as PartitionBackfill
    from headwater.storage.partition_status import AssetPartitionsStatus as AssetPartitionsStatus
    from headwater.storage.records import AssetPartitionStatus as AssetPartitionStatus
    from headwater.storage.records import AssetRecord as AssetRecord
    from headwater.storage.records import AssetRecordsFilter as AssetRecordsFilter
    from headwater.storage.records import EventRecordsFilter as EventRecordsFilter
    from headwater.storage.records import Run as Run
    from headwater.storage.records import RunRecord as RunRecord
    from headwater.storage.records import RunsFilter as RunsFilter
    from headwater.storage.records import RunStatus as RunStatus
    from headwater.testing import instance_for_test as instance_for_test
