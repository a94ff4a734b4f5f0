"""AssetSelection: assets, keys, groups, prefixes, up/downstream, set operations, resolve."""

import dagster as dg
from _transcript import case, check


@dg.asset(group_name="raw", key_prefix="lake")
def src() -> int:
    return 1


@dg.asset(group_name="mid", ins={"src": dg.AssetIn(key_prefix="lake")})
def mid(src: int) -> int:
    return src


@dg.asset(group_name="out")
def final(mid: int) -> int:
    return mid


@dg.asset(group_name="out", tags={"tier": "gold"})
def other() -> int:
    return 2


ASSETS = [src, mid, final, other]
defs = dg.Definitions(assets=ASSETS)


def resolved(sel):
    return sorted(k.to_user_string() for k in sel.resolve(ASSETS))


SELECTIONS = {
    "all": lambda: dg.AssetSelection.all(),
    "assets_defs": lambda: dg.AssetSelection.assets(mid, final),
    "assets_str": lambda: dg.AssetSelection.assets("mid"),
    "keys": lambda: dg.AssetSelection.keys("final", ["lake", "src"]),
    "groups": lambda: dg.AssetSelection.groups("out"),
    "groups_two": lambda: dg.AssetSelection.groups("raw", "mid"),
    "key_prefixes": lambda: dg.AssetSelection.key_prefixes("lake"),
    "downstream": lambda: dg.AssetSelection.assets(mid).downstream(),
    "downstream_depth": lambda: dg.AssetSelection.assets(src).downstream(depth=1),
    "upstream": lambda: dg.AssetSelection.assets(final).upstream(),
    "upstream_no_self": lambda: dg.AssetSelection.assets(final).upstream(include_self=False),
    "union": lambda: dg.AssetSelection.groups("raw") | dg.AssetSelection.assets("other"),
    "intersection": lambda: dg.AssetSelection.groups("out") & dg.AssetSelection.assets(final).upstream(),
    "difference": lambda: dg.AssetSelection.all() - dg.AssetSelection.groups("out"),
    "tag": lambda: dg.AssetSelection.tag("tier", "gold"),
    "roots": lambda: dg.AssetSelection.all().roots(),
    "sinks": lambda: dg.AssetSelection.all().sinks(),
    "from_string_group": lambda: dg.AssetSelection.from_string("group:out"),
    "from_string_plus": lambda: dg.AssetSelection.from_string("+final"),
}

for label, make in SELECTIONS.items():
    with case(label):
        check("keys", resolved(make()))


@case("job_from_selection")
def _():
    job = dg.define_asset_job("up_to_final", selection=dg.AssetSelection.assets(final).upstream())
    d = dg.Definitions(assets=ASSETS, jobs=[job])
    result = d.get_job_def("up_to_final").execute_in_process()
    check("materialized", sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events()))


@case("job_from_string_list")
def _():
    job = dg.define_asset_job("by_strings", selection=["lake/src", "mid"])
    d = dg.Definitions(assets=ASSETS, jobs=[job])
    result = d.get_job_def("by_strings").execute_in_process()
    check("materialized", sorted(e.asset_key.to_user_string() for e in result.get_asset_materialization_events()))
