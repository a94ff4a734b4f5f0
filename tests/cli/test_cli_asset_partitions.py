"""``headwater asset partitions KEY`` summarizes partition status from the index."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

PARTITIONED = """
    from headwater import AssetExecutionContext, Definitions, asset
    from headwater.declarations.partitions import DailyPartitionsDefinition

    days = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11")

    @asset(partitions_def=days)
    def daily(context: AssetExecutionContext) -> int:
        if context.partition_key == "2024-01-03":
            raise ValueError("no data for the 3rd")
        return 1

    @asset
    def plain() -> int:
        return 1

    defs = Definitions(assets=[daily, plain])
"""


def test_partitions_summary_shows_counts_and_ranges(
    invoke: Callable[..., Result], write: Callable[[str, str], Path]
) -> None:
    path = str(write("parts.py", PARTITIONED))
    for day in ("2024-01-01", "2024-01-02", "2024-01-03"):
        invoke("materialize", "-f", path, "--select", "daily", "--partition", day)
    result = invoke("asset", "partitions", "daily", "-f", path)
    assert result.exit_code == 0, result.output
    assert "10 partitions" in result.output
    assert "materialized: 2" in result.output
    assert "failed: 1" in result.output
    assert "missing: 7" in result.output
    assert "2024-01-01 ... 2024-01-02  (2)" in result.output

    as_json = json.loads(invoke("asset", "partitions", "daily", "-f", path, "--json").output)
    assert [(r["start"], r["end"], r["status"]) for r in as_json["ranges"]] == [
        ("2024-01-01", "2024-01-02", "MATERIALIZED"),
        ("2024-01-03", "2024-01-03", "FAILED"),
        ("2024-01-04", "2024-01-10", "MISSING"),
    ]


def test_unpartitioned_asset_is_a_clear_error(
    invoke: Callable[..., Result], write: Callable[[str, str], Path]
) -> None:
    path = str(write("parts.py", PARTITIONED))
    result = invoke("asset", "partitions", "plain", "-f", path)
    assert result.exit_code == 2
    assert "is not partitioned" in result.output
