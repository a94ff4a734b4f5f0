"""Mutations against a real webserver: a materialization starts a run (a real run worker) whose
events are then read by cursor and live over a websocket; user errors come back in payloads."""

from __future__ import annotations

import json

from server_helpers import Server, wait_for_run

MATERIALIZE = """
mutation($keys: [AssetKeyInput!]!, $partition: String) {
  materialize(input: {assetKeys: $keys, partitionKey: $partition}) {
    run { runId status assetSelection { path } }
    errors { message kind field }
  }
}
"""


def _materialize(server: Server, *paths: list[str], partition: str | None = None) -> dict:
    keys = [{"path": p} for p in paths]
    return server.data(MATERIALIZE, {"keys": keys, "partition": partition})["materialize"]


def test_materializing_a_selection_runs_it_and_its_events_page_by_cursor(server: Server) -> None:
    payload = _materialize(server, ["orders"], ["report"])
    assert payload["errors"] == []
    run_id = payload["run"]["runId"]
    assert payload["run"]["assetSelection"] == [{"path": ["orders"]}, {"path": ["report"]}]
    assert wait_for_run(server, run_id)["status"] == "SUCCESS"

    page_query = """query($id: ID!, $after: String) { runEvents(runId: $id, after: $after, first: 4)
        { nodes { storageId eventType stepKey } pageInfo { hasNextPage endCursor } } }"""
    seen, after = [], None
    while True:
        page = server.data(page_query, {"id": run_id, "after": after})["runEvents"]
        seen += page["nodes"]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    types = [e["eventType"] for e in seen]
    assert types[0] == "RUN_STARTING" and types[-1] == "RUN_SUCCESS"
    assert types.count("ASSET_MATERIALIZATION") == 2
    ids = [int(e["storageId"]) for e in seen]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)

    asset = server.data(
        '{ asset(key: {path: ["orders"]}) { latestMaterialization { runId }'
        " staleStatus { status } checks { latestEvaluation { passed } } } }"
    )
    assert asset["asset"]["latestMaterialization"]["runId"] == run_id
    assert asset["asset"]["staleStatus"]["status"] == "FRESH"
    assert asset["asset"]["checks"] == [{"latestEvaluation": {"passed": True}}]
    logs = server.data(
        'query($id: ID!) { capturedLogs(runId: $id, stepKey: "orders") { stepKey stdout } }',
        {"id": run_id},
    )["capturedLogs"]
    assert logs == [{"stepKey": "orders", "stdout": "hello from orders\n"}]


def test_a_run_s_events_arrive_live_over_the_websocket(server: Server) -> None:
    from websockets.sync.client import connect

    run_id = _materialize(server, ["orders"])["run"]["runId"]
    ws_url = server.url.replace("http://", "ws://") + "/graphql"
    batches = []
    with connect(ws_url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        query = (
            "subscription($id: ID!) { runEvents(runId: $id) { events { eventType }"
            " cursor runStatus isFinished } }"
        )
        ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": {"id": run_id}},
                }
            )
        )
        while True:
            message = json.loads(ws.recv(timeout=60))
            if message["type"] == "complete":
                break
            assert message["type"] == "next", message
            batches.append(message["payload"]["data"]["runEvents"])
    types = [e["eventType"] for b in batches for e in b["events"]]
    assert len(batches) > 1  # delivered while the run went on, not all at the end
    assert batches[-1]["isFinished"] is True and batches[-1]["runStatus"] == "SUCCESS"
    assert types[-1] == "RUN_SUCCESS" and "ASSET_MATERIALIZATION" in types
    assert len(types) == len(
        server.data(
            "query($id: ID!) { runEvents(runId: $id) { nodes { eventType } } }", {"id": run_id}
        )["runEvents"]["nodes"]
    )


def test_a_bad_partition_or_unknown_asset_is_a_user_error_and_creates_no_run(
    server: Server,
) -> None:
    before = server.data("{ runs { totalCount } }")["runs"]["totalCount"]
    bad = _materialize(server, ["daily"], partition="1999-01-01")
    assert bad["run"] is None and bad["errors"][0]["kind"] == "PARTITION"
    assert "1999-01-01" in bad["errors"][0]["message"]
    unknown = _materialize(server, ["nope"])
    assert unknown["errors"] == [
        {
            "message": "No code location declares the assets ['nope'].",
            "kind": "NOT_FOUND",
            "field": "assetKeys",
        }
    ]
    assert server.data("{ runs { totalCount } }")["runs"]["totalCount"] == before


