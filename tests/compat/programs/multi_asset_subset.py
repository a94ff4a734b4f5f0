"""multi_asset can_subset: selected outputs in context, partial selection refused when not subsettable."""

import dagster as dg
from _transcript import case, check, check_sorted, expect_error


@dg.multi_asset(
    outs={"a": dg.AssetOut(is_required=False), "b": dg.AssetOut(is_required=False), "c": dg.AssetOut(is_required=False)},
    can_subset=True,
)
def subsettable(context: dg.AssetExecutionContext):
    check_sorted("selected_output_names", context.selected_output_names)
    check_sorted("selected_asset_keys", [k.to_user_string() for k in context.selected_asset_keys])
    for name in sorted(context.selected_output_names):
        yield dg.Output(name.upper(), output_name=name)


@dg.multi_asset(outs={"x": dg.AssetOut(), "y": dg.AssetOut()})
def fixed():
    return 1, 2


@case("flags")
def _():
    check("subsettable.can_subset", subsettable.can_subset)
    check("fixed.can_subset", fixed.can_subset)


@case("subset_run")
def _():
    result = dg.materialize([subsettable], selection=["a", "c"])
    check("success", result.success)
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])


@case("full_run")
def _():
    result = dg.materialize([subsettable])
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])


@case("subset_of_fixed")
def _():
    expect_error(
        "partial",
        lambda: dg.materialize([fixed], selection=["x"]),
        "DagsterInvalidSubsetError",
        "DagsterInvalidDefinitionError",
        "DagsterError",
    )


@case("subset_via_selection_object")
def _():
    result = dg.materialize([subsettable], selection=dg.AssetSelection.assets("b"))
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
