"""``headwater materialize`` reports asset check results after the asset table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

CHECKED = """
    import headwater as hw

    @hw.asset
    def a() -> int:
        return 1

    @hw.asset_check(asset=a)
    def a_positive(a: int) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(passed=a > 0)

    @hw.asset_check(asset=a)
    def a_big(a: int) -> hw.AssetCheckResult:
        return hw.AssetCheckResult(
            passed=a > 10, severity=hw.AssetCheckSeverity.WARN, description="a is only 1"
        )

    defs = hw.Definitions(assets=[a], asset_checks=[a_positive, a_big])
"""


def test_check_results_are_summarized(
    invoke: Callable[..., Result], write: Callable[[str, str], Path]
) -> None:
    result = invoke("materialize", "-f", str(write("checked.py", CHECKED)))
    assert result.exit_code == 0, result.output
    assert "Asset checks: 1 passed, 1 failed" in result.output
    assert "a:a_big (WARN): a is only 1" in result.output
    assert "[3/3]" in result.output  # the check steps are counted
