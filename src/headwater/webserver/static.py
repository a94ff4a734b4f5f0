"""Serving the built UI (``static/``) with a single-page-app fallback to ``index.html``."""

from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

STATIC_DIR = Path(__file__).with_name("static")

_NOT_BUILT = """<!doctype html>
<html><head><meta charset="utf-8"><title>headwater</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>headwater</h1>
<p>The webserver is running, but its UI is not built.</p>
<p>Build it with <code>make ui-build</code> (or <code>cd ui &amp;&amp; npm ci &amp;&amp;
npm run build</code>), which writes <code>src/headwater/webserver/static/</code>, then reload
this page.</p>
<p>The GraphQL API answers meanwhile: open <a href="{prefix}/graphql">GraphiQL</a>.</p>
</body></html>
"""


def ui_endpoint(
    static_dir: Path = STATIC_DIR, prefix: str = ""
) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint serving ``static_dir``: a file when the path names one, else
    ``index.html`` (the UI routes in the browser), else a page saying how to build the UI."""
    root = static_dir.resolve()

    async def endpoint(request: Request) -> Response:
        index = root / "index.html"
        if not index.is_file():
            return HTMLResponse(_NOT_BUILT.replace("{prefix}", prefix))
        relative = request.path_params.get("path", "")
        candidate = (root / relative).resolve()
        if relative and candidate.is_file() and candidate.is_relative_to(root):
            hashed = relative.startswith("assets/")  # Vite's content-hashed files
            cache = "public, max-age=31536000, immutable" if hashed else "no-cache"
            return FileResponse(candidate, headers={"Cache-Control": cache})
        if relative.startswith("assets/"):
            return Response("Not found", status_code=404)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return endpoint
