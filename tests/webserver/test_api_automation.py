"""An asset's automation evaluations (explained) and freshness, and cancelling a backfill, read
from and written to the real instance the webserver serves."""

from __future__ import annotations

import time
from pathlib import Path

from server_helpers import Server

from headwater.instance.instance import Instance
from headwater.keys import AssetKey
from headwater.storage.automation_records import (
    ConditionEvaluationRecord,
    FreshnessState,
    FreshnessStateRecord,
)
from headwater.storage.backfill_records import BulkActionStatus, PartitionBackfill


def test_the_latest_automation_evaluation_is_explained(server: Server, project: Path) -> None:
    body = {"requested": True, "partitioned": False, "total": 1, "run_ids": ["r1"], "nodes": [
        {"path": "0.0", "name": "missing", "n": 1},
        {"path": "0.1.0", "name": "run_in_progress", "n": 0},
        {"path": "0.1", "name": "NOT", "n": 1},
        {"path": "0", "name": "AND", "n": 1}]}  # fmt: skip
    with Instance.from_path(project / "home") as instance:
        instance.storage.add_condition_evaluations([ConditionEvaluationRecord(
            asset_key=AssetKey("report"), evaluation_id=7, timestamp=time.time(),
            num_requested=1, sensor_name="defs:default_automation_condition_sensor", body=body,
        )])  # fmt: skip
        instance.storage.set_freshness_state(FreshnessStateRecord(
            asset_key=AssetKey("report"), state=FreshnessState.WARN, updated_timestamp=10.0,
            changed_timestamp=5.0, info={"last_updated": 1.0}))  # fmt: skip
    data = server.data('{ asset(key: {path: ["report"]}) { automationEvaluation { evaluationId '
                       "numRequested explanation runIds treeLines } freshness { state "
                       "changedTimestamp info } } }")["asset"]  # fmt: skip
    evaluation = data["automationEvaluation"]
    assert evaluation["evaluationId"] == 7 and evaluation["numRequested"] == 1
    assert evaluation["explanation"] == "requested because: missing AND NOT run in progress"
    assert evaluation["runIds"] == ["r1"] and len(evaluation["treeLines"]) == 4
    assert data["freshness"] == {"state": "WARN", "changedTimestamp": 5.0,
                                 "info": {"last_updated": 1.0}}  # fmt: skip
    none = server.data('{ asset(key: {path: ["orders"]}) { automationEvaluation { evaluationId }'
                       " freshness { state } } }")["asset"]  # fmt: skip
    assert none == {"automationEvaluation": None, "freshness": None}


def test_cancelling_a_backfill_that_has_no_run_in_progress_cancels_it(
    server: Server, project: Path
) -> None:
    with Instance.from_path(project / "home") as instance:
        instance.add_backfill(PartitionBackfill(
            backfill_id="bf1", asset_selection=(AssetKey("daily"),),
            partition_keys=("2024-01-01",), create_timestamp=time.time(),
        ))  # fmt: skip
    listed = server.data("{ backfills { backfillId status partitionKeys } }")["backfills"]
    assert {"backfillId": "bf1", "status": "REQUESTED", "partitionKeys": ["2024-01-01"]} in listed
    out = server.data('mutation { cancelBackfill(backfillId: "bf1") { backfill { status } '
                      "errors { kind } } }")["cancelBackfill"]  # fmt: skip
    assert out == {"backfill": {"status": BulkActionStatus.CANCELED.value}, "errors": []}
    missing = server.data('mutation { cancelBackfill(backfillId: "nope") { backfill { status } '
                          "errors { kind } } }")["cancelBackfill"]  # fmt: skip
    assert missing == {"backfill": None, "errors": [{"kind": "NOT_FOUND"}]}
