"""``headwater run logs`` prints log messages and captured output of a run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

CHATTY = """
    from headwater import AssetExecutionContext, Definitions, asset

    @asset
    def chatty(context: AssetExecutionContext) -> int:
        context.log.info("structured hello")
        print("printed hello")
        return 1

    @asset
    def other(chatty: int) -> int:
        print("other output")
        return chatty

    defs = Definitions(assets=[chatty, other])
"""


def test_run_logs_shows_messages_and_captured_output(
    invoke: Callable[..., Result], write: Callable[[str, str], Path]
) -> None:
    path = str(write("chatty.py", CHATTY))
    assert invoke("materialize", "-f", path).exit_code == 0
    run_id = invoke("run", "list", "--json").output.split('"run_id": "')[1].split('"')[0]

    result = invoke("run", "logs", run_id[:8])
    assert result.exit_code == 0, result.output
    assert "structured hello" in result.output
    assert "printed hello" in result.output
    assert "other output" in result.output

    only = invoke("run", "logs", run_id, "--step", "other", "--stream", "stdout")
    assert "other output" in only.output
    assert "printed hello" not in only.output

    missing = invoke("run", "logs", run_id, "--step", "nope")
    assert missing.exit_code == 2
    assert "has no step 'nope'" in missing.output
