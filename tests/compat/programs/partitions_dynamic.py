"""Dynamic partitions: add/delete keys on the instance, requests, materialize a dynamic partition."""

import dagster as dg
from _transcript import case, check, expect_error

fruits = dg.DynamicPartitionsDefinition(name="fruits")


@dg.asset(partitions_def=fruits)
def fruit(context) -> str:
    return f"fruit:{context.partition_key}"


@case("add_and_list")
def _():
    with dg.instance_for_test() as inst:
        check("empty", fruits.get_partition_keys(dynamic_partitions_store=inst))
        inst.add_dynamic_partitions("fruits", ["apple", "banana"])
        check("after_add", fruits.get_partition_keys(dynamic_partitions_store=inst))
        check("instance_keys", inst.get_dynamic_partitions("fruits"))
        check("has", inst.has_dynamic_partition("fruits", "apple"))
        inst.delete_dynamic_partition("fruits", "apple")
        check("after_delete", inst.get_dynamic_partitions("fruits"))


@case("materialize")
def _():
    with dg.instance_for_test() as inst:
        inst.add_dynamic_partitions("fruits", ["cherry"])
        result = dg.materialize([fruit], partition_key="cherry", instance=inst)
        check("success", result.success)
        check("value", result.output_for_node("fruit"))
        check("partition", result.get_asset_materialization_events()[0].partition)


@case("materialize_unknown")
def _():
    with dg.instance_for_test() as inst:
        expect_error(
            "unknown",
            lambda: dg.materialize([fruit], partition_key="durian", instance=inst),
            "DagsterUnknownPartitionError",
            "DagsterError",
        )


@case("requests")
def _():
    add = fruits.build_add_request(["kiwi"])
    check("add.name", add.partitions_def_name)
    check("add.keys", list(add.partition_keys))
    delete = fruits.build_delete_request(["kiwi"])
    check("delete.keys", list(delete.partition_keys))
    check("is_add_request", isinstance(add, dg.AddDynamicPartitionsRequest))


@case("name_required")
def _():
    expect_error("no_name", lambda: dg.DynamicPartitionsDefinition(), "DagsterInvalidDefinitionError", "DagsterError", "TypeError")
