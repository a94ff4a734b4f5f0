"""Direct invocation: calling assets and ops with built contexts, config and resources."""

import dagster as dg
from _transcript import case, check, expect_error


class Cfg(dg.Config):
    n: int = 1


class Res(dg.ConfigurableResource):
    value: str


@dg.asset
def no_context() -> int:
    return 5


@dg.asset
def with_context(context: dg.AssetExecutionContext) -> str:
    return context.asset_key.to_user_string()


@dg.asset
def with_input(upstream: int) -> int:
    return upstream * 2


@dg.asset
def with_config(config: Cfg) -> int:
    return config.n * 10


@dg.asset
def with_resource(res: Res) -> str:
    return res.value


@dg.op
def op_plain(x: int) -> int:
    return x + 1


@dg.op(config_schema={"k": int})
def op_legacy_config(context) -> int:
    return context.op_config["k"]


@dg.op(required_resource_keys={"res"})
def op_legacy_resource(context) -> str:
    return context.resources.res.value


CALLS = {
    "asset.no_context": lambda: no_context(),
    "asset.with_context": lambda: with_context(dg.build_asset_context()),
    "asset.with_input_kw": lambda: with_input(upstream=4),
    "asset.with_input_pos": lambda: with_input(3),
    "asset.with_config": lambda: with_config(Cfg(n=3)),
    "asset.with_config_kw": lambda: with_config(config=Cfg(n=4)),
    "asset.with_resource": lambda: with_resource(res=Res(value="r")),
    "asset.with_resource_ctx": lambda: with_resource(dg.build_asset_context(resources={"res": Res(value="c")})),
    "op.plain": lambda: op_plain(1),
    "op.plain_kw": lambda: op_plain(x=2),
    "op.legacy_config": lambda: op_legacy_config(dg.build_op_context(config={"k": 7})),
    "op.legacy_op_config": lambda: op_legacy_config(dg.build_op_context(op_config={"k": 8})),
    "op.legacy_resource": lambda: op_legacy_resource(dg.build_op_context(resources={"res": Res(value="rr")})),
}

for label, call in CALLS.items():
    with case(label):
        check("value", call())


@case("context_fields")
def _():
    ctx = dg.build_asset_context(partition_key="2024-01-01")
    check("partition_key", ctx.partition_key)
    ctx = dg.build_op_context(op_config={"k": 1})
    check("op_config", dict(ctx.op_config))
    check("is_op_context", isinstance(dg.build_op_context(), dg.OpExecutionContext))
    check("is_asset_context", isinstance(dg.build_asset_context(), dg.AssetExecutionContext))


@case("errors")
def _():
    expect_error("missing_input", lambda: with_input(), "DagsterInvalidInvocationError", "DagsterError", "TypeError")
    expect_error("too_many", lambda: op_plain(1, 2), "DagsterInvalidInvocationError", "DagsterError", "TypeError")
    expect_error("missing_context", lambda: with_context(), "DagsterInvalidInvocationError", "DagsterError", "TypeError")
    expect_error("missing_resource", lambda: with_resource(), "DagsterInvalidInvocationError", "DagsterError", "TypeError")


@case("generator_op")
def _():
    @dg.op(out={"a": dg.Out(), "b": dg.Out()})
    def two():
        yield dg.Output(1, "a")
        yield dg.Output(2, "b")

    outs = list(two())
    check("outputs", [(o.output_name, o.value) for o in outs])


@case("multi_asset_invocation")
def _():
    @dg.multi_asset(outs={"p": dg.AssetOut(), "q": dg.AssetOut()})
    def pq():
        return 1, 2

    check("tuple", pq())
