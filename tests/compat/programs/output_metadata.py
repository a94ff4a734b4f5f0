"""Output metadata: Out(metadata), Output(metadata), add_output_metadata, MaterializeResult metadata."""

import dagster as dg
from _transcript import case, check


def _md(event):
    md = event.materialization.metadata
    return {k: v.value for k, v in md.items() if k != "path"}


@case("output_metadata")
def _():
    @dg.asset
    def with_output() -> dg.Output[int]:
        return dg.Output(5, metadata={"n": 5, "label": "five"})

    result = dg.materialize([with_output])
    check("metadata", _md(result.get_asset_materialization_events()[0]))


@case("add_output_metadata")
def _():
    @dg.asset
    def with_add(context: dg.AssetExecutionContext) -> int:
        context.add_output_metadata({"rows": 3})
        return 3

    result = dg.materialize([with_add])
    check("metadata", _md(result.get_asset_materialization_events()[0]))


@case("materialize_result")
def _():
    @dg.asset
    def with_result() -> dg.MaterializeResult:
        return dg.MaterializeResult(metadata={"status": "ok"})

    result = dg.materialize([with_result])
    check("metadata", _md(result.get_asset_materialization_events()[0]))
    check("handled_output", [e.event_type_value for e in result.all_events].count("HANDLED_OUTPUT"))


@case("asset_definition_metadata_not_in_event")
def _():
    @dg.asset(metadata={"static": 1})
    def static_meta() -> int:
        return 1

    result = dg.materialize([static_meta])
    check("metadata", _md(result.get_asset_materialization_events()[0]))


@case("op_out_metadata_in_io_context")
def _():
    seen = {}

    class Io(dg.ConfigurableIOManager):
        def handle_output(self, context, obj):
            seen["definition_metadata"] = {k: (v.value if hasattr(v, "value") else v) for k, v in (context.definition_metadata or {}).items()}
            seen["op_def_name"] = context.op_def.name

        def load_input(self, context):
            return None

    @dg.op(out=dg.Out(metadata={"where": "here"}))
    def emits() -> int:
        return 1

    @dg.job(resource_defs={"io_manager": Io()})
    def j():
        emits()

    j.execute_in_process()
    check("seen", seen)


@case("yield_materialization_from_op")
def _():
    @dg.op
    def records_external():
        yield dg.AssetMaterialization(asset_key="external_thing", metadata={"n": 1})
        yield dg.Output(None)

    @dg.job
    def j():
        records_external()

    result = j.execute_in_process()
    mats = result.get_asset_materialization_events()
    check("keys", [e.asset_key.to_user_string() for e in mats])
    check("metadata", _md(mats[0]))
