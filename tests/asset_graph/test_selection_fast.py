"""The trivial selections parsed without lark agree with the grammar, and need no lark."""

from __future__ import annotations

import subprocess
import sys

import pytest

from headwater import AssetSelection
from headwater.asset_graph.selection_fast import parse_simple
from headwater.asset_graph.selection_grammar import parse_selection

SIMPLE = [
    "*",
    "orders",
    " raw/orders ",
    "raw/*",
    "*orders*",
    "key:raw/orders",
    "key : raw/orders",
    "key:*",
    "key_prefix:raw",
    "group:raw",
    "kind:duckdb",
    "owner:ana@x.com",
    "tag:pii",
    "2024_sales",
    "2",
    "android",
    "orders_not",
    "and_more",
    "a or b",
    "a OR group:raw Or kind:dbt",
    "a\nor\tb",
    "a-b.c@d",
]

NOT_SIMPLE = [
    "",
    "   ",
    "orders+",
    "+orders",
    "2+orders",
    "orders+1",
    "a and b",
    "not a",
    "(a)",
    "roots(group:raw)",
    'key:"odd key: v2"',
    "tag:team=data",
    "a b",
    "a or",
    "or a",
    "or",
    "and",
    "NOT",
    "a or or b",
    "a,b",
    "colour:blue",
    "group:",
    "key:/",
    "/",
    "a//b",
    "a | b",
    "a & b",
]


@pytest.mark.parametrize("text", SIMPLE)
@pytest.mark.parametrize("include_sources", [False, True])
def test_simple_selections_parse_as_the_grammar_parses_them(
    text: str, include_sources: bool
) -> None:
    fast = parse_simple(text, include_sources=include_sources)
    assert fast is not None
    assert fast == parse_selection(text, include_sources=include_sources)
    assert AssetSelection.from_string(text, include_sources=include_sources) == fast


@pytest.mark.parametrize("text", NOT_SIMPLE)
def test_everything_else_is_left_to_the_grammar(text: str) -> None:
    assert parse_simple(text) is None


def test_a_simple_selection_does_not_import_lark() -> None:
    code = (
        "import sys\n"
        "from headwater.asset_graph.selection import AssetSelection\n"
        "AssetSelection.from_string('*')\n"
        "AssetSelection.from_string('group:raw or raw/orders')\n"
        "assert 'lark' not in sys.modules, 'lark imported'\n"
        "AssetSelection.from_string('raw/orders+')\n"
        "assert 'lark' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_grammar_is_cached_in_the_user_cache_directory(tmp_path, monkeypatch) -> None:
    from headwater.asset_graph.selection_grammar import _cache_file

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code = "from headwater.asset_graph.selection_grammar import _parser\n_parser()\n"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    (cached,) = (tmp_path / "cache" / "headwater").iterdir()
    assert str(cached) == _cache_file()
    assert cached.stat().st_size > 0
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)  # loads it

    blocked = tmp_path / "not_a_directory"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert _cache_file() is False
