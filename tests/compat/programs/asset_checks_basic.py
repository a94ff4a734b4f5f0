"""Asset checks: @asset_check, AssetCheckResult fields, severity, check_specs on an asset, results API."""

import dagster as dg
from _transcript import case, check, check_sorted


@dg.asset
def orders() -> list:
    return [1, 2, 3]


@dg.asset_check(asset=orders, description="orders is not empty")
def not_empty(orders: list) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=len(orders) > 0, metadata={"rows": len(orders)})


@dg.asset_check(asset="orders")
def warns() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN, description="just a warning")


@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="with_specs")])
def with_specs():
    yield dg.Output(5)
    yield dg.AssetCheckResult(check_name="positive", passed=True)


@case("definitions")
def _():
    check("is_checks_def", isinstance(not_empty, dg.AssetChecksDefinition))
    key = next(iter(not_empty.check_keys))
    check("check_key.name", key.name)
    check("check_key.asset", key.asset_key.to_user_string())
    spec = next(iter(not_empty.check_specs))
    check("spec.name", spec.name)
    check("spec.description", spec.description)
    check("spec.blocking", spec.blocking)
    check("spec.asset_key", spec.asset_key.to_user_string())
    check_sorted("with_specs.check_keys", [k.name for k in with_specs.check_keys])


@case("materialize_with_checks")
def _():
    result = dg.materialize([orders, not_empty, warns])
    check("success", result.success)
    evals = result.get_asset_check_evaluations()
    check("count", len(evals))
    by_name = {e.check_name: e for e in evals}
    check_sorted("names", list(by_name))
    check("not_empty.passed", by_name["not_empty"].passed)
    check("not_empty.asset", by_name["not_empty"].asset_key.to_user_string())
    check("not_empty.rows", by_name["not_empty"].metadata["rows"].value)
    check("warns.passed", by_name["warns"].passed)
    check("warns.severity", by_name["warns"].severity)
    check("warns.description", by_name["warns"].description)


@case("check_in_asset")
def _():
    result = dg.materialize([with_specs])
    check("success", result.success)
    evals = result.get_asset_check_evaluations()
    check("evals", [(e.check_name, e.passed) for e in evals])
    check("value", result.output_for_node("with_specs"))


@case("error_severity_failure")
def _():
    @dg.asset_check(asset=orders)
    def fails() -> dg.AssetCheckResult:
        return dg.AssetCheckResult(passed=False)

    result = dg.materialize([orders, fails])
    check("success", result.success)
    ev = result.get_asset_check_evaluations()[0]
    check("passed", ev.passed)
    check("severity", ev.severity)


@case("check_event_types")
def _():
    result = dg.materialize([orders, not_empty])
    types = [e.event_type_value for e in result.all_events if e.event_type_value.startswith("ASSET_CHECK")]
    check("types", types)


@case("direct_invocation")
def _():
    r = not_empty([9, 9])
    check("passed", r.passed)
    check("metadata_rows", r.metadata["rows"] if isinstance(r.metadata["rows"], int) else r.metadata["rows"].value)
