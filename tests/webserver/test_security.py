"""Cross-site requests are refused, GET cannot mutate, read-only removes every mutation, and the
webserver listens on loopback unless told otherwise."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from server_helpers import Server, free_port

WIPE = 'mutation { wipeAssets(assetKeys: [{path: ["orders"]}]) { assetKeys { path } } }'


def _body(query: str) -> bytes:
    return json.dumps({"query": query}).encode()


def test_a_cross_origin_post_is_refused_and_changes_nothing(server: Server) -> None:
    status, answer = server.post(
        _body(WIPE), {"Content-Type": "application/json", "Origin": "https://evil.example"}
    )
    assert status == 403
    assert "not from this webserver" in answer["errors"][0]["message"]
    status, _ = server.post(
        _body(WIPE), {"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}
    )
    assert status == 403


def test_a_same_origin_post_is_accepted(server: Server) -> None:
    status, answer = server.post(
        _body("{ server { readOnly } }"),
        {
            "Content-Type": "application/json",
            "Origin": server.url.replace("127.0.0.1", "127.0.0.1"),
        },
    )
    assert status == 200 and answer["data"] == {"server": {"readOnly": False}}


def test_a_form_post_is_refused(server: Server) -> None:
    form = urllib.parse.urlencode({"query": WIPE}).encode()
    status, answer = server.post(form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and "must be JSON" in answer["errors"][0]["message"]


def test_a_mutation_by_get_is_refused(server: Server) -> None:
    url = f"{server.url}/graphql?" + urllib.parse.urlencode({"query": WIPE})
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status in (400, 405)


def test_a_websocket_from_another_origin_is_refused(server: Server) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    ws_url = server.url.replace("http://", "ws://") + "/graphql"
    with (
        pytest.raises(InvalidStatus),
        connect(
            ws_url,
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            origin="https://evil.example",
            open_timeout=10,  # type: ignore[arg-type]
        ),
    ):
        pass


def test_read_only_hides_every_mutation(project: Path) -> None:
    port = free_port()
    with Server(
        ["webserver", "-f", "defs.py", "--port", str(port), "--read-only"],
        home=project / "home",
        cwd=project,
        port=port,
    ) as server:
        server.wait_ready()
        assert server.data("{ __schema { mutationType { name } } server { readOnly } }") == {
            "__schema": {"mutationType": None},
            "server": {"readOnly": True},
        }
        answer = server.query(WIPE)
        assert "mutation operation is not supported" in answer["errors"][0]["message"]


def test_the_path_prefix_serves_the_api_under_it(project: Path) -> None:
    port = free_port()
    with Server(
        ["webserver", "-f", "defs.py", "--port", str(port), "--path-prefix", "hw/"],
        home=project / "home",
        cwd=project,
        port=port,
    ) as server:
        server.wait_ready(prefix="/hw")
        assert server.query("{ server { readOnly } }", prefix="/hw")["data"] is not None
        status, _ = server.post(
            _body("{ server { readOnly } }"), {"Content-Type": "application/json"}
        )
        assert status == 404


def test_listening_beyond_loopback_warns(project: Path) -> None:
    port = free_port()
    with Server(
        ["webserver", "-f", "defs.py", "--port", str(port), "--host", "0.0.0.0"],
        home=project / "home",
        cwd=project,
        port=port,
    ) as server:
        server.wait_ready()
        assert "Warning: listening on 0.0.0.0" in server.log.read_text()


def test_port_zero_listens_on_a_free_port_and_prints_it(project: Path) -> None:
    import re
    import time

    with Server(["webserver", "-f", "defs.py", "--port", "0"], home=project / "home",
                cwd=project, port=0) as server:  # fmt: skip
        deadline = time.monotonic() + 60
        while not (found := re.search(r"http://127\.0\.0\.1:(\d+)/", server.log.read_text())):
            assert time.monotonic() < deadline, server.log.read_text()
            time.sleep(0.05)
        server.port = int(found.group(1))
        server.url = f"http://127.0.0.1:{server.port}"
        assert server.port != 0
        server.wait_ready()
        assert server.data("{ server { readOnly } }") == {"server": {"readOnly": False}}
