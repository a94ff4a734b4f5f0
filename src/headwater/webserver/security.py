"""Cross-site protection of the API: who may send a mutation.

A mutation comes only by ``POST`` with a JSON body (a browser cannot send ``application/json``
cross-site without a CORS preflight, which the webserver never grants), and a request that says
where it comes from (``Origin``, else ``Referer``) must come from the webserver's own origin
(its ``Host``). ``Sec-Fetch-Site: cross-site`` is refused too. Requests without those headers
(curl, scripts) are allowed: they are not a browser acting for a user.
"""

from collections.abc import Mapping
from urllib.parse import urlsplit

__all__ = ["cross_site_reason"]


def cross_site_reason(headers: Mapping[str, str], *, method: str) -> str | None:
    """Why a request to ``/graphql`` must be refused, or ``None`` when it may proceed.

    Args:
        headers: the request headers (lower-case names, as Starlette gives them).
        method: the HTTP method.

    Example:
        >>> cross_site_reason({"host": "127.0.0.1:3000", "content-type": "application/json",
        ...                    "origin": "http://127.0.0.1:3000"}, method="POST") is None
        True
        >>> cross_site_reason({"host": "127.0.0.1:3000", "content-type": "application/json",
        ...                    "origin": "https://evil.example"}, method="POST")
        "the request comes from origin 'https://evil.example', not from this webserver (...)"
    """
    if method != "POST":
        return f"the API takes {method} requests only as GraphiQL or queries, not mutations"
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return f"the body must be JSON (Content-Type: application/json), not {content_type!r}"
    if headers.get("sec-fetch-site", "").lower() == "cross-site":
        return "the browser says the request is cross-site (Sec-Fetch-Site)"
    host = headers.get("host", "")
    origin = headers.get("origin")
    if origin is None and headers.get("referer"):
        parts = urlsplit(headers["referer"])
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin is None:
        return None
    if origin == "null":
        return "the request has an opaque origin ('null')"
    if urlsplit(origin).netloc.lower() != host.lower():
        return f"the request comes from origin {origin!r}, not from this webserver ({host})"
    return None
