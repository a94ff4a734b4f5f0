"""Behaviour of the AssetSelection Python API, resolved over small hand-built graphs."""

from __future__ import annotations

import pickle
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headwater import AssetKey, AssetSelection, InvalidSelectionError
from headwater.asset_graph.graph import AssetGraph, AssetNode


def k(name: str) -> AssetKey:
    return AssetKey.from_user_string(name)


def ks(*names: str) -> frozenset[AssetKey]:
    return frozenset(k(n) for n in names)


def node(name: str, *parents: str, **fields: object) -> AssetNode:
    return AssetNode(key=k(name), parent_keys=tuple(k(p) for p in parents), **fields)  # type: ignore[arg-type]


# ext/src (external) -> raw/orders -> stg/orders -> mart/revenue -> report
#                      raw/customers -^          -> mart/churn
GRAPH = AssetGraph(
    [
        node("ext/src", group_name="raw", is_materializable=False, tags={"team": "data"}),
        node("raw/orders", "ext/src", group_name="raw", tags={"team": "data", "pii": ""}),
        node("raw/customers", group_name="raw", tags={"pii": "yes"}, kinds=frozenset({"python"})),
        node("stg/orders", "raw/orders", "raw/customers", group_name="staging",
             kinds=frozenset({"duckdb"})),
        node("mart/revenue", "stg/orders", group_name="marts", kinds=frozenset({"duckdb"}),
             tags={"team": "finance"}, owners=("ana@x.com",)),
        node("mart/churn", "stg/orders", group_name="marts", owners=("team:growth",)),
        node("report", "mart/revenue", group_name="marts", kinds=frozenset({"python"})),
    ]
)  # fmt: skip
MATERIALIZABLE = GRAPH.materializable_keys


def resolve(selection: AssetSelection) -> frozenset[AssetKey]:
    return selection.resolve(GRAPH)


@dataclass(frozen=True)
class FakeAssetsDefinition:
    keys: frozenset[AssetKey]


# -- leaves ----------------------------------------------------------------------------------------
def test_all_selects_materializable_assets_only() -> None:
    assert resolve(AssetSelection.all()) == MATERIALIZABLE
    assert k("ext/src") not in MATERIALIZABLE


def test_all_with_sources_includes_external_assets() -> None:
    assert resolve(AssetSelection.all(include_sources=True)) == GRAPH.all_keys


def test_keys_accepts_asset_keys_slash_strings_and_paths() -> None:
    selection = AssetSelection.keys(k("report"), "raw/orders", ["mart", "churn"])
    assert resolve(selection) == ks("report", "raw/orders", "mart/churn")


def test_keys_can_name_an_external_asset() -> None:
    assert resolve(AssetSelection.keys("ext/src")) == ks("ext/src")


def test_assets_accepts_objects_with_keys_such_as_assets_definitions() -> None:
    multi = FakeAssetsDefinition(keys=ks("mart/revenue", "mart/churn"))
    selection = AssetSelection.assets(multi, "report")
    assert resolve(selection) == ks("mart/revenue", "mart/churn", "report")


def test_assets_rejects_values_that_are_not_keys() -> None:
    with pytest.raises(InvalidSelectionError, match="Cannot select 42"):
        AssetSelection.assets(42)  # type: ignore[arg-type]
    with pytest.raises(InvalidSelectionError, match="must list AssetKey"):
        AssetSelection.assets(FakeAssetsDefinition(keys=frozenset({"a"})))  # type: ignore[arg-type]
    with pytest.raises(InvalidSelectionError, match="combine selections with"):
        AssetSelection.assets(AssetSelection.all())  # type: ignore[arg-type]


def test_unknown_key_error_names_the_key_and_suggests_a_close_one() -> None:
    with pytest.raises(InvalidSelectionError) as info:
        resolve(AssetSelection.keys("raw/order", "zzz"))
    message = str(info.value)
    assert "'raw/order' (did you mean 'raw/orders'?)" in message
    assert "'zzz'" in message and "did you mean 'zzz" not in message


def test_allow_missing_drops_unknown_keys() -> None:
    selection = AssetSelection.keys("report", "gone")
    assert selection.resolve(GRAPH, allow_missing=True) == ks("report")


def test_empty_key_is_rejected_where_it_is_passed() -> None:
    with pytest.raises(InvalidSelectionError, match="Invalid asset key"):
        AssetSelection.keys([])


def test_groups_select_materializable_members() -> None:
    assert resolve(AssetSelection.groups("raw")) == ks("raw/orders", "raw/customers")
    assert resolve(AssetSelection.groups("raw", "staging")) == ks(
        "raw/orders", "raw/customers", "stg/orders"
    )


