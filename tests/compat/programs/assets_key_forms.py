"""Asset key forms: name=, key=, key_prefix= (str and list), and how groups follow."""

import dagster as dg
from _transcript import case, check, expect_error


@dg.asset(name="renamed")
def original() -> int:
    return 1


@dg.asset(key_prefix="one")
def prefixed_str() -> int:
    return 1


@dg.asset(key_prefix=["a", "b"], group_name="g")
def prefixed_list() -> int:
    return 1


@dg.asset(key=["x", "y", "z"])
def explicit_key() -> int:
    return 1


@dg.asset(key=dg.AssetKey("k"))
def explicit_assetkey() -> int:
    return 1


@case("keys")
def _():
    check("name", original.key.to_user_string())
    check("prefix_str", prefixed_str.key.to_user_string())
    check("prefix_list", prefixed_list.key.to_user_string())
    check("explicit", explicit_key.key.to_user_string())
    check("explicit_assetkey", explicit_assetkey.key.to_user_string())
    check("group", prefixed_list.group_names_by_key[prefixed_list.key])


@case("op_names")
def _():
    check("name_op", original.op.name)
    check("prefix_list_op", prefixed_list.op.name)
    check("explicit_op", explicit_key.op.name)


@case("conflicts")
def _():
    def key_and_prefix():
        @dg.asset(key=["a"], key_prefix="p")
        def f():
            return 1

    def key_and_name():
        @dg.asset(key=["a"], name="b")
        def g():
            return 1

    expect_error("key_and_prefix", key_and_prefix, "DagsterInvalidDefinitionError", "DagsterError")
    expect_error("key_and_name", key_and_name, "DagsterInvalidDefinitionError", "DagsterError")


@case("bad_group")
def _():
    def bad():
        @dg.asset(group_name="has space")
        def f():
            return 1

    expect_error("space", bad, "DagsterInvalidDefinitionError", "DagsterError")


@case("materialize_prefixed")
def _():
    @dg.asset(key_prefix=["a", "b"], ins={"prefixed_list": dg.AssetIn(key_prefix=["a", "b"])})
    def downstream(prefixed_list: int) -> int:
        return prefixed_list + 1

    result = dg.materialize([prefixed_list, downstream])
    check("success", result.success)
    check("value", result.output_for_node("a__b__downstream"))
