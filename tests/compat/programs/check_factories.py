"""Asset check factories: build_metadata_bounds_checks, build_column_schema_change_checks, freshness checks."""

import datetime

import dagster as dg
from _transcript import case, check, check_sorted


@dg.asset
def counted(context) -> int:
    context.add_output_metadata({"row_count": 50})
    return 50


@case("metadata_bounds")
def _():
    checks = dg.build_metadata_bounds_checks(assets=[counted], metadata_key="row_count", min_value=10, max_value=40)
    check("count", len(checks))
    check_sorted("names", [k.name for c in checks for k in c.check_keys])
    result = dg.materialize([counted, *checks], raise_on_error=False)
    evals = result.get_asset_check_evaluations()
    check("passed", [e.passed for e in evals])


@case("column_schema_change")
def _():
    checks = dg.build_column_schema_change_checks(assets=[counted])
    check("count", len(checks))
    check_sorted("names", [k.name for c in checks for k in c.check_keys])


@case("last_update_freshness")
def _():
    checks = dg.build_last_update_freshness_checks(assets=[counted], lower_bound_delta=datetime.timedelta(hours=1))
    check("count", len(checks))
    check_sorted("names", [k.name for c in checks for k in c.check_keys])
    check_sorted("assets", [k.asset_key.to_user_string() for c in checks for k in c.check_keys])
