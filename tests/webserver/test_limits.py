"""The cost limit refuses fan-out (lists of lists of assets) and lets through what the UI asks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from graphql import parse, specified_rules, validate

from headwater.webserver.graphql.complexity import MAX_COST, CostLimitRule
from headwater.webserver.graphql.schema import build_schema

SCHEMA = build_schema(read_only=False)._schema
UI_DOCUMENTS = Path(__file__).parents[2] / "ui" / "src" / "gql" / "gql.ts"


def _errors(document: str) -> list[str]:
    return [e.message for e in validate(SCHEMA, parse(document), [*specified_rules,
                                                                  CostLimitRule])]  # fmt: skip


def test_downstream_of_downstream_of_every_asset_is_refused() -> None:
    fan_out = ("{ assets { nodes { downstream { downstream { downstream { key { path } } } } } "
               "} }")  # fmt: skip
    (message,) = _errors(fan_out)
    assert f"more than the limit of {MAX_COST:,}" in message and "upstream/downstream" in message


def test_fragments_count_where_they_are_spread() -> None:
    spread = ("fragment F on Asset { downstream { downstream { downstream { key { path } } } } }"
              " { assets { nodes { ...F } } }")  # fmt: skip
    assert len(_errors(spread)) == 1
    assert _errors("{ assets(first: 10) { nodes { downstream { downstream { key { path } } } } } }"
                   ) == []  # fmt: skip


def test_a_lineage_query_of_every_asset_passes() -> None:
    lineage = """{ assets { totalCount nodes { key { path } groupName kinds owners
        tags { key value } dependencyKeys { path } dependedByKeys { path } isPartitioned
        latestMaterialization { runId timestamp } staleStatus { status causes { reason } }
        checks { name latestEvaluation { passed } } } } }"""
    assert _errors(lineage) == []


def _ui_documents() -> list[str]:
    if not UI_DOCUMENTS.exists():
        return []
    text = UI_DOCUMENTS.read_text(encoding="utf-8")
    block = text.split("type Documents = {", 1)[1].split("};", 1)[0]
    return [json.loads(m) for m in re.findall(r'^\s*("(?:[^"\\]|\\.)*"):', block, re.M)]


@pytest.mark.skipif(not _ui_documents(), reason="the UI's generated documents are not here")
def test_every_operation_of_the_ui_is_valid_and_within_the_limits() -> None:
    documents = _ui_documents()
    assert documents
    assert {d.strip().split("(")[0].split("{")[0]: _errors(d) for d in documents} == {
        d.strip().split("(")[0].split("{")[0]: [] for d in documents
    }