def test_groups_with_sources_include_external_members() -> None:
    assert k("ext/src") in resolve(AssetSelection.groups("raw", include_sources=True))


def test_unknown_group_selects_nothing() -> None:
    assert resolve(AssetSelection.groups("nope")) == frozenset()


def test_key_prefixes_match_whole_components_and_the_key_itself() -> None:
    assert resolve(AssetSelection.key_prefixes("mart")) == ks("mart/revenue", "mart/churn")
    assert resolve(AssetSelection.key_prefixes(["mart", "churn"])) == ks("mart/churn")
    assert resolve(AssetSelection.key_prefixes("mar")) == frozenset()


def test_key_wildcard_matches_across_slashes() -> None:
    assert resolve(AssetSelection.key_wildcard("*orders")) == ks("raw/orders", "stg/orders")
    assert resolve(AssetSelection.key_wildcard("r*")) == ks("raw/orders", "raw/customers", "report")
    assert resolve(AssetSelection.key_wildcard("*")) == MATERIALIZABLE


def test_tag_with_value_matches_that_value_only() -> None:
    assert resolve(AssetSelection.tag("team", "data")) == ks("raw/orders")
    assert resolve(AssetSelection.tag("team", "data", include_sources=True)) == ks(
        "raw/orders", "ext/src"
    )


def test_tag_without_value_matches_any_value_and_empty_value_matches_exactly() -> None:
    assert resolve(AssetSelection.tag("pii")) == ks("raw/orders", "raw/customers")
    assert resolve(AssetSelection.tag("pii", "")) == ks("raw/orders")


def test_kind_and_owner_filters() -> None:
    assert resolve(AssetSelection.kind("duckdb")) == ks("stg/orders", "mart/revenue")
    assert resolve(AssetSelection.owner("ana@x.com")) == ks("mart/revenue")
    assert resolve(AssetSelection.owner("team:growth")) == ks("mart/churn")


# -- traversals ------------------------------------------------------------------------------------
def test_upstream_adds_materializable_ancestors_only() -> None:
    assert resolve(AssetSelection.keys("stg/orders").upstream()) == ks(
        "stg/orders", "raw/orders", "raw/customers"
    )


def test_upstream_with_sources_includes_external_ancestors() -> None:
    selection = AssetSelection.keys("stg/orders").upstream(include_sources=True)
    assert k("ext/src") in resolve(selection)


def test_two_levels_upstream_stops_at_depth() -> None:
    selection = AssetSelection.keys("report").upstream(depth=2)
    assert resolve(selection) == ks("report", "mart/revenue", "stg/orders")


def test_upstream_without_self_drops_the_starting_assets() -> None:
    selection = AssetSelection.keys("report", "mart/revenue").upstream(depth=1, include_self=False)
    assert resolve(selection) == ks("stg/orders")


def test_downstream_one_level_takes_direct_children() -> None:
    selection = AssetSelection.keys("stg/orders").downstream(depth=1)
    assert resolve(selection) == ks("stg/orders", "mart/revenue", "mart/churn")


def test_downstream_of_an_external_asset_passes_through_it() -> None:
    selection = AssetSelection.keys("ext/src").downstream(include_self=False)
    assert resolve(selection) == ks(
        "raw/orders", "stg/orders", "mart/revenue", "mart/churn", "report"
    )


def test_negative_or_non_integer_depth_is_rejected() -> None:
    with pytest.raises(InvalidSelectionError, match="non-negative int"):
        AssetSelection.all().upstream(depth=-1)
    with pytest.raises(InvalidSelectionError, match="non-negative int"):
        AssetSelection.all().downstream(depth=1.5)  # type: ignore[arg-type]


def test_roots_and_sinks_are_relative_to_the_selection() -> None:
    marts_and_staging = AssetSelection.groups("marts", "staging")
    assert resolve(marts_and_staging.roots()) == ks("stg/orders")
    assert resolve(marts_and_staging.sinks()) == ks("report", "mart/churn")


# -- set operations --------------------------------------------------------------------------------
def test_union_intersection_and_difference() -> None:
    raw, duck = AssetSelection.groups("raw"), AssetSelection.kind("duckdb")
    staging_up = AssetSelection.keys("stg/orders").upstream()
    assert resolve(raw | duck) == ks("raw/orders", "raw/customers", "stg/orders", "mart/revenue")
    assert resolve(staging_up & duck) == ks("stg/orders")
    assert resolve(staging_up - raw) == ks("stg/orders")


def test_operators_reject_other_types() -> None:
    with pytest.raises(TypeError):
        AssetSelection.all() | "report"  # type: ignore[operator]


