"""Behaviour of the selection text grammar (AssetSelection.from_string)."""

from __future__ import annotations

import pytest

from headwater import AssetKey, AssetSelection, InvalidSelectionError
from headwater.asset_graph.graph import AssetGraph, AssetNode
from headwater.asset_graph.selection_grammar import _parser


def k(name: str) -> AssetKey:
    return AssetKey.from_user_string(name)


def ks(*names: str) -> frozenset[AssetKey]:
    return frozenset(k(n) for n in names)


def node(name: str, *parents: str, **fields: object) -> AssetNode:
    return AssetNode(key=k(name), parent_keys=tuple(k(p) for p in parents), **fields)  # type: ignore[arg-type]


# src (external) -> raw/orders -> stg/orders -> mart/revenue -> report
#                   raw/customers -^          -> mart/churn
#                   "odd key: v2" (no edges), android, 2024_sales, 2
GRAPH = AssetGraph(
    [
        node("src", group_name="raw", is_materializable=False),
        node("raw/orders", "src", group_name="raw", tags={"team": "data", "pii": ""}),
        node("raw/customers", group_name="raw", tags={"pii": "yes", "team": "data eng"}),
        node("stg/orders", "raw/orders", "raw/customers", group_name="staging",
             kinds=frozenset({"duckdb"})),
        node("mart/revenue", "stg/orders", group_name="marts", owners=("ana@x.com",)),
        node("mart/churn", "stg/orders", group_name="marts", owners=("team:growth",)),
        node("report", "mart/revenue", group_name="marts"),
        node("odd key: v2"),
        node("android"),
        node("2024_sales"),
        node("2"),
    ]
)  # fmt: skip
EVERYTHING = GRAPH.materializable_keys


def sel(text: str, include_sources: bool = False) -> frozenset[AssetKey]:
    return AssetSelection.from_string(text, include_sources=include_sources).resolve(GRAPH)


def error(text: str) -> str:
    with pytest.raises(InvalidSelectionError) as info:
        AssetSelection.from_string(text)
    return str(info.value)


# -- attributes ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["raw/orders", "key:raw/orders", 'key:"raw/orders"', " raw/orders "]
)
def test_key_forms_select_one_asset(text: str) -> None:
    assert sel(text) == ks("raw/orders")


def test_quoted_key_may_hold_spaces_colons_and_escaped_quotes() -> None:
    assert sel('key:"odd key: v2"') == ks("odd key: v2")
    parsed = AssetSelection.from_string(r'key:"say \"hi\""')
    assert parsed == AssetSelection.keys('say "hi"')


def test_keys_are_case_sensitive() -> None:
    with pytest.raises(InvalidSelectionError, match="did you mean 'report'"):
        sel("REPORT")


def test_star_alone_selects_every_materializable_asset() -> None:
    assert sel("*") == EVERYTHING
    assert sel("*", include_sources=True) == GRAPH.all_keys


def test_wildcards_match_any_text_in_the_key() -> None:
    assert sel("key:*orders") == ks("raw/orders", "stg/orders")
    assert sel("raw/*") == ks("raw/orders", "raw/customers")
    assert sel('key:"*:*"') == ks("odd key: v2")
    assert sel("key:nomatch_*") == frozenset()


def test_group_kind_and_key_prefix() -> None:
    assert sel("group:marts") == ks("mart/revenue", "mart/churn", "report")
    assert sel("kind:duckdb") == ks("stg/orders")
    assert sel("key_prefix:mart") == ks("mart/revenue", "mart/churn")


def test_tag_with_and_without_value() -> None:
    assert sel("tag:team=data") == ks("raw/orders")
    assert sel('tag:team="data eng"') == ks("raw/customers")
    assert sel("tag:pii") == ks("raw/orders", "raw/customers")
    assert sel('tag:pii=""') == ks("raw/orders")


def test_owner_accepts_emails_bare_and_team_names_quoted() -> None:
    assert sel("owner:ana@x.com") == ks("mart/revenue")
    assert sel('owner:"team:growth"') == ks("mart/churn")


def test_attribute_filters_include_external_assets_only_on_request() -> None:
    assert k("src") not in sel("group:raw")
    assert k("src") in sel("group:raw", include_sources=True)


def test_names_starting_with_digits_or_keywords_are_keys() -> None:
    assert sel("2024_sales") == ks("2024_sales")
    assert sel("2") == ks("2")
    assert sel("android or 2") == ks("android", "2")


# -- traversals ------------------------------------------------------------------------------------
def test_plus_before_selects_all_upstream() -> None:
    assert sel("+report") == ks(
        "report", "mart/revenue", "stg/orders", "raw/orders", "raw/customers"
    )


def test_two_levels_upstream_stops_at_depth() -> None:
    assert sel("2+key:report") == ks("report", "mart/revenue", "stg/orders")


def test_plus_after_selects_all_downstream_and_plus_n_limits_it() -> None:
    assert sel("raw/orders+") == ks(
        "raw/orders", "stg/orders", "mart/revenue", "mart/churn", "report"
    )
    assert sel("raw/orders+1") == ks("raw/orders", "stg/orders")


def test_plus_on_both_sides_is_the_union_of_both_directions() -> None:
    assert sel("1+stg/orders+1") == ks(
        "stg/orders", "raw/orders", "raw/customers", "mart/revenue", "mart/churn"
    )


