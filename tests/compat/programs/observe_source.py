"""Observable source assets: observe(), ObserveResult, DataVersion, observation events on the instance."""

import dagster as dg
from _transcript import case, check


@dg.observable_source_asset
def external_file():
    return dg.DataVersion("v42")


@dg.observable_source_asset(group_name="ext")
def external_table():
    return dg.ObserveResult(data_version=dg.DataVersion("t1"), metadata={"rows": 7})


@case("definition")
def _():
    check("key", external_file.key.to_user_string())
    check("is_observable", external_file.is_observable)
    check("group", external_table.group_name)


@case("observe")
def _():
    with dg.instance_for_test() as inst:
        job = dg.define_asset_job("observe_job", selection=[external_file, external_table])
        defs = dg.Definitions(assets=[external_file, external_table], jobs=[job])
        result = defs.get_job_def("observe_job").execute_in_process(instance=inst)
        check("success", result.success)
        obs = [e for e in result.all_events if e.event_type_value == "ASSET_OBSERVATION"]
        check("count", len(obs))
        versions = sorted(
            (e.asset_key.to_user_string(), e.event_specific_data.asset_observation.tags.get("dagster/data_version")) for e in obs
        )
        check("versions", versions)
        latest = inst.get_latest_data_version_record(dg.AssetKey("external_file")) if hasattr(inst, "get_latest_data_version_record") else None
        check("latest_observation_recorded", latest is not None)


@case("data_version")
def _():
    v = dg.DataVersion("abc")
    check("value", v.value)
    check("eq", v == dg.DataVersion("abc"))


@case("asset_with_data_version")
def _():
    @dg.asset
    def versioned() -> dg.Output[int]:
        return dg.Output(1, data_version=dg.DataVersion("x1"))

    result = dg.materialize([versioned])
    mat = result.get_asset_materialization_events()[0]
    check("data_version_tag", mat.materialization.tags.get("dagster/data_version"))


@case("materialize_result_data_version")
def _():
    @dg.asset
    def mr() -> dg.MaterializeResult:
        return dg.MaterializeResult(data_version=dg.DataVersion("m1"), metadata={"k": 1})

    result = dg.materialize([mr])
    mat = result.get_asset_materialization_events()[0]
    check("data_version_tag", mat.materialization.tags.get("dagster/data_version"))
    check("metadata_k", mat.materialization.metadata["k"].value)