def test_long_unions_stay_flat() -> None:
    selection = AssetSelection.keys("report")
    for _ in range(5000):
        selection = selection | AssetSelection.keys("report")
    assert resolve(selection) == ks("report")


# -- value semantics -------------------------------------------------------------------------------
def test_selections_are_immutable() -> None:
    selection = AssetSelection.groups("raw")
    with pytest.raises(AttributeError, match="immutable"):
        selection.include_sources = True  # type: ignore[attr-defined]


def test_equal_selections_compare_and_hash_equal() -> None:
    a = AssetSelection.groups("raw").upstream(depth=1) | AssetSelection.keys("x")
    b = AssetSelection.groups("raw").upstream(depth=1) | AssetSelection.keys("x")
    assert a == b and hash(a) == hash(b)
    assert AssetSelection.groups("raw") != AssetSelection.kind("raw")
    assert len({a, b, AssetSelection.all()}) == 2


def test_selections_survive_pickling() -> None:
    selection = (AssetSelection.tag("team", "data") - AssetSelection.keys("a")).sinks()
    assert pickle.loads(pickle.dumps(selection)) == selection


def test_str_is_the_grammar_form() -> None:
    selection = (
        AssetSelection.groups("raw").downstream(depth=1) - AssetSelection.keys("raw/tmp")
    ) | AssetSelection.tag("team", "data team").upstream()
    assert str(selection) == 'group:raw+1 and not key:raw/tmp or +tag:team="data team"'


def test_repr_is_python_that_rebuilds_the_selection() -> None:
    selection = (
        AssetSelection.groups("raw", include_sources=True) | AssetSelection.kind("dbt")
    ).roots()
    text = repr(selection)
    assert text == (
        "(AssetSelection.groups('raw', include_sources=True) | AssetSelection.kind('dbt')).roots()"
    )
    assert eval(text, {"AssetSelection": AssetSelection}) == selection


def test_from_coercible_accepts_strings_lists_and_selections() -> None:
    assert AssetSelection.from_coercible(AssetSelection.all()) == AssetSelection.all()
    assert resolve(AssetSelection.from_coercible("group:raw")) == ks("raw/orders", "raw/customers")
    assert resolve(AssetSelection.from_coercible(["report", "kind:duckdb"])) == ks(
        "report", "stg/orders", "mart/revenue"
    )
    assert resolve(AssetSelection.from_coercible([k("report")])) == ks("report")
    assert resolve(AssetSelection.from_coercible([])) == frozenset()


def test_resolve_takes_a_list_of_asset_definitions_and_adds_their_missing_parents() -> None:
    @dataclass
    class Defined:  # the part of an AssetsDefinition a graph is built from
        nodes: list[AssetNode]

        def to_asset_nodes(self) -> list[AssetNode]:
            return self.nodes

    defined = [Defined([node("b", "a")]), Defined([node("c", "b")])]

    assert AssetSelection.all().resolve(defined) == ks("b", "c")
    assert AssetSelection.keys("c").upstream().resolve(defined, allow_missing=True) == ks("b", "c")
    assert AssetSelection.all(include_sources=True).resolve(defined) == ks("a", "b", "c")
    with pytest.raises(TypeError, match="asset definitions"):
        AssetSelection.all().resolve(["b"])


def test_checks_for_assets_selects_no_asset_and_names_its_check_targets() -> None:
    checks = AssetSelection.checks_for_assets("report", k("stg/orders"))
    combined = checks | AssetSelection.keys("raw/orders")

    assert resolve(checks) == frozenset()
    assert checks.resolve_check_targets(GRAPH) == ks("report", "stg/orders")
    assert resolve(combined) == ks("raw/orders")
    assert combined.resolve_check_targets(GRAPH) == ks("report", "stg/orders")
    assert AssetSelection.keys("report").resolve_check_targets(GRAPH) == frozenset()
    assert str(checks) == "checks_for_assets(key:report or key:stg/orders)"
    assert eval(repr(checks), {"AssetSelection": AssetSelection}) == checks


# -- cost ------------------------------------------------------------------------------------------
def test_importing_selection_does_not_import_lark() -> None:
    code = "import sys, headwater.asset_graph.selection; print('lark' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_resolving_on_ten_thousand_assets_is_fast() -> None:
    # 100 chains of 100 assets in 10 groups; the budget is generous for a shared machine
    nodes = [
        node(f"g{c % 10}/c{c}/a{i}", *([f"g{c % 10}/c{c}/a{i - 1}"] if i else []),
             group_name=f"g{c % 10}", tags={"i": str(i)})
        for c in range(100) for i in range(100)
    ]  # fmt: skip
    graph = AssetGraph(nodes)
    selection = (
        AssetSelection.key_wildcard("g1/*/a5*").upstream(depth=3)
        | AssetSelection.groups("g2").downstream()
        | AssetSelection.tag("i", "7").sinks()
    ) - AssetSelection.key_prefixes("g1/c11")
    start = time.perf_counter()
    keys = selection.resolve(graph)
    elapsed = time.perf_counter() - start
    assert k("g1/c1/a50") in keys and k("g1/c11/a50") not in keys
    assert elapsed < 1.0


