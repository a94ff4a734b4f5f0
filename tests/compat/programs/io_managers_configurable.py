"""ConfigurableIOManager: handle_output/load_input, contexts (asset_key, upstream_output), per-asset io_manager_key."""

import dagster as dg
from _transcript import case, check, check_sorted

STORE = {}
LOG = []


class DictIOManager(dg.ConfigurableIOManager):
    namespace: str = "ns"

    def handle_output(self, context: dg.OutputContext, obj) -> None:
        key = context.asset_key.to_user_string()
        LOG.append(f"handle:{key}:{context.name}")
        STORE[(self.namespace, key)] = obj

    def load_input(self, context: dg.InputContext):
        key = context.asset_key.to_user_string()
        LOG.append(f"load:{key}:{context.name}:{context.upstream_output.name}")
        return STORE[(self.namespace, key)]


@dg.asset
def source() -> list:
    return [1, 2]


@dg.asset(io_manager_key="special")
def middle(source: list) -> list:
    return source + [3]


@dg.asset
def sink(middle: list) -> int:
    return len(middle)


@case("default_io_manager_override")
def _():
    LOG.clear()
    STORE.clear()
    result = dg.materialize([source, middle, sink], resources={"io_manager": DictIOManager(), "special": DictIOManager(namespace="sp")})
    check("success", result.success)
    check("log", LOG)
    check_sorted("store_keys", [f"{ns}:{k}" for ns, k in STORE])
    check("sink", result.output_for_node("sink"))


@case("handled_output_events")
def _():
    STORE.clear()
    result = dg.materialize([source], resources={"io_manager": DictIOManager()})
    handled = [e for e in result.all_events if e.event_type_value == "HANDLED_OUTPUT"]
    check("handled_count", len(handled))
    check("handled_step", [e.step_key for e in handled])


@case("load_from_previous_run")
def _():
    STORE.clear()
    LOG.clear()
    io = DictIOManager()
    dg.materialize([source], resources={"io_manager": io})
    result = dg.materialize([source, middle], selection=[middle], resources={"io_manager": io, "special": io})
    check("success", result.success)
    check("value", result.output_for_node("middle"))
    check("log", LOG)


@case("output_context_fields")
def _():
    seen = {}

    class Inspect(dg.ConfigurableIOManager):
        def handle_output(self, context: dg.OutputContext, obj) -> None:
            seen["name"] = context.name
            seen["step_key"] = context.step_key
            seen["has_asset_key"] = context.has_asset_key
            seen["asset_key"] = context.asset_key.to_user_string()
            seen["metadata"] = dict(context.definition_metadata or {})

        def load_input(self, context):
            return None

    @dg.asset(metadata={"owner": "x"})
    def inspected() -> int:
        return 1

    dg.materialize([inspected], resources={"io_manager": Inspect()})
    check("seen", seen)
