"""Partitions: how an asset is split into independently materialized pieces.

Time windows (hourly, daily, weekly, monthly or any cron schedule), a static list of keys,
dynamic keys kept by the instance, and two-dimensional products of those; plus the partition
mappings that relate the partitions of an asset to those of its upstream assets.
"""

from headwater.declarations.partitions.base import DynamicPartitionsStore as DynamicPartitionsStore
from headwater.declarations.partitions.base import PartitionError as PartitionError
from headwater.declarations.partitions.base import PartitionKeyRange as PartitionKeyRange
from headwater.declarations.partitions.base import PartitionsDefinition as PartitionsDefinition
from headwater.declarations.partitions.multi import MultiPartitionKey as MultiPartitionKey
from headwater.declarations.partitions.multi import (
    MultiPartitionsDefinition as MultiPartitionsDefinition,
)
from headwater.declarations.partitions.multi import (
    PartitionDimensionDefinition as PartitionDimensionDefinition,
)
from headwater.declarations.partitions.static import (
    StaticPartitionsDefinition as StaticPartitionsDefinition,
)
from headwater.declarations.partitions.time_window import (
    DailyPartitionsDefinition as DailyPartitionsDefinition,
)
from headwater.declarations.partitions.time_window import (
    HourlyPartitionsDefinition as HourlyPartitionsDefinition,
)
from headwater.declarations.partitions.time_window import (
    MonthlyPartitionsDefinition as MonthlyPartitionsDefinition,
)
from headwater.declarations.partitions.time_window import TimeWindow as TimeWindow
from headwater.declarations.partitions.time_window import (
    TimeWindowPartitionsDefinition as TimeWindowPartitionsDefinition,
)
from headwater.declarations.partitions.time_window import (
    WeeklyPartitionsDefinition as WeeklyPartitionsDefinition,
)

__all__ = [
    "DailyPartitionsDefinition",
    "DynamicPartitionsStore",
    "HourlyPartitionsDefinition",
    "MonthlyPartitionsDefinition",
    "MultiPartitionKey",
    "MultiPartitionsDefinition",
    "PartitionDimensionDefinition",
    "PartitionError",
    "PartitionKeyRange",
    "PartitionsDefinition",
    "StaticPartitionsDefinition",
    "TimeWindow",
    "TimeWindowPartitionsDefinition",
    "WeeklyPartitionsDefinition",
]

# -- dynamic.py and mappings.py ------------------------------------------------------------------
# Their author appends the imports of DynamicPartitionsDefinition and the partition mappings
# below, and their names with `__all__ += [...]` (then sorts `__all__` once both are in).

from headwater.declarations.partitions.dynamic import (
    AddDynamicPartitionsRequest as AddDynamicPartitionsRequest,
)
from headwater.declarations.partitions.dynamic import (
    DeleteDynamicPartitionsRequest as DeleteDynamicPartitionsRequest,
)
from headwater.declarations.partitions.dynamic import (
    DynamicPartitionsDefinition as DynamicPartitionsDefinition,
)
from headwater.declarations.partitions.mappings import AllPartitionMapping as AllPartitionMapping
from headwater.declarations.partitions.mappings import (
    DimensionPartitionMapping as DimensionPartitionMapping,
)
from headwater.declarations.partitions.mappings import (
    IdentityPartitionMapping as IdentityPartitionMapping,
)
from headwater.declarations.partitions.mappings import LastPartitionMapping as LastPartitionMapping
from headwater.declarations.partitions.mappings import (
    MultiPartitionMapping as MultiPartitionMapping,
)
from headwater.declarations.partitions.mappings import (
    MultiToSingleDimensionPartitionMapping as MultiToSingleDimensionPartitionMapping,
)
from headwater.declarations.partitions.mappings import PartitionMapping as PartitionMapping
from headwater.declarations.partitions.mappings import (
    PartitionMappingError as PartitionMappingError,
)
from headwater.declarations.partitions.mappings import (
    SpecificPartitionsPartitionMapping as SpecificPartitionsPartitionMapping,
)
from headwater.declarations.partitions.mappings import (
    StaticPartitionMapping as StaticPartitionMapping,
)
from headwater.declarations.partitions.mappings import (
    TimeWindowPartitionMapping as TimeWindowPartitionMapping,
)
from headwater.declarations.partitions.mappings import (
    UpstreamPartitionsResult as UpstreamPartitionsResult,
)
from headwater.declarations.partitions.mappings import (
    infer_partition_mapping as infer_partition_mapping,
)

__all__ += [
    "AddDynamicPartitionsRequest",
    "AllPartitionMapping",
    "DeleteDynamicPartitionsRequest",
    "DimensionPartitionMapping",
    "DynamicPartitionsDefinition",
    "IdentityPartitionMapping",
    "LastPartitionMapping",
    "MultiPartitionMapping",
    "MultiToSingleDimensionPartitionMapping",
    "PartitionMapping",
    "PartitionMappingError",
    "SpecificPartitionsPartitionMapping",
    "StaticPartitionMapping",
    "TimeWindowPartitionMapping",
    "UpstreamPartitionsResult",
    "infer_partition_mapping",
]