def test_a_partition_materializes_and_shows_in_the_ranges(server: Server) -> None:
    run_id = _materialize(server, ["daily"], partition="2024-02-01")["run"]["runId"]
    assert wait_for_run(server, run_id)["status"] == "SUCCESS"
    status = server.data(
        '{ asset(key: {path: ["daily"]}) { partitionStatus {'
        " ranges { start end status count } } } }"
    )
    assert status["asset"]["partitionStatus"]["ranges"] == [
        {"start": "2024-01-01", "end": "2024-01-31", "status": "MISSING", "count": 31},
        {"start": "2024-02-01", "end": "2024-02-01", "status": "MATERIALIZED", "count": 1},
        {"start": "2024-02-02", "end": "2024-03-31", "status": "MISSING", "count": 59},
    ]


def test_runs_are_a_connection_with_cursors_and_filters(server: Server) -> None:
    for _ in range(2):
        wait_for_run(server, _materialize(server, ["orders"])["run"]["runId"])
    query = """query($after: String) { runs(first: 1, after: $after,
        filter: {statuses: [SUCCESS]}) { totalCount edges { cursor node { runId } }
        pageInfo { hasNextPage endCursor } } }"""
    first = server.data(query)["runs"]
    second = server.data(query, {"after": first["pageInfo"]["endCursor"]})["runs"]
    assert first["totalCount"] >= 2 and first["pageInfo"]["hasNextPage"] is True
    assert first["edges"][0]["node"]["runId"] != second["edges"][0]["node"]["runId"]


def test_reexecute_launch_job_report_wipe_and_dynamic_partitions(server: Server) -> None:
    parent = _materialize(server, ["orders"])["run"]["runId"]
    wait_for_run(server, parent)
    again = server.data(
        "mutation($id: ID!) { reexecuteRun(input: {runId: $id}) { run { runId "
        "parentRunId } errors { message } } }",
        {"id": parent},
    )["reexecuteRun"]
    assert again["errors"] == [] and again["run"]["parentRunId"] == parent
    assert wait_for_run(server, again["run"]["runId"])["status"] == "SUCCESS"
    from_failure = server.data(
        "mutation($id: ID!) { reexecuteRun(input: {runId: $id, strategy: "
        "FROM_FAILURE}) { run { runId } errors { message kind } } }",
        {"id": parent},
    )["reexecuteRun"]
    assert (
        from_failure["run"] is None
        and "only a FAILURE or CANCELED run" in (from_failure["errors"][0]["message"])
    )

    job = server.data(
        'mutation { launchJob(input: {locationName: "defs", jobName: "nightly"})'
        " { run { runId jobName } errors { message } } }"
    )["launchJob"]
    assert job["run"]["jobName"] == "nightly"
    assert wait_for_run(server, job["run"]["runId"])["status"] == "SUCCESS"
    bad_config = server.data(
        'mutation { launchJob(input: {locationName: "defs", jobName: '
        '"nightly", runConfig: {ops: {nope: {}}}}) { run { runId } errors '
        "{ kind message } } }"
    )["launchJob"]
    assert bad_config["run"] is None and bad_config["errors"][0]["kind"] == "INVALID"

    reported = server.data(
        "mutation { reportRunlessAssetEvents(input: {assetKey: {path: "
        '["report"]}, metadata: {rows: 7}}) { storageIds errors { message } } }'
    )
    assert len(reported["reportRunlessAssetEvents"]["storageIds"]) == 1
    history = server.data(
        '{ asset(key: {path: ["report"]}) { materializations(first: 1) {'
        " nodes { runId metadata { label number } } } } }"
    )
    assert history["asset"]["materializations"]["nodes"] == [
        {"runId": "", "metadata": [{"label": "rows", "number": 7.0}]}
    ]
    wiped = server.data(
        'mutation { wipeAssets(assetKeys: [{path: ["report"]}]) { assetKeys '
        "{ path } errors { message } } }"
    )
    assert wiped["wipeAssets"]["assetKeys"] == [{"path": ["report"]}]
    assert server.data(
        '{ asset(key: {path: ["report"]}) { latestMaterialization { runId } } }'
    ) == {"asset": {"latestMaterialization": None}}

    added = server.data(
        'mutation { addDynamicPartitions(partitionsDefName: "customers", '
        'partitionKeys: ["acme", "globex"]) { partitionKeys errors { message } } }'
    )
    assert added["addDynamicPartitions"]["partitionKeys"] == ["acme", "globex"]
    deleted = server.data(
        'mutation { deleteDynamicPartitions(partitionsDefName: "customers", '
        'partitionKeys: ["acme"]) { partitionKeys } }'
    )
    assert deleted["deleteDynamicPartitions"]["partitionKeys"] == ["globex"]


