"""The column-wise assetGraph query (what the UI's lineage and catalog draw) against a real
webserver process and SQLite instance."""

from __future__ import annotations

from server_helpers import Server, wait_for_run

GRAPH = "{ assetGraph { definitions state } }"


def test_asset_graph_lists_every_asset_in_columns_with_dependencies_as_indices(
    server: Server,
) -> None:
    defs = server.data("{ assetGraph { definitions } }")["assetGraph"]["definitions"]
    assert defs["keys"] == ["orders", "report", "daily"]
    groups = [defs["groups"][i] for i in defs["groupIndex"]]
    assert groups == ["raw", "mart", "default"]
    assert defs["deps"] == [[], [0], []]
    assert defs["kinds"][0] == ["python"] and defs["owners"][0] == ["team:data"]
    assert defs["tags"][0] == ["tier=gold"]
    assert defs["isPartitioned"] == [False, False, True]
    assert [defs["locations"][i] for i in defs["locationIndex"]] == ["defs"] * 3


def test_asset_graph_state_follows_materializations_and_failing_checks(server: Server) -> None:
    before = server.data("{ assetGraph { state } }")["assetGraph"]["state"]
    assert before == {"statuses": ["MISSING"] * 3, "lastMaterializedAt": [None] * 3}
    launched = server.data(
        'mutation { materialize(input: {assetKeys: [{path: ["orders"]}, {path: ["report"]}]})'
        " { run { runId } errors { message } } }"
    )["materialize"]
    assert launched["errors"] == [], launched
    assert wait_for_run(server, launched["run"]["runId"])["status"] == "SUCCESS"
    after = server.data(GRAPH)["assetGraph"]["state"]
    assert after["statuses"] == ["MATERIALIZED", "MATERIALIZED", "MISSING"]
    assert all(isinstance(t, float) for t in after["lastMaterializedAt"][:2])
