"""Assets: keys, attributes (group, metadata, code_version, tags, owners, kinds), materialize."""

import dagster as dg
from _transcript import case, check, check_sorted


@dg.asset(
    group_name="raw",
    metadata={"source": "api", "rows": 3},
    code_version="v1",
    tags={"team": "core"},
    owners=["team:data"],
    kinds={"python"},
    description="Three numbers.",
)
def numbers() -> list[int]:
    return [3, 1, 2]


@dg.asset
def sorted_numbers(numbers: list[int]) -> list[int]:
    return sorted(numbers)


@dg.asset(deps=[sorted_numbers])
def report() -> None:
    return None


@case("attributes")
def _():
    check("key", numbers.key.to_user_string())
    check("keys", [k.to_user_string() for k in numbers.keys])
    spec = next(iter(numbers.specs))
    check("group", spec.group_name)
    check("code_version", spec.code_version)
    check("description", spec.description)
    check("metadata", dict(spec.metadata))
    check("tags_user", {k: v for k, v in spec.tags.items() if not k.startswith("dagster/")})
    check("kind_tags", {k: v for k, v in spec.tags.items() if k.startswith("dagster/kind/")})
    check("owners", list(spec.owners))
    check("kinds", set(spec.kinds))
    check("group_names_by_key", {k.to_user_string(): v for k, v in numbers.group_names_by_key.items()})
    check("code_versions_by_key", {k.to_user_string(): v for k, v in numbers.code_versions_by_key.items()})


@case("defaults")
def _():
    spec = next(iter(sorted_numbers.specs))
    check("group", spec.group_name)
    check("code_version", spec.code_version)
    check("description", spec.description)
    check("owners", list(spec.owners))
    check("deps", [d.asset_key.to_user_string() for d in spec.deps])
    check("report_deps", [d.asset_key.to_user_string() for d in next(iter(report.specs)).deps])
    check("is_asset_def", isinstance(sorted_numbers, dg.AssetsDefinition))


@case("dependency_keys")
def _():
    check_sorted("sorted_numbers_deps", [k.to_user_string() for k in sorted_numbers.dependency_keys])
    check_sorted("report_deps", [k.to_user_string() for k in report.dependency_keys])
    check_sorted("numbers_deps", [k.to_user_string() for k in numbers.dependency_keys])


@case("materialize")
def _():
    result = dg.materialize([numbers, sorted_numbers, report])
    check("success", result.success)
    check("numbers_value", result.output_for_node("numbers"))
    check("sorted_value", result.output_for_node("sorted_numbers"))
    mats = result.get_asset_materialization_events()
    check_sorted("materialized", [e.asset_key.to_user_string() for e in mats])
    check("run_status", result.dagster_run.status)


@case("materialize_subset")
def _():
    result = dg.materialize([numbers, sorted_numbers], selection=[numbers])
    check("success", result.success)
    check_sorted("materialized", [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()])