def test_terminating_a_finished_run_changes_nothing(server: Server) -> None:
    run_id = _materialize(server, ["orders"])["run"]["runId"]
    wait_for_run(server, run_id)
    out = server.data(
        "mutation($ids: [ID!]!) { terminateRuns(runIds: $ids) { results { runId "
        "changed message } errors { kind } } }",
        {"ids": [run_id, "nope"]},
    )
    result = out["terminateRuns"]
    assert result["results"][0]["changed"] is False and result["errors"] == [{"kind": "NOT_FOUND"}]


def test_reloading_a_code_location_brings_it_back_loaded(server: Server) -> None:
    import time

    out = server.data(
        'mutation { reloadCodeLocation(name: "defs") { location { name } errors { message } } }'
    )["reloadCodeLocation"]
    assert out == {"location": {"name": "defs"}, "errors": []}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = server.data("{ codeLocations { status } }")["codeLocations"][0]["status"]
        if status == "LOADED":
            break
        time.sleep(0.1)
    assert status == "LOADED"


def test_a_selection_in_the_grammar_and_a_partition_range(server: Server) -> None:
    preview = server.data('{ selectAssets(selection: "group:raw+") { path } }')["selectAssets"]
    assert preview == [{"path": ["orders"]}, {"path": ["report"]}]
    out = server.data(
        'mutation { materialize(input: {selection: "group:raw+"}) { run { '
        "assetSelection { path } } errors { message } } }"
    )["materialize"]
    assert out["run"]["assetSelection"] == [{"path": ["orders"]}, {"path": ["report"]}]
    bad = server.data(
        'mutation { materialize(input: {selection: "key:nope"}) { run { runId } '
        "errors { field message } } }"
    )["materialize"]
    assert bad["run"] is None and bad["errors"][0]["field"] == "selection"

    ranged = server.data(
        'mutation { materialize(input: {assetKeys: [{path: ["daily"]}], '
        'partitionRange: {start: "2024-03-01", end: "2024-03-03"}}) '
        "{ run { runId } errors { message } } }"
    )["materialize"]
    assert ranged["errors"] == []
    assert wait_for_run(server, ranged["run"]["runId"])["status"] == "SUCCESS"
    ranges = server.data(
        '{ asset(key: {path: ["daily"]}) { partitionStatus { ranges { start end status } } } }'
    )["asset"]["partitionStatus"]["ranges"]
    assert {"start": "2024-03-01", "end": "2024-03-03", "status": "MATERIALIZED"} in ranges


def test_a_run_s_steps_give_its_timeline(server: Server) -> None:
    run_id = _materialize(server, ["orders"], ["report"])["run"]["runId"]
    wait_for_run(server, run_id)
    steps = server.data(
        "query($id: ID!) { run(runId: $id) { steps { stepKey status attempts "
        "startTime endTime } } }",
        {"id": run_id},
    )["run"]["steps"]
    by_key = {s["stepKey"]: s for s in steps}
    assert {(s["stepKey"], s["status"], s["attempts"]) for s in steps} == {
        ("orders", "SUCCESS", 1),
        ("orders_orders_positive", "SUCCESS", 1),  # the check's step
        ("report", "SUCCESS", 1),
    }
    assert all(s["startTime"] <= s["endTime"] for s in steps)
    assert by_key["orders"]["endTime"] <= by_key["report"]["startTime"]
