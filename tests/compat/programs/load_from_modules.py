"""load_assets_from_modules: assets and checks found in a module object, group_name and key_prefix applied."""

import sys
import types

import dagster as dg
from _transcript import case, check, check_sorted

module = types.ModuleType("compat_generated_assets")
exec(
    '''
import dagster as dg

@dg.asset
def m_one() -> int:
    return 1

@dg.asset
def m_two(m_one: int) -> int:
    return m_one + 1

NOT_AN_ASSET = 3
''',
    module.__dict__,
)
sys.modules[module.__name__] = module


@case("plain")
def _():
    assets = dg.load_assets_from_modules([module])
    check_sorted("keys", [k.to_user_string() for a in assets for k in a.keys])


@case("group_name")
def _():
    assets = dg.load_assets_from_modules([module], group_name="loaded")
    check("groups", sorted({g for a in assets for g in a.group_names_by_key.values()}))


@case("key_prefix")
def _():
    assets = dg.load_assets_from_modules([module], key_prefix="pre")
    check_sorted("keys", [k.to_user_string() for a in assets for k in a.keys])
    result = dg.materialize(assets)
    check("success", result.success)


@case("in_definitions")
def _():
    defs = dg.Definitions(assets=dg.load_assets_from_modules([module]))
    result = defs.get_implicit_global_asset_job_def().execute_in_process()
    check("value", result.output_for_node("m_two"))


@case("load_asset_checks")
def _():
    checks = dg.load_asset_checks_from_modules([module])
    check("count", len(list(checks)))
