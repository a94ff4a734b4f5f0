"""Schedules and sensors through the API: declared, their state from storage, started and
stopped, a sensor's cursor set."""

from __future__ import annotations

import time

from server_helpers import Server

SCHEDULES = "{ schedules { name jobName cronSchedules status defaultStatus nextTicks(count: 2)"
SCHEDULES += " ticks { status } } sensors { name jobNames status cursor minimumIntervalSeconds } }"


def test_schedules_and_sensors_are_listed_with_their_state(server: Server) -> None:
    data = server.data(SCHEDULES)
    schedule = data["schedules"][0]
    assert {k: schedule[k] for k in ("name", "jobName", "cronSchedules", "defaultStatus")} == {
        "name": "nightly_at_3",
        "jobName": "nightly",
        "cronSchedules": ["0 3 * * *"],
        "defaultStatus": "STOPPED",
    }
    first, second = schedule["nextTicks"]
    assert time.time() < first and second - first == 86400.0 and first % 86400 == 3 * 3600
    assert data["sensors"] == [
        {
            "name": "new_orders",
            "jobNames": ["nightly"],
            "status": "STOPPED",
            "cursor": None,
            "minimumIntervalSeconds": 3600,
        }
    ]


def test_starting_and_stopping_a_schedule_and_setting_a_sensor_cursor(server: Server) -> None:
    started = server.data(
        'mutation { startSchedule(locationName: "defs", name: "nightly_at_3")'
        " { schedule { status } errors { message } } }"
    )["startSchedule"]
    assert started == {"schedule": {"status": "RUNNING"}, "errors": []}
    assert server.data(SCHEDULES)["schedules"][0]["status"] == "RUNNING"
    stopped = server.data(
        'mutation { stopSchedule(locationName: "defs", name: "nightly_at_3")'
        " { schedule { status } } }"
    )["stopSchedule"]
    assert stopped == {"schedule": {"status": "STOPPED"}}

    cursor = server.data(
        'mutation { setSensorCursor(locationName: "defs", name: "new_orders",'
        ' cursor: "42") { sensor { cursor status } } }'
    )["setSensorCursor"]
    assert cursor == {"sensor": {"cursor": "42", "status": "STOPPED"}}
    unknown = server.data(
        'mutation { startSensor(locationName: "defs", name: "nope")'
        " { sensor { name } errors { kind message } } }"
    )["startSensor"]
    assert unknown["sensor"] is None and unknown["errors"][0]["kind"] == "NOT_FOUND"
    assert "new_orders" in unknown["errors"][0]["message"]
