"""Definitions: get_job_def, resolve_all_asset_specs, resolve_all_asset_keys, get_assets_def, merge, @definitions."""

import dagster as dg
from _transcript import case, check, check_sorted


@dg.asset(group_name="g1")
def a1() -> int:
    return 1


@dg.asset(group_name="g2")
def a2(a1: int) -> int:
    return a1 + 1


@dg.asset_check(asset=a1)
def a1_ok():
    return dg.AssetCheckResult(passed=True)


job_g2 = dg.define_asset_job("job_g2", selection=dg.AssetSelection.groups("g1"))
defs = dg.Definitions(assets=[a1, a2], asset_checks=[a1_ok], jobs=[job_g2])


@case("lookups")
def _():
    job = defs.get_job_def("job_g2")
    check("job_name", job.name)
    result = job.execute_in_process()
    check("job_materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
    check("assets_def_key", defs.get_assets_def("a2").key.to_user_string())
    check("assets_def_key_obj", defs.get_assets_def(dg.AssetKey("a1")).key.to_user_string())
    check_sorted("all_keys", [k.to_user_string() for k in defs.resolve_all_asset_keys()])


@case("specs")
def _():
    specs = defs.resolve_all_asset_specs()
    check_sorted("spec_keys", [s.key.to_user_string() for s in specs])
    by_key = {s.key.to_user_string(): s for s in specs}
    check("a2_group", by_key["a2"].group_name)
    check("a2_deps", [d.asset_key.to_user_string() for d in by_key["a2"].deps])


@case("implicit_job")
def _():
    job = defs.get_implicit_global_asset_job_def()
    result = job.execute_in_process()
    check("success", result.success)
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])


@case("load_asset_value")
def _():
    with dg.instance_for_test() as inst:
        defs.get_implicit_global_asset_job_def().execute_in_process(instance=inst)
        check("a2", defs.load_asset_value("a2", instance=inst))


@case("merge")
def _():
    @dg.asset
    def other() -> int:
        return 9

    merged = dg.Definitions.merge(defs, dg.Definitions(assets=[other]))
    check_sorted("keys", [k.to_user_string() for k in merged.resolve_all_asset_keys()])
    check("job", merged.get_job_def("job_g2").name)


@case("definitions_decorator")
def _():
    @dg.definitions
    def my_defs():
        return dg.Definitions(assets=[a1])

    check("is_callable", callable(my_defs))
    loaded = my_defs()
    check("is_definitions", isinstance(loaded, dg.Definitions))
    check_sorted("keys", [k.to_user_string() for k in loaded.resolve_all_asset_keys()])


@case("with_resources")
def _():
    class R(dg.ConfigurableResource):
        v: int

    @dg.asset
    def uses(r: R) -> int:
        return r.v

    d = dg.Definitions(assets=[uses], resources={"r": R(v=3)})
    check("resource_keys", sorted(d.resources))
    check("value", d.get_implicit_global_asset_job_def().execute_in_process().output_for_node("uses"))


@case("attributes")
def _():
    check("assets_len", len(list(defs.assets)))
    check("asset_checks_len", len(list(defs.asset_checks)))
    check("jobs_len", len(list(defs.jobs)))
    check("schedules", list(defs.schedules or []))
    check("sensors", list(defs.sensors or []))


@case("map_asset_specs")
def _():
    mapped = defs.map_asset_specs(func=lambda spec: spec.replace_attributes(owners=["team:x"]))
    owners = {s.key.to_user_string(): list(s.owners) for s in mapped.resolve_all_asset_specs()}
    check("owners", owners)
