"""Config classes: fields, defaults, nested config, RunConfig, validation errors."""

import dagster as dg
from _transcript import case, check, expect_error


class Inner(dg.Config):
    factor: int = 2


class MyConfig(dg.Config):
    name: str
    limit: int = 10
    ratio: float = 0.5
    tags: list[str] = []
    inner: Inner = Inner()


@dg.asset
def configured(config: MyConfig) -> dict:
    return {"name": config.name, "limit": config.limit, "ratio": config.ratio, "tags": config.tags, "factor": config.inner.factor}


@dg.op
def op_configured(config: MyConfig) -> int:
    return config.limit * config.inner.factor


@dg.job
def cfg_job():
    op_configured()


@case("direct")
def _():
    c = MyConfig(name="n")
    check("name", c.name)
    check("limit", c.limit)
    check("inner_factor", c.inner.factor)
    check("is_config", isinstance(c, dg.Config))
    check("model_dump", c.model_dump())


@case("materialize_run_config")
def _():
    result = dg.materialize(
        [configured],
        run_config=dg.RunConfig(ops={"configured": MyConfig(name="x", limit=3, tags=["t"], inner=Inner(factor=5))}),
    )
    check("success", result.success)
    check("value", result.output_for_node("configured"))


@case("materialize_dict_config")
def _():
    result = dg.materialize(
        [configured], run_config={"ops": {"configured": {"config": {"name": "d", "inner": {"factor": 7}}}}}
    )
    check("value", result.output_for_node("configured"))


@case("job_config")
def _():
    result = cfg_job.execute_in_process(run_config=dg.RunConfig(ops={"op_configured": MyConfig(name="j", limit=4)}))
    check("value", result.output_for_node("op_configured"))


@case("missing_required")
def _():
    expect_error(
        "missing_name",
        lambda: dg.materialize([configured]),
        "DagsterInvalidConfigError",
        "DagsterError",
        words=["name"],
    )


@case("wrong_type")
def _():
    expect_error(
        "limit_str",
        lambda: dg.materialize([configured], run_config={"ops": {"configured": {"config": {"name": "a", "limit": "many"}}}}),
        "DagsterInvalidConfigError",
        "DagsterError",
        words=["limit"],
    )


@case("unknown_field")
def _():
    expect_error(
        "extra",
        lambda: dg.materialize([configured], run_config={"ops": {"configured": {"config": {"name": "a", "nope": 1}}}}),
        "DagsterInvalidConfigError",
        "DagsterError",
        words=["nope"],
    )


@case("config_construct_error")
def _():
    expect_error("pydantic", lambda: MyConfig(limit=1), "ValueError", "DagsterError")


@case("env_var_in_config")
def _():
    import os

    os.environ["COMPAT_CFG_NAME"] = "from_env"
    result = dg.materialize(
        [configured], run_config={"ops": {"configured": {"config": {"name": {"env": "COMPAT_CFG_NAME"}}}}}
    )
    check("value_name", result.output_for_node("configured")["name"])
