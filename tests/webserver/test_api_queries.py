"""Queries against a real webserver process, its code server and a real SQLite instance."""

from __future__ import annotations

from server_helpers import Server

ASSETS = """
{ assets { totalCount nodes {
    key { path userString } groupName kinds owners tags { key value } codeVersion description
    dependencyKeys { path } dependedByKeys { path } isPartitioned
    partitionStatus { counts { total missing materialized } ranges { start end status count } }
    checks { name blocking latestEvaluation { passed } }
    staleStatus { status causes { category reason } }
} } }
"""


def test_assets_carry_their_definition_and_dependencies_both_ways(server: Server) -> None:
    data = server.data(ASSETS)["assets"]
    by_key = {a["key"]["userString"]: a for a in data["nodes"]}
    assert data["totalCount"] == 3 and list(by_key) == ["orders", "report", "daily"]
    orders = by_key["orders"]
    assert orders["groupName"] == "raw" and orders["kinds"] == ["python"]
    assert orders["owners"] == ["team:data"] and orders["tags"] == [
        {"key": "tier", "value": "gold"}
    ]
    assert orders["codeVersion"] == "1" and orders["description"] == "Orders from the shop."
    assert orders["dependedByKeys"] == [{"path": ["report"]}]
    assert by_key["report"]["dependencyKeys"] == [{"path": ["orders"]}]
    assert orders["checks"] == [
        {"name": "orders_positive", "blocking": False, "latestEvaluation": None}
    ]


def test_partition_status_is_a_few_ranges_not_one_item_per_partition(server: Server) -> None:
    daily = server.data(
        '{ asset(key: {path: ["daily"]}) { isPartitioned partitionStatus {'
        " counts { total missing } ranges { start end status count } } } }"
    )
    status = daily["asset"]["partitionStatus"]
    assert daily["asset"]["isPartitioned"] is True
    assert status["counts"] == {"total": 91, "missing": 91}
    assert status["ranges"] == [
        {"start": "2024-01-01", "end": "2024-03-31", "status": "MISSING", "count": 91}
    ]


def test_code_locations_jobs_and_daemon_health(server: Server) -> None:
    data = server.data(
        "{ codeLocations { name status error { message } assetCount jobs { name } }"
        " jobs { name kind assetKeys { path } } daemonHealth { running }"
        " server { readOnly } }"
    )
    assert data["codeLocations"] == [
        {
            "name": "defs",
            "status": "LOADED",
            "error": None,
            "assetCount": 3,
            "jobs": [{"name": "nightly"}],
        }
    ]
    nightly = next(j for j in data["jobs"] if j["name"] == "nightly")
    assert nightly["kind"] == "assets"
    assert nightly["assetKeys"] == [{"path": ["orders"]}, {"path": ["report"]}]
    assert data["daemonHealth"] == {"running": False} and data["server"] == {"readOnly": False}


def test_an_unknown_asset_is_null_and_a_bad_cursor_is_an_error(server: Server) -> None:
    assert server.data('{ asset(key: {path: ["nope"]}) { groupName } }') == {"asset": None}
    answer = server.query('{ runs(after: "garbage") { totalCount } }')
    assert "Not a run cursor" in answer["errors"][0]["message"]


def test_a_query_deeper_than_the_limit_is_refused(server: Server) -> None:
    deep = "{ assets { nodes { " + "downstream { " * 12 + "groupName" + " }" * 12 + " } } }"
    answer = server.query(deep)
    assert answer["data"] is None
    assert "exceeds maximum operation depth" in answer["errors"][0]["message"]


def test_graphiql_is_served_on_get(server: Server) -> None:
    import urllib.request

    request = urllib.request.Request(f"{server.url}/graphql", headers={"Accept": "text/html"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert "graphiql" in response.read().decode().lower()


def test_the_ui_page_says_how_to_build_it_when_it_is_not_built(server: Server) -> None:
    import urllib.request

    with urllib.request.urlopen(f"{server.url}/runs/abc", timeout=10) as response:
        text = response.read().decode()
    from headwater.webserver.static import STATIC_DIR

    if (STATIC_DIR / "index.html").exists():
        assert "<div" in text or "<script" in text  # the SPA's index.html
    else:
        assert "UI is not built" in text


def test_a_job_s_plan_lists_its_steps_parents_first(server: Server) -> None:
    jobs = server.data("{ jobs { name steps { key assetKeys { path } upstreamStepKeys } } }")
    nightly = next(j for j in jobs["jobs"] if j["name"] == "nightly")
    assert nightly["steps"] == [
        {"key": "orders", "assetKeys": [{"path": ["orders"]}], "upstreamStepKeys": []},
        {"key": "report", "assetKeys": [{"path": ["report"]}], "upstreamStepKeys": ["orders"]},
    ]
