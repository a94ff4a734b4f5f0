"""The asset page, the launchpad and read-only mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui_server import UiServer, materialize, open_page

DEFS = Path(__file__).with_name("flights_like.py")


def test_asset_page_plots_numeric_metadata_and_shows_checks(page: Any, server: UiServer) -> None:
    materialize(server, "stg_flights")
    materialize(server, "stg_flights")
    open_page(page, f"{server.url}/asset/stg_flights", "asset")
    assert page.locator('[data-plot="row_count"] canvas').count() == 1
    assert page.locator('[data-plot="null_carriers"]').count() == 1
    assert page.locator('[data-check="carriers_known"]').inner_text().count("passed") == 1
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"neighbourhood\"] [data-asset-key]').length === 6"
    )
    neighbours = page.eval_on_selector_all(
        '[data-testid="neighbourhood"] [data-asset-key]', "els => els.map(e => e.dataset.assetKey)"
    )
    assert set(neighbours) == {"stg_flights", "raw_flights", "raw_airlines", "flights_daily",
                               "delays_by_carrier", "delays_by_weather"}  # fmt: skip
    # double-clicking a neighbour opens its page
    page.dblclick('[data-testid="neighbourhood"] [data-asset-key="raw_flights"]')
    page.wait_for_selector('[data-page="asset"][data-asset-key="raw_flights"][data-ready="true"]')


def test_partitioned_asset_page_draws_its_partitions_as_ranges(page: Any, server: UiServer) -> None:
    materialize(server, "flights_daily", partition="2013-03-01")
    open_page(page, f"{server.url}/asset/flights_daily", "asset")
    text = page.inner_text('[data-testid="partitions"]')
    assert "1 of 365 materialized" in text
    # missing Jan 1 - Feb 28, materialized Mar 1, missing Mar 2 - Dec 31: three ranges
    assert page.get_attribute('[data-testid="partition-heatmap"]', "data-ranges") == "3"


def test_launchpad_shows_yaml_errors_inline_and_blocks_the_launch(
    page: Any, server: UiServer
) -> None:
    open_page(page, f"{server.url}/launchpad", "launchpad")
    page.click(".cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.type("ops: config: 1\n")
    page.wait_for_selector('[data-testid="config-problems"] .error', timeout=5_000)
    assert page.locator(".cm-lint-marker-error").count() >= 1
    assert page.is_disabled('[data-testid="launch"]')
    page.keyboard.press("Control+a")
    page.keyboard.type("{}\n")
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=\"config-problems\"] .error').length === 0"
    )
    assert not page.is_disabled('[data-testid="launch"]')


def test_launchpad_shows_the_servers_config_errors_inline(page: Any, server: UiServer) -> None:
    open_page(page, f"{server.url}/launchpad", "launchpad")
    page.click(".cm-content")
    page.keyboard.press("Control+a")
    page.keyboard.type("ops:\n  no_such_op:\n    config: {x: 1}\n")
    page.wait_for_timeout(400)
    page.click('[data-testid="launch"]')
    problem = page.wait_for_selector('[data-testid="config-problems"] .error', timeout=20_000)
    assert "no_such_op" in problem.inner_text()


def test_read_only_mode_hides_every_mutation_button(page: Any, read_only_server: UiServer) -> None:
    url = read_only_server.url
    open_page(page, f"{url}/lineage", "lineage")
    assert page.locator('[data-testid="read-only"]').is_visible()
    page.click('[data-asset-key="raw_airlines"]')
    assert page.locator('[data-testid="materialize-selected"]').count() == 0
    open_page(page, f"{url}/asset/raw_airlines", "asset")
    assert page.locator('[data-testid="materialize-asset"]').count() == 0
    open_page(page, f"{url}/launchpad", "launchpad")
    assert page.locator('[data-testid="launch"]').count() == 0
    run_id = read_only_server.data("{ runs { nodes { runId } } }")["runs"]["nodes"][0]["runId"]
    open_page(page, f"{url}/runs/{run_id}", "run")
    assert page.locator('[data-run-status="SUCCESS"]').count() == 1
    assert page.locator('[data-testid^="reexecute"], [data-testid="terminate"]').count() == 0
    open_page(page, f"{url}/automation", "automation")
    assert page.is_disabled('[data-testid="toggle-daily_marts"]')
    open_page(page, f"{url}/locations", "locations")
    assert page.locator("button", has_text="Reload").count() == 0
    assert page.locator("button").count() == 0


def test_the_ui_works_under_a_path_prefix(page: Any, built_ui: Any, tmp_path: Any) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with UiServer(DEFS, home=home, args=["--path-prefix", "/hw"], prefix="/hw") as server:
        open_page(page, f"{server.url}/hw/lineage", "lineage")
        assert page.locator(".react-flow__node [data-asset-key]").count() == 11
        page.click("nav >> text=Catalog")
        page.wait_for_url(f"{server.url}/hw/catalog")
        page.wait_for_selector('[data-page="catalog"][data-ready="true"]')
        open_page(page, f"{server.url}/hw/asset/raw_planes", "asset")


def test_toggling_a_schedule_starts_and_stops_it_in_the_instance(
    page: Any, server: UiServer
) -> None:
    query = "{ schedules { name status nextTicks(count: 2) } }"
    assert server.data(query)["schedules"][0]["status"] == "STOPPED"
    open_page(page, f"{server.url}/automation", "automation")
    assert "0 6 * * *" in page.inner_text('[data-schedule="daily_marts"]')
    page.click('[data-testid="toggle-daily_marts"]')
    page.wait_for_function(
        "document.querySelector('[data-testid=\"toggle-daily_marts\"]').checked === true"
    )
    # the state the daemon reads: the instigator state stored in the instance
    for _ in range(50):
        if server.data(query)["schedules"][0]["status"] == "RUNNING":
            break
        page.wait_for_timeout(100)
    assert server.data(query)["schedules"][0]["status"] == "RUNNING"
    page.click('[data-testid="toggle-daily_marts"]')
    page.wait_for_function(
        "document.querySelector('[data-testid=\"toggle-daily_marts\"]').checked === false"
    )
    assert server.data(query)["schedules"][0]["status"] == "STOPPED"


def test_an_asset_whose_check_failed_is_drawn_check_failing(page: Any, server: UiServer) -> None:
    materialize(server, "delays_by_carrier")  # its check delays_plausible fails
    open_page(page, f"{server.url}/lineage", "lineage")
    page.wait_for_selector('[data-asset-key="delays_by_carrier"][data-status="check_failing"]')
    open_page(page, f"{server.url}/catalog", "catalog")
    page.select_option('select[aria-label="status"]', "check_failing")
    page.wait_for_function("document.querySelectorAll('.vrow[data-asset-key]').length === 1")
