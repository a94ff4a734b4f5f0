"""The codeLocations subscription: the locations at once, then again whenever one changes."""

from __future__ import annotations

import json
import time

from server_helpers import Server


def test_code_locations_are_sent_again_when_a_location_reloads(server: Server) -> None:
    from websockets.sync.client import connect

    ws_url = server.url.replace("http://", "ws://") + "/graphql"
    with connect(ws_url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        query = "subscription { codeLocations { name status snapshotId } }"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        first = json.loads(ws.recv(timeout=10))["payload"]["data"]["codeLocations"]
        assert [(loc["name"], loc["status"]) for loc in first] == [("defs", "LOADED")]

        reload = server.data('mutation { reloadCodeLocation(name: "defs") { errors { message } } }')
        assert reload["reloadCodeLocation"]["errors"] == []
        seen, deadline = [], time.monotonic() + 30
        while time.monotonic() < deadline and "LOADED" not in seen[1:]:
            message = json.loads(ws.recv(timeout=30))
            assert message["type"] == "next", message
            seen.append(message["payload"]["data"]["codeLocations"][0]["status"])
        assert seen[0] in ("STARTING", "LOADED") and seen[-1] == "LOADED"
        ws.send(json.dumps({"id": "1", "type": "complete"}))
