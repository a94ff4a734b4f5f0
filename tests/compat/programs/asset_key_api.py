"""AssetKey: construction forms, path, prefixes, string forms, equality and hashing."""

import dagster as dg
from _transcript import case, check, expect_error


@case("construct")
def _():
    a = dg.AssetKey("orders")
    b = dg.AssetKey(["warehouse", "orders"])
    c = dg.AssetKey(("warehouse", "orders"))
    check("single_path", list(a.path))
    check("path_is_list", isinstance(b.path, list))
    check("multi_path", list(b.path))
    check("list_eq_tuple", b == c)
    check("hash_eq", hash(b) == hash(c))
    check("user_string", b.to_user_string())
    check("str_eq_key", a == dg.AssetKey(["orders"]))
    check("in_set", dg.AssetKey(["orders"]) in {a})


@case("prefixes")
def _():
    k = dg.AssetKey(["x"])
    check("with_prefix_str", k.with_prefix("p").to_user_string())
    check("with_prefix_list", k.with_prefix(["p", "q"]).to_user_string())
    check("from_user_string", list(dg.AssetKey.from_user_string("a/b/c").path))
    check("from_coercible_str", dg.AssetKey.from_coercible("a").to_user_string())
    check("from_coercible_list", dg.AssetKey.from_coercible(["a", "b"]).to_user_string())
    check("has_prefix", dg.AssetKey(["a", "b"]).has_prefix(["a"]))
    check("has_prefix_no", dg.AssetKey(["a", "b"]).has_prefix(["b"]))


@case("sorting_and_compare")
def _():
    keys = [dg.AssetKey(["b"]), dg.AssetKey(["a", "z"]), dg.AssetKey(["a"])]
    check("sorted_by_string", [k.to_user_string() for k in sorted(keys, key=lambda k: k.to_user_string())])
    check("ne", dg.AssetKey("a") != dg.AssetKey("b"))


@case("bad_input")
def _():
    expect_error("int_key", lambda: dg.AssetKey(3), "DagsterError", "DagsterInvalidDefinitionError")


@case("check_key")
def _():
    ck = dg.AssetCheckKey(dg.AssetKey(["t"]), "not_empty")
    check("asset_key", ck.asset_key.to_user_string())
    check("name", ck.name)
    check("eq", ck == dg.AssetCheckKey(asset_key=dg.AssetKey("t"), name="not_empty"))
