"""Asset jobs with config, tags and description; RunConfig with resources; op selection in asset jobs."""

import dagster as dg
from _transcript import case, check


class Knob(dg.Config):
    level: int = 1


class Store(dg.ConfigurableResource):
    prefix: str


@dg.asset
def knobbed(config: Knob, store: Store) -> str:
    return f"{store.prefix}{config.level}"


@dg.asset
def plain_two() -> int:
    return 2


@case("job_config")
def _():
    job = dg.define_asset_job(
        "knob_job",
        selection=[knobbed],
        config=dg.RunConfig(ops={"knobbed": Knob(level=7)}),
        tags={"team": "x"},
        description="configured job",
    )
    defs = dg.Definitions(assets=[knobbed, plain_two], jobs=[job], resources={"store": Store(prefix="p")})
    j = defs.get_job_def("knob_job")
    check("description", j.description)
    check("tags_team", j.tags.get("team"))
    result = j.execute_in_process()
    check("value", result.output_for_node("knobbed"))
    check("run_tag", result.dagster_run.tags.get("team"))


@case("run_config_resources")
def _():
    result = dg.materialize(
        [knobbed],
        resources={"store": Store.configure_at_launch()},
        run_config=dg.RunConfig(ops={"knobbed": Knob(level=3)}, resources={"store": {"config": {"prefix": "rc"}}}),
    )
    check("value", result.output_for_node("knobbed"))


@case("override_job_config")
def _():
    job = dg.define_asset_job("knob_job2", selection=[knobbed])
    defs = dg.Definitions(assets=[knobbed], jobs=[job], resources={"store": Store(prefix="o")})
    result = defs.get_job_def("knob_job2").execute_in_process(run_config={"ops": {"knobbed": {"config": {"level": 9}}}})
    check("value", result.output_for_node("knobbed"))


@case("run_config_to_dict")
def _():
    rc = dg.RunConfig(ops={"knobbed": Knob(level=2)})
    check("ops_level", rc.to_config_dict()["ops"]["knobbed"]["config"]["level"])
