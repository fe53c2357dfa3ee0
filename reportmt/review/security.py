"""The workspace's one guard, in front of every request.

GET never changes anything stored (it may say a reviewer is on a page). Every request must name an allowed host in its Host header (on
loopback: 127.0.0.1, localhost and [::1]), so a site that points its own name at 127.0.0.1
(DNS rebinding) gets nothing. Every request must come from a reviewer the workspace can
name (reportmt.review.identities: its one reviewer, with the access token off loopback; a
reviewer's own token; or a trusted proxy's header); the name is ``request.state.reviewer``.
Every request with an unsafe method, whatever its route, must come from the workspace's
own pages: its Origin or Referer names this server, and it carries the form key of this
server's pages (a form field or a header). Secrets are compared as bytes, in constant time.
A sign-in link (`?token=`) sets the cookie and sends the browser to the same address
without the token. Every answer forbids framing and scripts from elsewhere.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlencode, urlsplit

from starlette.exceptions import HTTPException
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from .identities import TOKEN_COOKIE, same_secret

FORM_KEY_FIELD, FORM_KEY_HEADER = "form_key", "x-reportmt-form-key"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ANY_HOST = "*"
SAFE_METHODS = ("GET", "HEAD")
MAX_EDIT_CHARS = 100_000  # one sentence's English; longer is refused with 413
# A replacement applies up to the preview's 500 sentences, three fields each; the form's
# other fields come on top.
MAX_FORM_FIELDS = 2_000
MAX_REQUEST_BYTES = 4 * MAX_EDIT_CHARS + 1_000_000  # an edit in UTF-8, and the page's fields
OUT_OF_DATE = ("the workspace was restarted, or this page is not from it: reload the page "
               "(copy your text first: it is kept in the box below)")


class Guard(BaseHTTPMiddleware):
    """Host, reviewer, origin and form key, checked before any route sees the request; the
    size of what it sends; and the headers that keep pages out of frames and scripts out of
    pages, on every answer."""

    async def dispatch(self, request: Request, call_next) -> Response:
        return _with_safety_headers(await self._checked(request, call_next))

    async def _checked(self, request: Request, call_next) -> Response:
        workspace = request.app.state.workspace
        hosts = request.headers.getlist("host")
        if len(hosts) != 1 or "," in hosts[0]:
            return refused(request, 400, "one Host header naming one host is needed")
        host = _host_name(hosts[0])
        if ANY_HOST not in workspace.allowed_hosts and host not in workspace.allowed_hosts:
            return forbidden(request, f"this workspace does not answer to the host name {host!r}; "
                                      "open the URL `reportmt review` printed (or start it with --allow-host)")
        identified = workspace.identities.identify(request)
        if identified.reviewer is None:
            return forbidden(request, identified.refusal)
        request.state.reviewer = identified.reviewer
        if identified.token and request.query_params.get("token") and request.method in SAFE_METHODS:
            return _signed_in(request, identified.token)
        if request.method not in SAFE_METHODS:
            if not _same_origin(request):
                return forbidden(request, "a change must come from a page of this workspace "
                                          "(cross-site request refused)")
            if (too_large := _too_large(request)) is not None:
                return too_large
            await request.body()  # read whole first: Starlette then hands the same body to the route
            try:
                form = await request.form(max_fields=MAX_FORM_FIELDS)
            except HTTPException as error:  # a form Starlette cannot read: too many fields, a broken body
                return refused(request, 400, f"the form cannot be read: {error.detail}")
            form_key = request.headers.get(FORM_KEY_HEADER) or str(form.get(FORM_KEY_FIELD, ""))
            if not same_secret(form_key, workspace.form_key):
                return forbidden(request, OUT_OF_DATE)
        return await call_next(request)


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def forbidden(request: Request, message: str) -> Response:
    """A 403 the reviewer reads: JSON for the page's script (which shows it beside the
    text being saved), plain text otherwise."""
    if wants_json(request):
        return JSONResponse({"error": message, "reload": True}, status_code=403)
    return PlainTextResponse(f"403: {message}", 403)


def refused(request: Request, status: int, message: str) -> Response:
    """A refusal in words, before any route: JSON for the page's script, plain text otherwise."""
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(f"{status}: {message}", status)


def _too_large(request: Request) -> Response | None:
    try:
        length = int(request.headers.get("content-length", "0"))
    except ValueError:
        return refused(request, 400, "the Content-Length header is not a number")
    if length > MAX_REQUEST_BYTES:
        return refused(request, 413, f"the request is {length:,} bytes; the workspace takes at most "
                                     f"{MAX_REQUEST_BYTES:,} (an English side of at most {MAX_EDIT_CHARS:,} "
                                     "characters)")
    return None


def _signed_in(request: Request, token: str) -> Response:
    """A sign-in link: the token goes into the cookie, and the browser to the same address
    without it, so that it stays in neither the address bar nor the history."""
    query = urlencode([(key, value) for key, value in request.query_params.multi_items() if key != "token"])
    response = RedirectResponse(request.url.path + (f"?{query}" if query else ""), status_code=303)
    response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
    return response


_SAFETY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def _with_safety_headers(response: Response) -> Response:
    for name, value in _SAFETY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


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
