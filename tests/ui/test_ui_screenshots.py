"""Every page drawn after some history exists; the screenshots of docs/ui.md.

The screenshots go to docs/images/ui-*.png when HEADWATER_UI_SCREENSHOTS=1 (then commit them),
else to the test's temporary directory: either way each page must reach data-ready."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from ui_server import UiServer, materialize, open_page

DOCS_IMAGES = Path(__file__).parents[2] / "docs" / "images"
PAGES = [
    ("overview", "", "overview"),
    ("lineage", "lineage", "lineage"),
    ("catalog", "catalog", "catalog"),
    ("asset", "asset/stg_flights", "asset"),
    ("asset-partitioned", "asset/flights_daily", "asset"),
    ("runs", "runs", "runs"),
    ("launchpad", "launchpad", "launchpad"),
    ("automation", "automation", "automation"),
    ("backfills", "backfills", "backfills"),
    ("locations", "locations", "locations"),
    ("daemon", "daemon", "daemon"),
]


@pytest.fixture(scope="module")
def with_history(server: UiServer) -> UiServer:
    everything = ["raw_airlines", "raw_airports", "raw_planes", "raw_weather", "raw_flights",
                  "stg_flights", "weather_hourly", "delays_by_carrier", "delays_by_weather",
                  "flights_report"]  # fmt: skip
    for _ in range(3):
        materialize(server, *everything)
    for day in ("2013-01-01", "2013-01-02", "2013-01-03", "2013-02-10", "2013-03-05"):
        materialize(server, "flights_daily", partition=day)
    return server


def target(tmp_path: Path) -> Path:
    if os.environ.get("HEADWATER_UI_SCREENSHOTS") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        return DOCS_IMAGES
    return tmp_path


@pytest.mark.parametrize(("name", "path", "page_name"), PAGES, ids=[p[0] for p in PAGES])
def test_every_page_is_drawn(
    page: Any, with_history: UiServer, tmp_path: Path, name: str, path: str, page_name: str
) -> None:
    open_page(page, f"{with_history.url}/{path}", page_name)
    page.wait_for_timeout(300)  # let the graph's fit and the plots settle for the picture
    page.screenshot(path=str(target(tmp_path) / f"ui-{name}.png"))


def test_run_page_is_drawn(page: Any, with_history: UiServer, tmp_path: Path) -> None:
    run_id = with_history.data(
        '{ runs(filter: {jobName: "__ASSET_JOB"}, first: 20) { nodes { runId } } }'
    )
    runs = run_id["runs"]["nodes"]
    open_page(page, f"{with_history.url}/runs/{runs[-1]['runId']}", "run")
    page.wait_for_timeout(300)
    page.screenshot(path=str(target(tmp_path) / "ui-run.png"))
