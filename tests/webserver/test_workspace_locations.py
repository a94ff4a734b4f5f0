"""A workspace of two locations, one of which fails to import: its error is shown, the other
location's assets are served and can be materialized."""

from __future__ import annotations

from pathlib import Path

from server_helpers import Server, free_port, wait_for_run

GOOD = """
from headwater import Definitions, asset


@asset(group_name="shop")
def sales() -> int:
    return 1


defs = Definitions(assets=[sales])
"""

BROKEN = """
from headwater import Definitions, asset

raise ImportError("the warehouse driver is not installed")
"""


def test_a_location_that_fails_to_load_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD)
    (tmp_path / "broken.py").write_text(BROKEN)
    (tmp_path / "workspace.yaml").write_text(
        "load_from:\n  - python_file: good.py\n  - python_file: broken.py\n"
    )
    port = free_port()
    with Server(["webserver", "-w", "workspace.yaml", "--port", str(port)], home=tmp_path / "home",
                cwd=tmp_path, port=port) as server:  # fmt: skip
        server.wait_ready()
        locations = {loc["name"]: loc for loc in server.data(
            "{ codeLocations { name status assetCount error { message traceback } } }"
        )["codeLocations"]}  # fmt: skip
        assert locations["good"]["status"] == "LOADED" and locations["good"]["error"] is None
        broken = locations["broken"]
        assert broken["status"] == "LOAD_ERROR" and broken["assetCount"] == 0
        assert "the warehouse driver is not installed" in broken["error"]["message"]
        assert "ImportError" in broken["error"]["traceback"]
        keys = server.data("{ assetKeys { userString } }")["assetKeys"]
        assert keys == [{"userString": "sales"}]
        run = server.data(
            'mutation { materialize(input: {assetKeys: [{path: ["sales"]}]}) '
            "{ run { runId locationName } errors { message } } }"
        )["materialize"]
        assert run["errors"] == [] and run["run"]["locationName"] == "good"
        assert wait_for_run(server, run["run"]["runId"])["status"] == "SUCCESS"