# -- properties over random graphs -----------------------------------------------------------------
NAMES = [f"n{i}" for i in range(8)]


@st.composite
def graphs(draw: st.DrawFn) -> AssetGraph:
    nodes = []
    for i in range(len(NAMES)):
        parents = [NAMES[j] for j in range(i) if draw(st.booleans())]
        nodes.append(
            node(
                NAMES[i],
                *parents,
                group_name=draw(st.sampled_from(["g1", "g2"])),
                tags=draw(st.sampled_from([{}, {"t": "x"}, {"t": "y"}])),
                is_materializable=draw(st.booleans()) or i > 0,
            )
        )
    return AssetGraph(nodes)


def _selections() -> st.SearchStrategy[AssetSelection]:
    leaves = st.one_of(
        st.lists(st.sampled_from(NAMES), max_size=3).map(lambda n: AssetSelection.keys(*n)),
        st.sampled_from(["g1", "g2"]).map(AssetSelection.groups),
        st.sampled_from(["x", "y"]).map(lambda v: AssetSelection.tag("t", v)),
        st.just(AssetSelection.tag("t")),
        st.just(AssetSelection.all()),
        st.sampled_from(["n*", "*1", "*n*2*"]).map(AssetSelection.key_wildcard),
    )

    def extend(children: st.SearchStrategy[AssetSelection]) -> st.SearchStrategy[AssetSelection]:
        depths = st.none() | st.integers(0, 3)
        return st.one_of(
            st.tuples(children, children).map(lambda p: p[0] | p[1]),
            st.tuples(children, children).map(lambda p: p[0] & p[1]),
            st.tuples(children, children).map(lambda p: p[0] - p[1]),
            st.tuples(children, depths, st.booleans()).map(lambda p: p[0].upstream(p[1], p[2])),
            st.tuples(children, depths, st.booleans()).map(lambda p: p[0].downstream(p[1], p[2])),
            children.map(AssetSelection.roots),
            children.map(AssetSelection.sinks),
        )

    return st.recursive(leaves, extend, max_leaves=6)


selections = _selections()


def graph_and_selections() -> st.SearchStrategy[tuple[AssetGraph, AssetSelection, AssetSelection]]:
    return st.tuples(graphs(), selections, selections)


@settings(deadline=None, max_examples=150)
@given(graph_and_selections())
def test_set_operators_match_set_algebra(
    case: tuple[AssetGraph, AssetSelection, AssetSelection],
) -> None:
    graph, a, b = case
    ra, rb = a.resolve(graph), b.resolve(graph)
    assert (a | b).resolve(graph) == ra | rb
    assert (a & b).resolve(graph) == ra & rb
    assert (a - b).resolve(graph) == ra - rb
    assert (a - a).resolve(graph) == frozenset()


@settings(deadline=None, max_examples=150)
@given(graph_and_selections(), st.integers(0, 3))
def test_traversals_grow_with_depth_and_contain_the_selection(
    case: tuple[AssetGraph, AssetSelection, AssetSelection], depth: int
) -> None:
    graph, a, _ = case
    selected = a.resolve(graph)
    for direction in (AssetSelection.upstream, AssetSelection.downstream):
        shallow = direction(a, depth).resolve(graph)
        assert selected <= shallow <= direction(a, depth + 1).resolve(graph)
        assert direction(a, depth + 1).resolve(graph) <= direction(a).resolve(graph)
        assert direction(a, depth, False).resolve(graph) == shallow - selected
    assert a.roots().resolve(graph) <= selected
    assert a.sinks().resolve(graph) <= selected


@settings(deadline=None, max_examples=150)
@given(graph_and_selections())
def test_text_and_repr_round_trip(case: tuple[AssetGraph, AssetSelection, AssetSelection]) -> None:
    graph, a, _ = case
    assert AssetSelection.from_string(str(a)).resolve(graph) == a.resolve(graph)
    assert eval(repr(a), {"AssetSelection": AssetSelection}) == a


def test_the_empty_selection_and_an_external_asset_renders_as_empty() -> None:
    selection = AssetSelection.keys() & AssetSelection.keys("ext/src")
    assert str(selection) == "not *"
    assert resolve(AssetSelection.from_string(str(selection))) == resolve(selection) == set()
    assert resolve(AssetSelection.from_string(str(selection.sinks()))) == set()
