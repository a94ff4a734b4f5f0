"""Asset inputs: AssetIn forms (positional key, key=, key_prefix=), deps forms, **kwargs."""

import dagster as dg
from _transcript import case, check, check_sorted

ALL = []


@dg.asset(key_prefix=["lake"])
def raw() -> int:
    return 10


@dg.asset
def plain() -> int:
    return 1


ALL += [raw, plain]


@case("define_positional_key")
def _():
    @dg.asset(ins={"x": dg.AssetIn(dg.AssetKey(["lake", "raw"]))})
    def positional_key(x: int) -> int:
        return x + 1

    ALL.append(positional_key)


@case("define_positional_str")
def _():
    @dg.asset(ins={"x": dg.AssetIn("plain")})
    def positional_str(x: int) -> int:
        return x + 5

    ALL.append(positional_str)


@case("define_keyword_key")
def _():
    @dg.asset(ins={"x": dg.AssetIn(key=["lake", "raw"])})
    def keyword_key(x: int) -> int:
        return x + 2

    ALL.append(keyword_key)


@case("define_prefixed")
def _():
    @dg.asset(ins={"raw": dg.AssetIn(key_prefix="lake")})
    def prefixed(raw: int) -> int:
        return raw + 3

    ALL.append(prefixed)
    check("keys_by_input_name", {n: k.to_user_string() for n, k in prefixed.keys_by_input_name.items()})


@case("define_kwargs")
def _():
    @dg.asset(ins={"a": dg.AssetIn(key="plain"), "b": dg.AssetIn(key=dg.AssetKey(["lake", "raw"]))})
    def with_kwargs(**kwargs) -> list:
        return sorted(kwargs.items())

    ALL.append(with_kwargs)
    check("keys_by_input_name", {n: k.to_user_string() for n, k in with_kwargs.keys_by_input_name.items()})


@case("define_deps_mixed")
def _():
    @dg.asset(deps=["plain", dg.AssetKey(["lake", "raw"])])
    def deps_mixed() -> str:
        return "ok"

    ALL.append(deps_mixed)


@case("define_deps_assetdep")
def _():
    @dg.asset(deps=[dg.AssetDep("plain"), dg.AssetDep(raw)])
    def deps_assetdep() -> str:
        return "ok"

    ALL.append(deps_assetdep)


@case("define_nothing_in")
def _():
    @dg.asset(ins={"plain": dg.AssetIn(dagster_type=dg.Nothing)})
    def nothing_in() -> str:
        return "nothing"

    ALL.append(nothing_in)


@case("keys")
def _():
    check("defined", len(ALL))
    for a in ALL:
        name = a.key.to_user_string()
        check_sorted(f"deps.{name}", [k.to_user_string() for k in a.dependency_keys])


@case("materialize")
def _():
    result = dg.materialize(ALL)
    check("success", result.success)
    for a in ALL[2:]:
        check(f"value.{a.key.to_user_string()}", result.output_for_node(a.key.path[-1]))
