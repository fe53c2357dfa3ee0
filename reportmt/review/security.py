"""The workspace's one guard, in front of every request.

GET never changes anything stored (it may say a reviewer is on a page). Every request must name an allowed host in its Host header (on
loopback: 127.0.0.1, localhost and [::1]), so a site that points its own name at 127.0.0.1
(DNS rebinding) gets nothing. Every request must come from a reviewer the workspace can
name (reportmt.review.identities: its one reviewer, with the access token off loopback; a
reviewer's own token; or a trusted proxy's header); the name is ``request.state.reviewer``.
Every request with an unsafe method, whatever its route, must come from the workspace's
own pages: its Origin or Referer names this server, and it carries the form key of this
server's pages (a form field or a header). Secrets are compared as bytes, in constant time.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from .identities import TOKEN_COOKIE, same_secret

FORM_KEY_FIELD, FORM_KEY_HEADER = "form_key", "x-reportmt-form-key"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ANY_HOST = "*"
SAFE_METHODS = ("GET", "HEAD")
OUT_OF_DATE = ("the workspace was restarted, or this page is not from it: reload the page "
               "(copy your text first: it is kept in the box below)")


class Guard(BaseHTTPMiddleware):
    """Host, reviewer, origin and form key, checked before any route sees the request."""

    async def dispatch(self, request: Request, call_next) -> Response:
        workspace = request.app.state.workspace
        host = _host_name(request.headers.get("host", ""))
        if ANY_HOST not in workspace.allowed_hosts and host not in workspace.allowed_hosts:
            return forbidden(request, f"this workspace does not answer to the host name {host!r}; "
                                      "open the URL `reportmt review` printed (or start it with --allow-host)")
        identified = workspace.identities.identify(request)
        if identified.reviewer is None:
            return forbidden(request, identified.refusal)
        request.state.reviewer = identified.reviewer
        if request.method not in SAFE_METHODS:
            if not _same_origin(request):
                return forbidden(request, "a change must come from a page of this workspace (cross-site request refused)")
            await request.body()  # read whole first: Starlette then hands the same body to the route
            form_key = request.headers.get(FORM_KEY_HEADER) or str((await request.form()).get(FORM_KEY_FIELD, ""))
            if not same_secret(form_key, workspace.form_key):
                return forbidden(request, OUT_OF_DATE)
        response = await call_next(request)
        if identified.token and request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, identified.token, httponly=True, samesite="strict")
        return response


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def forbidden(request: Request, message: str) -> Response:
    """A 403 the reviewer reads: JSON for the page's script (which shows it beside the
    text being saved), plain text otherwise."""
    if wants_json(request):
        return JSONResponse({"error": message, "reload": True}, status_code=403)
    return PlainTextResponse(f"403: {message}", 403)


def is_loopback(host: str) -> bool:
    """Only this machine can connect (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The name in a Host header, without its port: "[::1]:8765" -> "::1"."""
    try:
        return urlsplit(f"//{host_header}").hostname or ""
    except ValueError:
        return ""


def _same_origin(request: Request) -> bool:
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return False
    return urlsplit(source).netloc == request.headers.get("host")
