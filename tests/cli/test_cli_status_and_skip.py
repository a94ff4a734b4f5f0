"""``headwater asset status`` and ``headwater materialize --skip-unchanged``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

VERSIONED = """
    from headwater import Definitions, asset

    @asset(code_version="{root}")
    def root() -> int:
        return 1

    @asset(code_version="1")
    def child(root: int) -> int:
        return root + 1

    defs = Definitions(assets=[root, child])
"""


def test_status_and_skip_unchanged(
    invoke: Callable[..., Result], write: Callable[[str, str], Path]
) -> None:
    path = str(write("versioned.py", VERSIONED.replace("{root}", "1")))
    missing = json.loads(invoke("asset", "status", "-f", path, "--json").output)
    assert {r["status"] for r in missing} == {"MISSING"}

    assert invoke("materialize", "-f", path).exit_code == 0
    skipped = invoke("materialize", "-f", path, "--skip-unchanged")
    assert skipped.exit_code == 0, skipped.output
    assert "step root skipped: unchanged" in skipped.output
    assert "Skipped because an upstream step failed" not in skipped.output

    write("versioned.py", VERSIONED.replace("{root}", "2"))
    stale = invoke("asset", "status", "-f", path)
    assert "STALE" in stale.output
    assert "code version changed from '1' to '2'" in stale.output
    assert "upstream 'root' is stale" in stale.output
