"""headwater: an asset-centric data orchestrator.

Every public name is importable from here. Heavy modules (pydantic, SQLAlchemy, lark) load on
first use of the names that need them, which keeps ``import headwater`` fast.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> defining module (relative to this package)
_LAZY: dict[str, str] = {
    "AddDynamicPartitionsRequest": "definitions.partitions",
    "AllPartitionMapping": "definitions.partitions",
    "AssetCheckEvaluation": "definitions.checks",
    "AssetCheckExecutionContext": "execution.check_context",
    "AssetCheckFailedError": "errors",
    "AssetCheckKey": "definitions.keys",
    "AssetCheckResult": "definitions.checks",
    "AssetCheckSeverity": "definitions.checks",
    "AssetCheckSpec": "definitions.checks",
    "AssetChecksDefinition": "definitions.checks",
    "AssetDep": "definitions.specs",
    "AssetExecutionContext": "execution.context",
    "AssetIn": "definitions.specs",
    "AssetKey": "definitions.keys",
    "AssetMaterialization": "definitions.results",
    "AssetObservation": "definitions.results",
    "AssetOut": "definitions.specs",
    "AssetPartitionStatus": "storage.records",
    "AssetPartitionsStatus": "storage.partition_status",
    "AssetRecord": "storage.records",
    "AssetRecordsFilter": "storage.records",
    "AssetSelection": "graph.selection",
    "AssetSpec": "definitions.specs",
    "AssetsDefinition": "definitions.assets",
    "BackfillNotFoundError": "errors",
    "BackfillPartitionStatus": "execution.backfill_status",
    "BackfillPolicy": "definitions.backfill_policy",
    "Backoff": "definitions.retries",
    "BulkActionStatus": "storage.backfill_records",
    "Config": "definitions.config",
    "ConfigurableIOManager": "definitions.builtin_io_managers",
    "ConfigurableResource": "definitions.resources",
    "CycleError": "errors",
    "DailyPartitionsDefinition": "definitions.partitions",
    "DataType": "definitions.types",
    "DataVersion": "definitions.versions",
    "DefinitionError": "errors",
    "Definitions": "definitions.definitions",
    "DeleteDynamicPartitionsRequest": "definitions.partitions",
    "DimensionPartitionMapping": "definitions.partitions",
    "DuplicateKeyError": "errors",
    "DynamicOut": "definitions.ops",
    "DynamicOutput": "definitions.ops",
    "DynamicPartitionsDefinition": "definitions.partitions",
    "EnvVar": "definitions.config",
    "EventLogEntry": "events.records",
    "EventLogRecord": "events.records",
    "EventRecordsFilter": "storage.records",
    "EventType": "events.types",
    "ExecuteInProcessResult": "execution.result",
    "ExecutionError": "errors",
    "Failure": "definitions.retries",
    "FilesystemIOManager": "definitions.builtin_io_managers",
    "GraphDefinition": "definitions.graphs",
    "HeadwaterError": "errors",
    "HookContext": "definitions.hooks",
    "HookDefinition": "definitions.hooks",
    "HourlyPartitionsDefinition": "definitions.partitions",
    "IOManager": "definitions.io_managers",
    "IdentityPartitionMapping": "definitions.partitions",
    "In": "definitions.ops",
    "InMemoryIOManager": "definitions.builtin_io_managers",
    "InitResourceContext": "definitions.resources",
    "InputContext": "definitions.io_managers",
    "Instance": "instance",
    "InvalidConfigError": "errors",
    "InvalidSelectionError": "errors",
    "InvariantViolationError": "errors",
    "Jitter": "definitions.retries",
    "JobDefinition": "execution.job",
    "LastPartitionMapping": "definitions.partitions",
    "MaterializeResult": "definitions.results",
    "MetadataValue": "definitions.metadata",
    "MissingResourceError": "errors",
    "MonthlyPartitionsDefinition": "definitions.partitions",
    "MultiPartitionKey": "definitions.partitions",
    "MultiPartitionMapping": "definitions.partitions",
    "MultiPartitionsDefinition": "definitions.partitions",
    "MultiToSingleDimensionPartitionMapping": "definitions.partitions",
    "Nothing": "definitions.types",
    "ObserveResult": "definitions.observable",
    "OpDefinition": "definitions.ops",
    "OpExecutionContext": "execution.context",
    "OpJobDefinition": "definitions.op_jobs",
    "Out": "definitions.ops",
    "Output": "definitions.results",
    "OutputContext": "definitions.io_managers",
    "PartitionBackfill": "storage.backfill_records",
    "PartitionDimensionDefinition": "definitions.partitions",
    "PartitionError": "errors",
    "PartitionKeyRange": "definitions.partitions",
    "PartitionMapping": "definitions.partitions",
    "PartitionsDefinition": "definitions.partitions",
    "ReexecutionOptions": "execution.reexecution",
    "ResourceDefinition": "definitions.resources",
    "ResourceParam": "definitions.resources",
    "Resources": "definitions.resources",
    "RetryPolicy": "definitions.retries",
    "RetryRequested": "definitions.retries",
    "Run": "storage.records",
    "RunConfig": "definitions.config",
    "RunFailedError": "errors",
    "RunRecord": "storage.records",
    "RunStatus": "storage.records",
    "RunsFilter": "storage.records",
    "SpecificPartitionsPartitionMapping": "definitions.partitions",
    "StaleCause": "execution.staleness",
    "StaleCauseCategory": "execution.staleness",
    "StaleStatus": "execution.staleness",
    "StaticPartitionMapping": "definitions.partitions",
    "StaticPartitionsDefinition": "definitions.partitions",
    "StorageError": "errors",
    "TableColumn": "definitions.metadata",
    "TableSchema": "definitions.metadata",
    "TimeWindow": "definitions.partitions",
    "TimeWindowPartitionMapping": "definitions.partitions",
    "TimeWindowPartitionsDefinition": "definitions.partitions",
    "TypeCheck": "definitions.types",
    "TypeCheckContext": "definitions.types",
    "TypeCheckError": "errors",
    "UnresolvedAssetJobDefinition": "definitions.jobs",
    "UserCodeError": "errors",
    "WeeklyPartitionsDefinition": "definitions.partitions",
    "asset": "definitions.decorators",
    "asset_check": "definitions.check_decorators",
    "backfill_partition_status": "execution.backfill_status",
    "build_asset_check_context": "execution.check_context",
    "build_asset_context": "execution.context",
    "build_column_schema_change_checks": "definitions.check_factories",
    "build_init_resource_context": "definitions.resources",
    "build_input_context": "definitions.io_managers",
    "build_last_update_freshness_checks": "definitions.check_factories",
    "build_metadata_bounds_checks": "definitions.check_factories",
    "build_op_context": "execution.context",
    "build_output_context": "definitions.io_managers",
    "cancel_backfill": "execution.backfill",
    "define_asset_job": "definitions.jobs",
    "execute_backfill": "execution.backfill",
    "execute_job": "execution.reexecution",
    "failure_hook": "definitions.hooks",
    "get_logger": "execution.logs",
    "graph": "definitions.graphs",
    "graph_asset": "definitions.graph_assets",
    "graph_multi_asset": "definitions.graph_assets",
    "instance_for_test": "testing",
    "job": "definitions.op_jobs",
    "launch_backfill": "execution.backfill",
    "load_assets_from_modules": "definitions.module_loaders",
    "load_assets_from_package_module": "definitions.module_loaders",
    "materialize": "execution.api",
    "materialize_to_memory": "execution.api",
    "multi_asset": "definitions.decorators",
    "multi_asset_check": "definitions.check_decorators",
    "observable_source_asset": "definitions.observable",
    "observe": "execution.observe",
    "op": "definitions.ops",
    "resource": "definitions.resources",
    "resume_backfill": "execution.backfill",
    "success_hook": "definitions.hooks",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'headwater' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"headwater.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


class _HeadwaterModule(types.ModuleType):
    """The package module; keeps the public ``graph`` decorator from being shadowed.

    Importing the ``headwater.graph`` subpackage (the asset graph) would otherwise set the
    package attribute ``graph`` to that module; the subpackage stays importable by its full name.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "graph" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _HeadwaterModule


