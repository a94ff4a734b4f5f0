"""Backfills through the API against a real webserver and a real daemon on real SQLite: the
``launchBackfill`` mutation stores a background backfill that the daemon runs; a failed one
is resumed with ``resumeBackfill``; bad input is a user error and stores nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from server_helpers import Server, free_port

from headwater import AssetKey, Instance
from headwater.storage.backfill_records import BACKFILL_ID_TAG, BulkActionStatus
from headwater.storage.records import RunsFilter, RunStatus

pytestmark = pytest.mark.slow

DEFS = """
from pathlib import Path
from headwater import DailyPartitionsDefinition, Definitions, asset

HERE = Path(__file__).parent

@asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01", end_date="2024-02-01"))
def days(context) -> int:
    with open(HERE / "ran.log", "a") as log:
        log.write(context.partition_key + "\\n")
    if (HERE / f"fail-{context.partition_key}").exists():
        raise ValueError(f"the source of {context.partition_key} is missing")
    return 1

defs = Definitions(assets=[days])
"""

FAST_YAML = """
daemon: {heartbeat_interval_seconds: 1, heartbeat_tolerance_seconds: 5}
run_queue: {dequeue_interval_seconds: 0.2}
run_monitoring: {heartbeat_interval_seconds: 1, start_timeout_seconds: 30}
"""

LAUNCH = """
mutation($input: LaunchBackfillInput!) {
  launchBackfill(input: $input) { backfill { backfillId status } errors { message kind field } }
}
"""
RESUME = """
mutation($id: ID!) {
  resumeBackfill(backfillId: $id) { backfill { backfillId status } errors { message kind } }
}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("backfills")
    (root / "defs.py").write_text(textwrap.dedent(DEFS), encoding="utf-8")
    (root / "home").mkdir()
    (root / "home" / "headwater.yaml").write_text(FAST_YAML, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def server(project: Path) -> Iterator[Server]:
    """The webserver and, beside it, ``headwater daemon run`` on the same instance."""
    env = {**os.environ, "HEADWATER_HOME": str(project / "home")}
    with (project / "daemon.log").open("wb") as log:
        daemon = subprocess.Popen(
            [sys.executable, "-m", "headwater", "daemon", "run", "-f", "defs.py"],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    port = free_port()
    try:
        with Server(["webserver", "-f", "defs.py", "--port", str(port)],
                    home=project / "home", cwd=project, port=port) as running:  # fmt: skip
            running.wait_ready()
            yield running
    finally:
        os.killpg(daemon.pid, signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()


def _wait_status(project: Path, backfill_id: str, timeout: float = 120.0) -> BulkActionStatus:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Instance.from_path(project / "home") as instance:
            status = instance.get_backfill_status(backfill_id)
        if status is not None and status.is_finished:
            return status
        time.sleep(0.2)
    log = (project / "daemon.log").read_text(errors="replace")
    raise AssertionError(f"backfill {backfill_id} did not finish; daemon log:\n{log}")


def _runs(project: Path, backfill_id: str) -> list:
    with Instance.from_path(project / "home") as instance:
        return instance.get_runs(RunsFilter(tags={BACKFILL_ID_TAG: backfill_id}))


def _backfill_count(project: Path) -> int:
    with Instance.from_path(project / "home") as instance:
        return len(instance.get_backfills())


def test_a_backfill_launched_through_the_api_is_run_by_the_daemon(
    server: Server, project: Path
) -> None:
    payload = server.data(LAUNCH, {"input": {
        "selection": "days", "partitionRange": {"start": "2024-01-01", "end": "2024-01-03"},
        "tags": [{"key": "team", "value": "data"}]}})["launchBackfill"]  # fmt: skip
    assert payload["errors"] == []
    assert payload["backfill"]["status"] == "REQUESTED"
    backfill_id = payload["backfill"]["backfillId"]

    assert _wait_status(project, backfill_id) is BulkActionStatus.COMPLETED_SUCCESS
    runs = _runs(project, backfill_id)
    assert len(runs) == 3 and {r.status for r in runs} == {RunStatus.SUCCESS}
    assert {r.tags["team"] for r in runs} == {"data"}
    with Instance.from_path(project / "home") as instance:
        stored = instance.get_backfill(backfill_id)
        assert stored is not None and stored.location is not None  # a background backfill
        done = instance.get_materialized_partitions(AssetKey("days"))
    assert done >= {"2024-01-01", "2024-01-02", "2024-01-03"}


def test_a_failed_backfill_resumed_through_the_api_reruns_only_what_failed(
    server: Server, project: Path
) -> None:
    (project / "fail-2024-01-12").touch()
    keys = ["2024-01-11", "2024-01-12", "2024-01-13"]
    payload = server.data(LAUNCH, {"input": {"assetKeys": [{"path": ["days"]}],
                                             "partitionKeys": keys}})["launchBackfill"]  # fmt: skip
    backfill_id = payload["backfill"]["backfillId"]
    assert _wait_status(project, backfill_id) is BulkActionStatus.COMPLETED_FAILED

    (project / "fail-2024-01-12").unlink()
    resumed = server.data(RESUME, {"id": backfill_id})["resumeBackfill"]
    assert resumed == {"backfill": {"backfillId": backfill_id, "status": "REQUESTED"},
                       "errors": []}  # fmt: skip
    assert _wait_status(project, backfill_id) is BulkActionStatus.COMPLETED_SUCCESS
    statuses = Counter(r.status for r in _runs(project, backfill_id))
    assert statuses == {RunStatus.SUCCESS: 3, RunStatus.FAILURE: 1}
    computed = Counter((project / "ran.log").read_text().split())
    assert [computed[f"2024-01-{d}"] for d in (11, 12, 13)] == [1, 2, 1]

    again = server.data(RESUME, {"id": backfill_id})["resumeBackfill"]  # nothing left to do
    assert again["backfill"]["status"] == "COMPLETED_SUCCESS" and again["errors"] == []


@pytest.mark.parametrize(
    ("given", "kind", "field"),
    [
        ({"assetKeys": [{"path": ["nope"]}], "allPartitions": True}, "NOT_FOUND", "assetKeys"),
        ({"selection": "key:nope", "allPartitions": True}, "INVALID", "selection"),
        ({"selection": "days", "partitionKeys": ["2030-01-01"]}, "PARTITION", "partitionKeys"),
        ({"selection": "days"}, "PARTITION", "partitionKeys"),
        ({"selection": "days", "allPartitions": True,
          "tags": [{"key": "headwater/backfill", "value": "x"}]}, "INVALID", None),
    ],
)
def test_bad_backfill_input_is_a_user_error_and_stores_nothing(
    server: Server, project: Path, given: dict, kind: str, field: str | None
) -> None:
    before = _backfill_count(project)
    payload = server.data(LAUNCH, {"input": given})["launchBackfill"]
    assert payload["backfill"] is None
    [error] = payload["errors"]
    assert (error["kind"], error["field"]) == (kind, field), error
    assert error["message"]
    assert _backfill_count(project) == before


def test_resuming_an_unknown_backfill_is_a_user_error(server: Server) -> None:
    payload = server.data(RESUME, {"id": "nosuchid"})["resumeBackfill"]
    assert payload["backfill"] is None
    assert payload["errors"][0]["kind"] == "NOT_FOUND"
