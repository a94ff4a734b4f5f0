"""The Starlette application: ``/graphql`` (POST: queries and mutations; GET: GraphiQL and
queries; websocket: subscriptions), ``/health``, and the UI at ``/``.

POST operations run in a worker thread (resolvers read storage and code servers synchronously,
the event loop stays free for subscriptions). Every route can sit under a path prefix
(``--path-prefix /hw``).
"""

from typing import Any

import anyio.to_thread
import msgspec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from strawberry.asgi import GraphQL

from headwater.webserver.graphql.context import Context
from headwater.webserver.graphql.schema import build_schema
from headwater.webserver.security import cross_site_reason
from headwater.webserver.state import WebserverState
from headwater.webserver.static import STATIC_DIR, ui_endpoint

__all__ = ["build_app"]

_ENCODER = msgspec.json.Encoder()


class _StrawberryApp(GraphQL):
    """GraphiQL, GET queries and websocket subscriptions, with headwater's context."""

    def __init__(self, state: WebserverState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.state = state

    async def get_context(self, request: Any, response: Any) -> Context:  # type: ignore[override]
        return Context(state=self.state, request=request)


def build_app(
    state: WebserverState, *, path_prefix: str = "", static_dir: Any = STATIC_DIR
) -> Starlette:
    """The webserver's application for ``state``.

    Args:
        state: what the API reads (its ``read_only`` removes every mutation).
        path_prefix: serve everything under this path (``"/hw"``); ``""``: at the root.
        static_dir: the built UI's directory.

    Example:
        >>> # app = build_app(WebserverState(instance, manager), path_prefix="/hw")
        >>> # uvicorn.run(app, host="127.0.0.1", port=3000)
    """
    schema = build_schema(read_only=state.read_only)
    strawberry_app = _StrawberryApp(state, schema=schema, graphql_ide="graphiql",
                                    allow_queries_via_get=True)  # fmt: skip
    prefix = path_prefix.rstrip("/")

    async def graphql_post(request: Request) -> Response:
        reason = cross_site_reason(request.headers, method=request.method)
        if reason is not None:
            return JSONResponse({"errors": [{"message": f"Refused: {reason}."}]}, status_code=403)
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"errors": [{"message": "The body is not valid JSON."}]},
                                status_code=400)  # fmt: skip
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return JSONResponse({"errors": [{"message": "Send {\"query\": \"...\", "
                                 "\"variables\": {...}}."}]}, status_code=400)  # fmt: skip
        context = Context(state=state, request=request)

        def execute() -> Any:
            return schema.execute_sync(
                body["query"], variable_values=body.get("variables") or None,
                context_value=context, operation_name=body.get("operationName"),
            )  # fmt: skip

        result = await anyio.to_thread.run_sync(execute)
        out: dict[str, Any] = {"data": result.data}
        if result.errors:
            out["errors"] = [error.formatted for error in result.errors]
        return Response(_ENCODER.encode(out), media_type="application/json")

    async def health(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "read_only": state.read_only})

    routes: list[BaseRoute] = [
        Route("/graphql", graphql_post, methods=["POST"]),
        Route("/graphql", strawberry_app, methods=["GET"]),
        WebSocketRoute("/graphql", strawberry_app),
        Route("/health", health, methods=["GET"]),
        Route("/", ui_endpoint(static_dir, prefix), methods=["GET"]),
        Route("/{path:path}", ui_endpoint(static_dir, prefix), methods=["GET"]),
    ]
    if prefix:
        routes = [Mount(prefix, routes=routes)]
    return Starlette(routes=routes)
