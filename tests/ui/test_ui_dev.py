"""Under ``headwater dev``, editing the definitions file redraws the lineage without a page
reload, and a file that stops importing shows its error while the last good graph stays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui_server import UiServer, open_page

DEFS = """
from headwater import Definitions, asset


@asset(group_name="raw")
def orders() -> int:
    return 1


@asset(group_name="mart")
def report(orders: int) -> int:
    return orders + 1


defs = Definitions(assets=[orders, report])
"""

ADDED = DEFS.replace(
    "defs = Definitions(assets=[orders, report])",
    '@asset(group_name="mart")\ndef summary(report: int) -> int:\n    return report\n\n\n'
    "defs = Definitions(assets=[orders, report, summary])",
)


def test_editing_the_definitions_redraws_the_lineage_without_a_page_reload(
    page: Any, built_ui: Path, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "defs.py").write_text(DEFS)
    home = tmp_path / "home"
    home.mkdir()
    with UiServer(project / "defs.py", home=home, command="dev") as server:
        open_page(page, f"{server.url}/lineage", "lineage")
        page.evaluate("window.__notReloaded = true")
        assert page.locator(".react-flow__node [data-asset-key]").count() == 2
        (project / "defs.py").write_text(ADDED)
        page.wait_for_selector('.react-flow__node [data-asset-key="summary"]', timeout=30_000)
        (project / "defs.py").write_text(ADDED + "\nthis is not python\n")
        page.wait_for_selector('[data-testid="location-error"]', timeout=30_000)
        assert page.locator(".react-flow__node [data-asset-key]").count() == 3
        assert page.evaluate("window.__notReloaded") is True
