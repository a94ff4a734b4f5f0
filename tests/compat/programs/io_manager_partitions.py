"""IO managers and partitions: partition keys and time windows in Output/Input contexts."""

import dagster as dg
from _transcript import case, check

daily = dg.DailyPartitionsDefinition(start_date="2024-02-01", end_date="2024-02-05")
STORE = {}
SEEN = []


class PartitionedIO(dg.ConfigurableIOManager):
    def handle_output(self, context: dg.OutputContext, obj) -> None:
        SEEN.append(("out", context.has_asset_partitions, context.asset_partition_key))
        STORE[(context.asset_key.to_user_string(), context.asset_partition_key)] = obj

    def load_input(self, context: dg.InputContext):
        keys = context.asset_partition_keys
        SEEN.append(("in", context.has_asset_partitions, list(keys)))
        return {k: STORE[(context.asset_key.to_user_string(), k)] for k in keys}


@dg.asset(partitions_def=daily)
def daily_value(context) -> str:
    return "v-" + context.partition_key


@dg.asset(partitions_def=daily)
def daily_copy(context, daily_value: dict) -> list:
    return sorted(daily_value.values())


@case("output_context")
def _():
    SEEN.clear()
    STORE.clear()
    dg.materialize([daily_value], partition_key="2024-02-02", resources={"io_manager": PartitionedIO()})
    check("seen", SEEN)


@case("input_context")
def _():
    SEEN.clear()
    io = PartitionedIO()
    dg.materialize([daily_value], partition_key="2024-02-03", resources={"io_manager": io})
    result = dg.materialize([daily_value, daily_copy], selection=[daily_copy], partition_key="2024-02-03", resources={"io_manager": io})
    check("seen", SEEN)
    check("value", result.output_for_node("daily_copy"))


@case("time_window_in_context")
def _():
    windows = []

    class WindowIO(dg.ConfigurableIOManager):
        def handle_output(self, context, obj):
            tw = context.asset_partitions_time_window
            windows.append([tw.start.isoformat(), tw.end.isoformat()])

        def load_input(self, context):
            return None

    dg.materialize([daily_value], partition_key="2024-02-04", resources={"io_manager": WindowIO()})
    check("windows", windows)


@case("unpartitioned_context")
def _():
    seen = {}

    class Plain(dg.ConfigurableIOManager):
        def handle_output(self, context, obj):
            seen["has_partitions"] = context.has_asset_partitions
            seen["has_partition_key"] = context.has_partition_key

        def load_input(self, context):
            return None

    @dg.asset
    def plain() -> int:
        return 1

    dg.materialize([plain], resources={"io_manager": Plain()})
    check("seen", seen)
