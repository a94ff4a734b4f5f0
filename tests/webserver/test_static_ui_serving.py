"""The built UI: files served as they are, other paths fall back to index.html (the UI routes in
the browser), missing hashed assets are 404, nothing outside the directory is served."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from server_helpers import free_port
from starlette.applications import Starlette
from starlette.routing import Route

from headwater.webserver.static import ui_endpoint


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[str]:
    static = tmp_path / "static"
    (static / "assets").mkdir(parents=True)
    (static / "index.html").write_text("<!doctype html><div id=root></div>")
    (static / "assets" / "app-1234.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("not for you")
    endpoint = ui_endpoint(static)
    app = Starlette(routes=[Route("/", endpoint), Route("/{path:path}", endpoint)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode(), response.headers["Cache-Control"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), ""


def test_files_are_served_and_ui_routes_fall_back_to_index(static_server: str) -> None:
    status, body, cache = _get(f"{static_server}/assets/app-1234.js")
    assert (status, body) == (200, "console.log(1)") and "immutable" in cache
    for path in ("/", "/assets-catalog", "/runs/abc/logs"):
        status, body, cache = _get(static_server + path)
        assert status == 200 and "id=root" in body and cache == "no-cache"
    assert _get(f"{static_server}/assets/gone-9999.js")[0] == 404
    status, body, _ = _get(f"{static_server}/..%2Fsecret.txt")
    assert "not for you" not in body
