"""AssetSpec: fields, replace_attributes, merge_attributes, external assets in Definitions."""

import dagster as dg
from _transcript import case, check, check_sorted


@case("fields")
def _():
    s = dg.AssetSpec(
        ["wh", "orders"],
        deps=["raw_orders", dg.AssetDep("customers")],
        description="orders table",
        group_name="sales",
        owners=["a@b.com"],
        tags={"tier": "gold"},
        kinds={"snowflake"},
        code_version="3",
        metadata={"m": 1},
        skippable=True,
    )
    check("key", s.key.to_user_string())
    check("deps", [d.asset_key.to_user_string() for d in s.deps])
    check("description", s.description)
    check("group", s.group_name)
    check("owners", list(s.owners))
    check("tags_user", {k: v for k, v in s.tags.items() if not k.startswith("dagster/")})
    check("kinds", set(s.kinds))
    check("code_version", s.code_version)
    check("skippable", s.skippable)


@case("defaults")
def _():
    s = dg.AssetSpec("x")
    check("group", s.group_name)
    check("deps", list(s.deps))
    check("owners", list(s.owners))
    check("tags", dict(s.tags))
    check("kinds", set(s.kinds))
    check("skippable", s.skippable)
    check("partitions_def", s.partitions_def)


@case("replace_and_merge")
def _():
    s = dg.AssetSpec("x", tags={"a": "1"}, owners=["team:a"])
    r = s.replace_attributes(group_name="new", description="d")
    check("replaced_group", r.group_name)
    check("replaced_description", r.description)
    check("original_group", s.group_name)
    m = s.merge_attributes(tags={"b": "2"}, owners=["team:b"])
    check("merged_tags", dict(m.tags))
    check("merged_owners", list(m.owners))


@case("external_assets_in_definitions")
def _():
    @dg.asset(deps=["external_source"])
    def consumer() -> int:
        return 1

    defs = dg.Definitions(assets=[dg.AssetSpec("external_source", group_name="ext"), consumer])
    check_sorted("keys", [k.to_user_string() for k in defs.resolve_all_asset_keys()])
    result = defs.get_implicit_global_asset_job_def().execute_in_process()
    check("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])


@case("spec_equality")
def _():
    check("eq", dg.AssetSpec("x", group_name="g") == dg.AssetSpec("x", group_name="g"))
    check("ne", dg.AssetSpec("x") == dg.AssetSpec("y"))