if TYPE_CHECKING:
    from headwater.definitions.assets import AssetsDefinition as AssetsDefinition
    from headwater.definitions.backfill_policy import BackfillPolicy as BackfillPolicy
    from headwater.definitions.builtin_io_managers import (
        ConfigurableIOManager as ConfigurableIOManager,
    )
    from headwater.definitions.builtin_io_managers import FilesystemIOManager as FilesystemIOManager
    from headwater.definitions.builtin_io_managers import InMemoryIOManager as InMemoryIOManager
    from headwater.definitions.check_decorators import asset_check as asset_check
    from headwater.definitions.check_decorators import multi_asset_check as multi_asset_check
    from headwater.definitions.check_factories import (
        build_column_schema_change_checks as build_column_schema_change_checks,
    )
    from headwater.definitions.check_factories import (
        build_last_update_freshness_checks as build_last_update_freshness_checks,
    )
    from headwater.definitions.check_factories import (
        build_metadata_bounds_checks as build_metadata_bounds_checks,
    )
    from headwater.definitions.checks import AssetCheckEvaluation as AssetCheckEvaluation
    from headwater.definitions.checks import AssetCheckResult as AssetCheckResult
    from headwater.definitions.checks import AssetChecksDefinition as AssetChecksDefinition
    from headwater.definitions.checks import AssetCheckSeverity as AssetCheckSeverity
    from headwater.definitions.checks import AssetCheckSpec as AssetCheckSpec
    from headwater.definitions.config import Config as Config
    from headwater.definitions.config import EnvVar as EnvVar
    from headwater.definitions.config import RunConfig as RunConfig
    from headwater.definitions.decorators import asset as asset
    from headwater.definitions.decorators import multi_asset as multi_asset
    from headwater.definitions.definitions import Definitions as Definitions
    from headwater.definitions.graph_assets import graph_asset as graph_asset
    from headwater.definitions.graph_assets import graph_multi_asset as graph_multi_asset
    from headwater.definitions.graphs import GraphDefinition as GraphDefinition
    from headwater.definitions.graphs import graph as graph
    from headwater.definitions.hooks import HookContext as HookContext
    from headwater.definitions.hooks import HookDefinition as HookDefinition
    from headwater.definitions.hooks import failure_hook as failure_hook
    from headwater.definitions.hooks import success_hook as success_hook
    from headwater.definitions.io_managers import InputContext as InputContext
    from headwater.definitions.io_managers import IOManager as IOManager
    from headwater.definitions.io_managers import OutputContext as OutputContext
    from headwater.definitions.io_managers import build_input_context as build_input_context
    from headwater.definitions.io_managers import build_output_context as build_output_context
    from headwater.definitions.jobs import (
        UnresolvedAssetJobDefinition as UnresolvedAssetJobDefinition,
    )
    from headwater.definitions.jobs import define_asset_job as define_asset_job
    from headwater.definitions.keys import AssetCheckKey as AssetCheckKey
    from headwater.definitions.keys import AssetKey as AssetKey
    from headwater.definitions.metadata import MetadataValue as MetadataValue
    from headwater.definitions.metadata import TableColumn as TableColumn
    from headwater.definitions.metadata import TableSchema as TableSchema
    from headwater.definitions.module_loaders import (
        load_assets_from_modules as load_assets_from_modules,
    )
    from headwater.definitions.module_loaders import (
        load_assets_from_package_module as load_assets_from_package_module,
    )
    from headwater.definitions.observable import ObserveResult as ObserveResult
    from headwater.definitions.observable import observable_source_asset as observable_source_asset
    from headwater.definitions.op_jobs import OpJobDefinition as OpJobDefinition
    from headwater.definitions.op_jobs import job as job
    from headwater.definitions.ops import DynamicOut as DynamicOut
    from headwater.definitions.ops import DynamicOutput as DynamicOutput
    from headwater.definitions.ops import In as In
    from headwater.definitions.ops import OpDefinition as OpDefinition
    from headwater.definitions.ops import Out as Out
    from headwater.definitions.ops import op as op
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
    from headwater.definitions.resources import ConfigurableResource as ConfigurableResource
    from headwater.definitions.resources import InitResourceContext as InitResourceContext
    from headwater.definitions.resources import ResourceDefinition as ResourceDefinition
    from headwater.definitions.resources import ResourceParam as ResourceParam
    from headwater.definitions.resources import Resources as Resources
    from headwater.definitions.resources import (
        build_init_resource_context as build_init_resource_context,
    )
    from headwater.definitions.resources import resource as resource
    from headwater.definitions.results import AssetMaterialization as AssetMaterialization
    from headwater.definitions.results import AssetObservation as AssetObservation
    from headwater.definitions.results import MaterializeResult as MaterializeResult
    from headwater.definitions.results import Output as Output
    from headwater.definitions.retries import Backoff as Backoff
    from headwater.definitions.retries import Failure as Failure
    from headwater.definitions.retries import Jitter as Jitter
    from headwater.definitions.retries import RetryPolicy as RetryPolicy
    from headwater.definitions.retries import RetryRequested as RetryRequested
    from headwater.definitions.specs import AssetDep as AssetDep
    from headwater.definitions.specs import AssetIn as AssetIn
    from headwater.definitions.specs import AssetOut as AssetOut
    from headwater.definitions.specs import AssetSpec as AssetSpec
    from headwater.definitions.types import DataType as DataType
    from headwater.definitions.types import Nothing as Nothing
    from headwater.definitions.types import TypeCheck as TypeCheck
    from headwater.definitions.types import TypeCheckContext as TypeCheckContext
    from headwater.definitions.versions import DataVersion as DataVersion
    from headwater.errors import AssetCheckFailedError as AssetCheckFailedError
    from headwater.errors import BackfillNotFoundError as BackfillNotFoundError
    from headwater.errors import CycleError as CycleError
    from headwater.errors import DefinitionError as DefinitionError
    from headwater.errors import DuplicateKeyError as DuplicateKeyError
    from headwater.errors import ExecutionError as ExecutionError
    from headwater.errors import HeadwaterError as HeadwaterError
    from headwater.errors import InvalidConfigError as InvalidConfigError
    from headwater.errors import InvalidSelectionError as InvalidSelectionError
    from headwater.errors import InvariantViolationError as InvariantViolationError
    from headwater.errors import MissingResourceError as MissingResourceError
    from headwater.errors import PartitionError as PartitionError
    from headwater.errors import RunFailedError as RunFailedError
    from headwater.errors import StorageError as StorageError
    from headwater.errors import TypeCheckError as TypeCheckError
    from headwater.errors import UserCodeError as UserCodeError
    from headwater.events.records import EventLogEntry as EventLogEntry
    from headwater.events.records import EventLogRecord as EventLogRecord
    from headwater.events.types import EventType as EventType
    from headwater.execution.api import materialize as materialize
    from headwater.execution.api import materialize_to_memory as materialize_to_memory
    from headwater.execution.backfill import cancel_backfill as cancel_backfill
    from headwater.execution.backfill import execute_backfill as execute_backfill
    from headwater.execution.backfill import launch_backfill as launch_backfill
    from headwater.execution.backfill import resume_backfill as resume_backfill
    from headwater.execution.backfill_status import (
        BackfillPartitionStatus as BackfillPartitionStatus,
    )
    from headwater.execution.backfill_status import (
        backfill_partition_status as backfill_partition_status,
    )
    from headwater.execution.check_context import (
        AssetCheckExecutionContext as AssetCheckExecutionContext,
    )
    from headwater.execution.check_context import (
        build_asset_check_context as build_asset_check_context,
    )
    from headwater.execution.context import AssetExecutionContext as AssetExecutionContext
    from headwater.execution.context import OpExecutionContext as OpExecutionContext
    from headwater.execution.context import build_asset_context as build_asset_context
    from headwater.execution.context import build_op_context as build_op_context
    from headwater.execution.job import JobDefinition as JobDefinition
    from headwater.execution.logs import get_logger as get_logger
    from headwater.execution.observe import observe as observe
    from headwater.execution.reexecution import ReexecutionOptions as ReexecutionOptions
    from headwater.execution.reexecution import execute_job as execute_job
    from headwater.execution.result import ExecuteInProcessResult as ExecuteInProcessResult
    from headwater.execution.staleness import StaleCause as StaleCause
    from headwater.execution.staleness import StaleCauseCategory as StaleCauseCategory
    from headwater.execution.staleness import StaleStatus as StaleStatus
    from headwater.graph.selection import AssetSelection as AssetSelection
    from headwater.instance import Instance as Instance
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
