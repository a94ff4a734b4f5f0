"""The lineage page and the catalog draw the project; a selection materialized from the graph
starts a run whose live event log shows up on the run page."""

from __future__ import annotations

import re
from typing import Any

from ui_server import UiServer, open_page

ASSETS = {
    "raw_airlines",
    "raw_airports",
    "raw_planes",
    "raw_weather",
    "raw_flights",
    "stg_flights",
    "weather_hourly",
    "flights_daily",
    "delays_by_carrier",
    "delays_by_weather",
    "flights_report",
}


def drawn_keys(page: Any) -> set[str]:
    return set(
        page.eval_on_selector_all(
            ".react-flow__node [data-asset-key]", "els => els.map(e => e.dataset.assetKey)"
        )
    )


def test_lineage_draws_every_asset_of_the_project_in_its_group(page: Any, server: UiServer) -> None:
    open_page(page, f"{server.url}/lineage", "lineage")
    assert drawn_keys(page) == ASSETS
    groups = set(page.eval_on_selector_all(".group-box", "els => els.map(e => e.dataset.group)"))
    assert groups == {"raw", "staging", "facts", "marts", "reports"}
    # 12 dependencies, each one edge
    assert page.locator(".react-flow__edge").count() == 12


def test_collapsing_a_group_draws_it_as_one_node_with_its_edges_merged(
    page: Any, server: UiServer
) -> None:
    open_page(page, f"{server.url}/lineage", "lineage")
    page.click('.group-box[data-group="raw"] .group-box-header')
    page.wait_for_selector('.group-node[data-group="raw"]')
    page.wait_for_selector('[data-page="lineage"][data-ready="true"]')
    assert not drawn_keys(page) & {k for k in ASSETS if k.startswith("raw_")}
    assert page.locator('.group-node[data-group="raw"]').inner_text().startswith("raw\n5 assets")
    page.click('.group-node[data-group="raw"]')
    page.wait_for_selector('[data-asset-key="raw_planes"]')


def test_search_highlights_the_matching_assets(page: Any, server: UiServer) -> None:
    open_page(page, f"{server.url}/lineage", "lineage")
    page.fill('input[aria-label="Search assets"]', "delays")
    page.wait_for_selector(".asset-node.matched")
    matched = page.eval_on_selector_all(
        ".asset-node.matched", "els => els.map(e => e.dataset.assetKey)"
    )
    assert set(matched) == {"delays_by_carrier", "delays_by_weather"}


def test_upstream_focus_shows_only_what_an_asset_depends_on(page: Any, server: UiServer) -> None:
    open_page(page, f"{server.url}/lineage", "lineage")
    page.click('[data-asset-key="delays_by_carrier"]')
    page.click("text=Upstream")
    page.wait_for_function(
        "document.querySelectorAll('.react-flow__node [data-asset-key]').length === 5"
    )
    assert drawn_keys(page) == {
        "delays_by_carrier",
        "stg_flights",
        "raw_flights",
        "raw_airlines",
        "raw_planes",
    }
    page.click("text=Show whole graph")
    page.wait_for_function(
        "document.querySelectorAll('.react-flow__node [data-asset-key]').length === 11"
    )


def test_catalog_lists_and_filters_every_asset(page: Any, server: UiServer) -> None:
    open_page(page, f"{server.url}/catalog", "catalog")
    rows = page.eval_on_selector_all(
        ".vrow[data-asset-key]", "els => els.map(e => e.dataset.assetKey)"
    )
    assert set(rows) == ASSETS
    page.select_option('select[aria-label="groups"]', "marts")
    page.wait_for_function("document.querySelectorAll('.vrow[data-asset-key]').length === 2")
    page.fill('input[aria-label="Filter by key"]', "weather")
    page.wait_for_function("document.querySelectorAll('.vrow[data-asset-key]').length === 1")
    assert page.get_attribute(".vrow[data-asset-key]", "data-asset-key") == "delays_by_weather"


def test_materializing_a_selection_from_the_graph_starts_a_run_with_a_live_log(
    page: Any, server: UiServer
) -> None:
    open_page(page, f"{server.url}/lineage", "lineage")
    page.click('[data-asset-key="raw_flights"]')
    page.click('[data-asset-key="raw_airlines"]', modifiers=["Shift"])
    page.click('[data-asset-key="stg_flights"]', modifiers=["Shift"])
    assert "3 selected" in page.inner_text(".toolbar")
    page.click('[data-testid="materialize-selected"]')
    page.click('[data-testid="launched-run"]', timeout=20_000)
    page.wait_for_selector('[data-page="run"][data-ready="true"]', timeout=20_000)
    run_id = page.get_attribute('[data-page="run"]', "data-run-id")
    assert run_id and re.fullmatch(r"[0-9a-f-]{8,}", run_id)
    # The log fills in while the run goes on, up to its end, without reloading the page.
    page.wait_for_selector(
        '[data-testid="event-log"] [data-event-type="RUN_SUCCESS"]', timeout=60_000
    )
    materialized = page.eval_on_selector_all(
        '[data-testid="event-log"] [data-event-type="ASSET_MATERIALIZATION"]', "els => els.length"
    )
    assert materialized == 3
    page.wait_for_selector('[data-run-status="SUCCESS"]', timeout=20_000)
    timeline = page.eval_on_selector_all(
        "[data-step]",
        "els => Object.fromEntries(els.map(e => [e.dataset.step, e.dataset.stepStatus]))",
    )
    # the three assets' steps, and the step of stg_flights' check
    assert {"raw_flights", "raw_airlines", "stg_flights"} < timeline.keys()
    assert set(timeline.values()) == {"success"}
    run = server.data(
        "query($id: ID!) { run(runId: $id) { status assetSelection { path } } }", {"id": run_id}
    )["run"]
    assert run["status"] == "SUCCESS"
    assert {"/".join(k["path"]) for k in run["assetSelection"]} == {
        "raw_flights",
        "raw_airlines",
        "stg_flights",
    }
    # Back on the graph, the three assets are drawn as materialized.
    open_page(page, f"{server.url}/lineage", "lineage")
    page.wait_for_selector('[data-asset-key="stg_flights"][data-status="materialized"]')
    assert page.get_attribute('[data-asset-key="raw_planes"]', "data-status") == "missing"