def test_upstream_adds_external_assets_only_with_sources() -> None:
    assert k("src") not in sel("+raw/orders")
    assert sel("+raw/orders", include_sources=True) == ks("raw/orders", "src")


def test_traversal_applies_to_a_parenthesized_expression() -> None:
    assert sel("(mart/churn or report)+") == ks("mart/churn", "report")
    assert sel("1+(group:marts and not report)") == ks("mart/revenue", "mart/churn", "stg/orders")


def test_path_between_two_assets_is_downstream_and_upstream() -> None:
    assert sel("raw/customers+ and +mart/revenue") == ks(
        "raw/customers", "stg/orders", "mart/revenue"
    )


def test_key_followed_by_plus_can_be_quoted() -> None:
    assert sel('key:"2"+') == ks("2")


# -- functions and boolean operators ---------------------------------------------------------------
def test_roots_and_sinks_functions() -> None:
    assert sel("roots(group:marts or group:staging)") == ks("stg/orders")
    assert sel("sinks(+mart/revenue)") == ks("mart/revenue")


def test_not_binds_tighter_than_and_which_binds_tighter_than_or() -> None:
    assert sel("not group:marts and group:staging or report") == ks("stg/orders", "report")
    assert sel("not (group:marts or group:raw)") == EVERYTHING - sel("group:marts or group:raw")


def test_keywords_are_case_insensitive_and_do_not_swallow_names() -> None:
    assert sel("group:raw AND NOT tag:pii=yes Or android") == ks("raw/orders", "android")


def test_not_excludes_external_assets_unless_asked() -> None:
    assert k("src") not in sel("not report")
    assert k("src") in sel("not report", include_sources=True)


def test_whitespace_and_newlines_between_tokens_are_ignored() -> None:
    assert sel("group:raw\n  or\tkind:duckdb") == ks("raw/orders", "raw/customers", "stg/orders")


def test_unknown_key_is_reported_when_resolving() -> None:
    with pytest.raises(InvalidSelectionError, match="'raw/order' \\(did you mean 'raw/orders'"):
        sel("+raw/order")


# -- legacy comma lists ----------------------------------------------------------------------------
def test_comma_list_is_a_union_of_keys() -> None:
    assert sel("report, raw/orders") == ks("report", "raw/orders")


def test_comma_list_plus_is_one_hop_per_plus_and_star_is_unbounded() -> None:
    assert sel("+report,") == ks("report", "mart/revenue")
    assert sel("++report,") == ks("report", "mart/revenue", "stg/orders")
    assert sel("*report,raw/customers+") == sel("+report") | ks("raw/customers", "stg/orders")
    assert sel("stg/orders*,") == ks("stg/orders", "mart/revenue", "mart/churn", "report")


def test_comma_list_rejects_grammar_items() -> None:
    assert "comma-separated" in error("group:raw and x,report")
    assert "the list names no asset" in error(" , ,")


def test_comma_inside_quotes_is_not_a_list() -> None:
    assert "not in the asset graph: 'a,b'" in _resolve_error('key:"a,b"')


def _resolve_error(text: str) -> str:
    with pytest.raises(InvalidSelectionError) as info:
        sel(text)
    return str(info.value)


# -- errors ----------------------------------------------------------------------------------------
def test_error_for_a_dangling_operator_gives_column_and_what_was_expected() -> None:
    message = error("group:raw and")
    assert "ends too early at column 14" in message
    assert "expected an asset key or a filter such as group:raw" in message
    assert "'not'" in message and "'('" in message
    assert message.endswith("\n  group:raw and\n" + " " * (2 + 13) + "^")


def test_error_for_an_unexpected_token_points_at_it() -> None:
    message = error("a - b")
    assert "unexpected '-'" in message and "column 3" in message
    assert "write 'x and not y'" in message
    assert "'and'" in message and "'or'" in message and "the end of the selection" in message


def test_error_for_a_symbol_operator_suggests_the_word() -> None:
    assert "write 'or' for a union" in error("a | b")
    assert "write 'and' for an intersection" in error("a & b")


def test_error_for_two_names_without_an_operator() -> None:
    assert "unexpected 'b' at column 4" in error("a +b")


def test_error_for_unclosed_parenthesis() -> None:
    message = error("(a or b")
    assert "ends too early" in message and "expected ')'" in message


def test_unknown_attribute_and_function_suggest_the_closest_name() -> None:
    assert "unknown attribute 'grop'; did you mean 'group'?" in error("grop:raw")
    assert "known: key, key_prefix, group, tag, kind, owner" in error("colour:red")
    assert "unknown function 'root'; did you mean 'roots'?" in error("root(a)")


def test_equals_is_only_allowed_after_tag() -> None:
    assert "'=' is only allowed after tag:" in error("group:a=b")


def test_empty_selection_and_empty_value_are_errors() -> None:
    assert "The asset selection is empty" in error("   ")
    assert "an empty value selects nothing" in error('key:""')


def test_error_on_a_later_line_shows_that_line() -> None:
    message = error("group:raw\nor (report")
    assert message.endswith("\n  or (report\n" + " " * (2 + 10) + "^")


def test_parser_is_built_once() -> None:
    assert _parser() is _parser()
