"""Static and multi-dimensional partitions: keys, MultiPartitionKey, context, materialize."""

import dagster as dg
from _transcript import case, check

colors = dg.StaticPartitionsDefinition(["red", "green", "blue"])
multi = dg.MultiPartitionsDefinition(
    {"date": dg.DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-03"), "color": colors}
)


@dg.asset(partitions_def=colors)
def by_color(context) -> str:
    return context.partition_key.upper()


@dg.asset(partitions_def=multi)
def by_both(context) -> dict:
    key = context.partition_key
    check("ctx.key_type_is_multi", isinstance(key, dg.MultiPartitionKey))
    return dict(key.keys_by_dimension)


@case("static")
def _():
    check("keys", colors.get_partition_keys())
    check("has_key", colors.has_partition_key("red"))
    check("not_has_key", colors.has_partition_key("pink"))
    result = dg.materialize([by_color], partition_key="green")
    check("value", result.output_for_node("by_color"))
    check("mat_partition", str(result.get_asset_materialization_events()[0].partition))


@case("static_duplicate")
def _():
    from _transcript import expect_error

    expect_error("dup", lambda: dg.StaticPartitionsDefinition(["a", "a"]), "DagsterInvalidDefinitionError", "DagsterError")


@case("multi_keys")
def _():
    keys = multi.get_partition_keys()
    check("count", len(keys))
    check("as_strings", sorted(str(k) for k in keys))
    check("dimension_names", sorted(d.name for d in multi.partitions_defs))
    k = dg.MultiPartitionKey({"date": "2024-01-02", "color": "red"})
    check("key_str", str(k))
    check("keys_by_dimension", dict(k.keys_by_dimension))
    check("dimension_keys", sorted((d.dimension_name, d.partition_key) for d in k.dimension_keys))


@case("multi_materialize")
def _():
    result = dg.materialize([by_both], partition_key=dg.MultiPartitionKey({"date": "2024-01-01", "color": "blue"}))
    check("success", result.success)
    check("value", result.output_for_node("by_both"))
    check("mat_partition", str(result.get_asset_materialization_events()[0].partition))


@case("multi_materialize_str_key")
def _():
    result = dg.materialize([by_both], partition_key="blue|2024-01-02")
    check("value", result.output_for_node("by_both"))
