"""A background backfill in real ``headwater daemon run`` processes, on real SQLite: launched
with ``headwater backfill launch --background``, driven through the run queue, the daemon
killed with SIGKILL midway and started again, no partition run twice."""

from __future__ import annotations

import json
import os
import re
import signal
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from daemon_helpers import Daemons, wait_for

from headwater import Instance
from headwater.storage.backfill_records import BACKFILL_ID_TAG, BulkActionStatus
from headwater.storage.records import RunsFilter, RunStatus

pytestmark = pytest.mark.slow

DEFS = """
import os, time
from pathlib import Path
from headwater import BackfillPolicy, DailyPartitionsDefinition, Definitions, asset

HERE = Path(__file__).parent
DAYS = DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-01-11")

@asset(partitions_def=DAYS, backfill_policy=BackfillPolicy.multi_run(2))
def events(context) -> dict:
    with open(HERE / "ran.log", "a") as log:  # one line per partition computed
        for key in context.partition_keys:
            log.write(key + "\\n")
    time.sleep(1.0)
    return {key: 1 for key in context.partition_keys}

defs = Definitions(assets=[events])
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "defs.py").write_text(textwrap.dedent(DEFS), encoding="utf-8")
    return project


def _runs(home: Path, backfill_id: str) -> list:
    with Instance.from_path(home) as instance:
        return instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill_id}))


def _status(home: Path, backfill_id: str) -> BulkActionStatus | None:
    with Instance.from_path(home) as instance:
        return instance.get_backfill_status(backfill_id)


def _calm_moment(home: Path, backfill_id: str) -> bool:
    """Some run succeeded and none is between its claim and its worker's start."""
    runs = _runs(home, backfill_id)
    return any(r.status is RunStatus.SUCCESS for r in runs) and not any(
        r.status in (RunStatus.STARTING, RunStatus.NOT_STARTED) for r in runs
    )


def test_a_background_backfill_survives_a_kill_9_of_its_daemon_and_runs_no_partition_twice(
    daemons: Daemons, project: Path, home: Path,
) -> None:
    launched = daemons.cli("backfill", "launch", "-f", str(project / "defs.py"), "--select",
                           "events", "--all-partitions", "--background")  # fmt: skip
    assert launched.returncode == 0, launched.stderr
    assert "in the background" in launched.stdout
    backfill_id = re.search(r"Launched backfill (\w+)", launched.stdout).group(1)  # type: ignore[union-attr]
    assert _status(home, backfill_id) is BulkActionStatus.REQUESTED
    assert _runs(home, backfill_id) == []  # nothing ran in the CLI's process

    first = daemons.start("-f", "defs.py", cwd=project)
    wait_for(lambda: _calm_moment(home, backfill_id), timeout=120,
             what="a first run of the backfill to succeed")  # fmt: skip
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    assert _status(home, backfill_id) is BulkActionStatus.REQUESTED  # not finished yet

    second = daemons.start("-f", "defs.py", cwd=project)
    wait_for(lambda: _status(home, backfill_id) is BulkActionStatus.COMPLETED_SUCCESS,
             timeout=180, what="the backfill to complete")  # fmt: skip

    runs = _runs(home, backfill_id)
    assert len(runs) == 5 and {r.status for r in runs} == {RunStatus.SUCCESS}
    ranges = sorted((r.tags["headwater/asset_partition_range_start"],
                     r.tags["headwater/asset_partition_range_end"]) for r in runs)  # fmt: skip
    assert ranges == [(f"2024-01-{d:02d}", f"2024-01-{d + 1:02d}") for d in (1, 3, 5, 7, 9)]
    computed = Counter((project / "ran.log").read_text().split())
    assert computed == {f"2024-01-{d:02d}": 1 for d in range(1, 11)}  # each partition once
    shown = daemons.cli("backfill", "show", backfill_id, "--json")
    assert json.loads(shown.stdout)["background"] == "defs"
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=60) == 0
