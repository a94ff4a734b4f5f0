"""Function-style IO managers: @io_manager, IOManager subclass, fs_io_manager, mem_io_manager."""

import os

import dagster as dg
from _transcript import case, check

STORE = {}


class PlainIOManager(dg.IOManager):
    def handle_output(self, context, obj):
        STORE[tuple(context.asset_key.path)] = obj

    def load_input(self, context):
        return STORE[tuple(context.asset_key.path)]


@dg.asset
def first() -> int:
    return 5


@dg.asset
def second(first: int) -> int:
    return first * 2


@case("io_manager_decorator")
def _():
    @dg.io_manager
    def plain_io(_):
        return PlainIOManager()

    check("is_io_manager_def", isinstance(plain_io, dg.IOManagerDefinition))
    STORE.clear()
    result = dg.materialize([first, second], resources={"io_manager": plain_io})
    check("value", result.output_for_node("second"))
    check("stored", sorted(STORE.items()))


@case("io_manager_with_config")
def _():
    @dg.io_manager(config_schema={"scale": int})
    def scaled_io(init_context):
        scale = init_context.resource_config["scale"]

        class Scaled(dg.IOManager):
            def handle_output(self, context, obj):
                STORE["scaled"] = obj * scale

            def load_input(self, context):
                return STORE["scaled"]

        return Scaled()

    STORE.clear()
    dg.materialize([first], resources={"io_manager": scaled_io.configured({"scale": 3})})
    check("stored", STORE["scaled"])


@case("fs_io_manager")
def _():
    base = os.path.join(os.getcwd(), "fs_store")
    result = dg.materialize([first, second], resources={"io_manager": dg.fs_io_manager.configured({"base_dir": base})})
    check("value", result.output_for_node("second"))
    check("files", sorted(os.listdir(base)))


@case("filesystem_io_manager_class")
def _():
    base = os.path.join(os.getcwd(), "fs_store2")
    result = dg.materialize([first, second], resources={"io_manager": dg.FilesystemIOManager(base_dir=base)})
    check("value", result.output_for_node("second"))
    check("files", sorted(os.listdir(base)))


@case("mem_io_manager")
def _():
    result = dg.materialize([first, second], resources={"io_manager": dg.mem_io_manager})
    check("value", result.output_for_node("second"))


@case("in_memory_io_manager_class")
def _():
    result = dg.materialize([first, second], resources={"io_manager": dg.InMemoryIOManager()})
    check("value", result.output_for_node("second"))


@case("materialize_to_memory")
def _():
    result = dg.materialize_to_memory([first, second])
    check("value", result.output_for_node("second"))
