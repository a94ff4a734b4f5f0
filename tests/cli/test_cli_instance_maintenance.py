"""``headwater instance vacuum`` and ``instance info`` on a SQLite instance."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from headwater.cli.main import cli
from headwater.events.types import EventType
from headwater.instance.instance import Instance
from headwater.testing._storage_helpers import make_event
from headwater.testing.storage_suite import make_run

LONG_AGO = 1_000_000.0


def _home(tmp_path: Path, config: str) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_text(config)
    with Instance.from_path(home) as instance:
        instance.add_run(make_run("old"))
        instance.store_events(
            [make_event("old", EventType.RUN_START, timestamp=LONG_AGO)]
            + [make_event("old", EventType.LOG_MESSAGE, step_key="a", timestamp=LONG_AGO)] * 5
            + [make_event("old", EventType.RUN_SUCCESS, timestamp=LONG_AGO)]
        )
    return home


def test_vacuum_dry_run_counts_then_vacuum_deletes_and_reports(tmp_path: Path) -> None:
    home = _home(tmp_path, "retention:\n  event_logs: {purge_after_days: 7}\n")
    runner = CliRunner()
    dry = runner.invoke(cli, ["--home", str(home), "instance", "vacuum", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would delete 0 run(s) and 5 event(s)" in dry.output
    done = runner.invoke(cli, ["--home", str(home), "instance", "vacuum", "--json"])
    report = json.loads(done.output)
    assert report["events_deleted"] == 5 and report["complete"] and not report["dry_run"]
    info = json.loads(
        runner.invoke(cli, ["--home", str(home), "instance", "info", "--json"]).output
    )
    assert info["kind"] == "sqlite" and info["row_counts"]["event_logs"] == 2
    assert info["retention"]["event_logs_days"] == 7


def test_vacuum_without_retention_deletes_nothing_and_says_how_to_configure(
    tmp_path: Path,
) -> None:
    home = _home(tmp_path, "")
    result = CliRunner().invoke(cli, ["--home", str(home), "instance", "vacuum"])
    assert result.exit_code == 0
    assert "No retention configured" in result.output and "purge_after_days" in result.output
    with Instance.from_path(home) as instance:
        assert len(instance.all_logs("old")) == 7


def test_a_retention_of_zero_days_is_refused_with_an_explanation(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "headwater.yaml").write_text("retention:\n  runs: {purge_after_days: 0}\n")
    result = CliRunner().invoke(cli, ["--home", str(home), "instance", "vacuum"])
    assert result.exit_code == 2
    assert "retention.runs.purge_after_days" in result.output
    assert "at least 1 day" in result.output
