"""Behaviour of AssetGraph: lookups, traversals with depth, roots/sinks, toposort, cycles."""

from __future__ import annotations

import re

import pytest

from headwater import AssetKey, CycleError, DefinitionError
from headwater.asset_graph.graph import AssetGraph, AssetNode


def k(name: str) -> AssetKey:
    return AssetKey.from_user_string(name)


def ks(*names: str) -> set[AssetKey]:
    return {k(n) for n in names}


def build(parents: dict[str, list[str]], external: tuple[str, ...] = ()) -> AssetGraph:
    return AssetGraph(
        AssetNode(
            key=k(name),
            parent_keys=tuple(k(p) for p in ps),
            is_materializable=name not in external,
        )
        for name, ps in parents.items()
    )


# src -> a -> b -> c -> d, and a -> x
CHAIN = {"src": [], "a": ["src"], "b": ["a"], "c": ["b"], "d": ["c"], "x": ["a"]}


@pytest.fixture
def chain() -> AssetGraph:
    return build(CHAIN, external=("src",))


def test_parents_and_children_are_direct_neighbours(chain: AssetGraph) -> None:
    assert chain.parents(k("b")) == (k("a"),)
    assert set(chain.children(k("a"))) == ks("b", "x")
    assert chain.parents(k("src")) == ()
    assert chain.children(k("d")) == ()


def test_unknown_key_has_no_neighbours_and_get_raises(chain: AssetGraph) -> None:
    assert chain.parents(k("nope")) == ()
    assert chain.children(k("nope")) == ()
    assert not chain.has(k("nope"))
    with pytest.raises(KeyError):
        chain.get(k("nope"))


def test_materializable_keys_leave_out_external_assets(chain: AssetGraph) -> None:
    assert chain.all_keys == ks("src", "a", "b", "c", "d", "x")
    assert chain.materializable_keys == ks("a", "b", "c", "d", "x")
    assert chain.get(k("src")).is_materializable is False


def test_unbounded_upstream_reaches_every_ancestor(chain: AssetGraph) -> None:
    assert chain.upstream([k("d")]) == ks("d", "c", "b", "a", "src")


def test_two_levels_upstream_stops_at_depth(chain: AssetGraph) -> None:
    assert chain.upstream([k("d")], depth=2) == ks("d", "c", "b")


def test_depth_zero_is_the_starting_keys(chain: AssetGraph) -> None:
    assert chain.upstream([k("d")], depth=0) == ks("d")
    assert chain.downstream([k("a")], depth=0) == ks("a")


def test_one_level_downstream_takes_every_child(chain: AssetGraph) -> None:
    assert chain.downstream([k("a")], depth=1) == ks("a", "b", "x")


def test_unbounded_downstream_reaches_every_descendant(chain: AssetGraph) -> None:
    assert chain.downstream([k("b")]) == ks("b", "c", "d")


def test_depth_counts_the_shortest_path_in_a_diamond() -> None:
    # top -> left -> bottom, top -> right -> mid -> bottom: bottom is 2 hops away, not 3
    graph = build(
        {"top": [], "left": ["top"], "right": ["top"], "mid": ["right"], "bottom": ["left", "mid"]}
    )
    assert graph.downstream([k("top")], depth=2) == ks("top", "left", "right", "mid", "bottom")
    assert graph.upstream([k("bottom")], depth=1) == ks("bottom", "left", "mid")


def test_roots_and_sinks_are_relative_to_the_subset(chain: AssetGraph) -> None:
    subset = ks("b", "c", "d", "x")
    assert chain.roots(subset) == ks("b", "x")
    assert chain.sinks(subset) == ks("d", "x")
    assert chain.roots(ks("c")) == chain.sinks(ks("c")) == ks("c")


def test_toposort_puts_parents_before_children(chain: AssetGraph) -> None:
    order = list(chain.toposorted_keys)
    for key in order:
        for parent in chain.parents(key):
            assert order.index(parent) < order.index(key)


def test_toposort_breaks_ties_by_key_whatever_the_insertion_order() -> None:
    parents = {"z": [], "m": [], "a": [], "b": ["z"], "c": ["a"]}
    forward = build(parents)
    backward = build(dict(reversed(list(parents.items()))))
    assert list(forward.toposorted_keys) == list(backward.toposorted_keys)
    assert [key.to_user_string() for key in forward.toposorted_keys][:3] == ["a", "m", "z"]


def test_toposort_of_a_subset_keeps_the_global_order(chain: AssetGraph) -> None:
    assert chain.toposort(ks("d", "a", "c")) == [k("a"), k("c"), k("d")]


def test_parent_without_a_node_is_ignored_by_toposort() -> None:
    graph = build({"a": ["missing"]})
    assert list(graph.toposorted_keys) == [k("a")]


def test_cycle_error_names_the_keys_of_the_cycle() -> None:
    with pytest.raises(CycleError) as info:
        build({"a": ["c"], "b": ["a"], "c": ["b"]})
    message = str(info.value)
    assert "a <- c <- b <- a" in message
    assert "acyclic" in message
    assert isinstance(info.value, DefinitionError)


def test_cycle_error_leaves_out_assets_downstream_of_the_cycle() -> None:
    # "after" depends on the b <-> c cycle but is not part of it
    with pytest.raises(CycleError) as info:
        build({"after": ["b"], "b": ["c"], "c": ["b"], "ok": []})
    match = re.search(r"cycle: (.*?)\. ", str(info.value))
    assert match is not None
    assert match.group(1) == "b <- c <- b"


def test_self_dependency_is_a_cycle() -> None:
    with pytest.raises(CycleError, match="a <- a"):
        build({"a": ["a"]})
