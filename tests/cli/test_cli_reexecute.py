"""``headwater run reexecute`` re-runs failed steps and loads the rest."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

SWITCHED = """
    import os
    from pathlib import Path
    from headwater import Definitions, asset

    @asset
    def source() -> int:
        marker = Path(os.environ["HEADWATER_HOME"]) / "source_calls"
        marker.write_text(marker.read_text() + "x" if marker.exists() else "x")
        return 1

    @asset
    def fragile(source: int) -> int:
        if (Path(os.environ["HEADWATER_HOME"]) / "broken").exists():
            raise RuntimeError("still broken")
        return source + 1

    defs = Definitions(assets=[source, fragile])
"""


def test_reexecute_from_failure_reruns_only_the_failed_step(
    invoke: Callable[..., Result], write: Callable[[str, str], Path], home: Path
) -> None:
    path = str(write("switched.py", SWITCHED))
    home.mkdir(parents=True, exist_ok=True)
    (home / "broken").write_text("")
    assert invoke("materialize", "-f", path).exit_code == 1
    runs = json.loads(invoke("run", "list", "--json").output)
    failed_id = runs[0]["run_id"]

    (home / "broken").unlink()
    result = invoke("run", "reexecute", failed_id[:8], "-f", path, "--from-failure")
    assert result.exit_code == 0, result.output
    assert "succeeded" in result.output
    assert (home / "source_calls").read_text() == "x"  # source was not recomputed
    newest = json.loads(invoke("run", "list", "--json").output)[0]
    assert newest["status"] == "SUCCESS"

    again = invoke("run", "reexecute", newest["run_id"], "-f", path, "--from-failure")
    assert again.exit_code == 2
    assert "only a FAILURE or CANCELED run" in again.output
