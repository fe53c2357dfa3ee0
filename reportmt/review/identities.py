"""Who is making a request to the review workspace, so that every edit, acceptance and
comment records its reviewer. Three ways, chosen when the workspace starts:

- one reviewer (``--reviewer``): everyone who can reach the workspace is that name; off
  loopback the workspace's access token is needed;
- reviewer tokens (``--users FILE``): each reviewer has a token of their own; the file
  holds only the tokens' sha256 (tokens are random, so a fast hash is enough, as for API
  tokens), so reading it gives no one a way in. `reportmt reviewers add NAME` makes one;
- a trusted reverse proxy (``--reviewer-header NAME``): the proxy authenticates and names
  the reviewer in a header. Only for a workspace that nothing but the proxy can reach.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from starlette.requests import Request

from ..atomic import atomic_write_text
from ..errors import ReportmtError

TOKEN_COOKIE = "reportmt_token"
TOKEN_HEADER = "x-reportmt-token"
HASH_PREFIX = "sha256:"
REVIEWER_NAME = re.compile(r"^[\w.@-]{1,64}$")  # a name shown on pages and stored with every edit


class UsersFileError(ReportmtError):
    """A users file that cannot be read or written; the message names it."""


def supplied_tokens(request: Request) -> list[str]:
    """The tokens a request carries, the first that identifies winning: a header (a
    script), the browser's cookie, then the URL (a sign-in link). A link therefore never
    replaces the reviewer a browser is already signed in as."""
    candidates = (request.headers.get(TOKEN_HEADER), request.cookies.get(TOKEN_COOKIE),
                  request.query_params.get("token"))
    return [token for token in candidates if token]


def same_secret(supplied: str, expected: str) -> bool:
    """Constant-time comparison of secrets, as bytes (any text a client sends)."""
    return hmac.compare_digest(supplied.encode("utf-8", "surrogateescape"), expected.encode("utf-8"))


def token_hash(token: str) -> str:
    return HASH_PREFIX + hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass(frozen=True)
class Identified:
    """The outcome for one request: the reviewer's name, or why there is none."""

    reviewer: str | None
    refusal: str = ""
    token: str | None = None  # the token to keep in the browser's cookie, when it came in the URL


class Identities(Protocol):
    def identify(self, request: Request) -> Identified: ...


class OneReviewer:
    """Everyone who reaches the workspace is ``name``; ``token`` (off loopback) is needed."""

    def __init__(self, name: str, token: str | None):
        self.name, self.token = name, token

    def identify(self, request: Request) -> Identified:
        if self.token and not any(same_secret(supplied, self.token) for supplied in supplied_tokens(request)):
            return Identified(None, "this workspace needs its access token: open the URL `reportmt review` printed")
        return Identified(self.name, token=self.token)


class ReviewerTokens:
    """Each reviewer's own token, checked against the hashes of a users file."""

    def __init__(self, users_file: Path):
        self.users_file = users_file
        self.hashes, self.read_at = read_users(users_file), _changed_at(users_file)
        if not self.hashes:
            raise UsersFileError(f"{users_file}: no reviewer in it",
                                 f"add one with `reportmt reviewers add NAME --users {users_file}`")

    def identify(self, request: Request) -> Identified:
        for supplied in supplied_tokens(request):
            digest = token_hash(supplied)
            # Every hash is compared, in constant time each, so the time taken says nothing of who matched.
            matches = [name for name, stored in sorted(self._current().items()) if same_secret(digest, stored)]
            if matches:
                return Identified(matches[0], token=supplied)
        return Identified(None, "this workspace needs your reviewer token: open the URL you were given "
                                "(`reportmt reviewers add NAME` makes one)")

    def _current(self) -> dict[str, str]:
        """The file as it is now: a reviewer added or removed counts from the next request.
        A file that no longer reads lets no one in until it does (a removal is never undone)."""
        changed_at = _changed_at(self.users_file)
        if changed_at != self.read_at:
            try:
                self.hashes = read_users(self.users_file)
            except UsersFileError:
                self.hashes = {}
            self.read_at = changed_at
        return self.hashes


def _changed_at(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


class ProxyHeader:
    """The reviewer named by a trusted reverse proxy in ``header``."""

    def __init__(self, header: str):
        self.header = header.lower()

    def identify(self, request: Request) -> Identified:
        name = request.headers.get(self.header, "").strip()
        if not REVIEWER_NAME.match(name):
            return Identified(None, f"no reviewer named in the {self.header} header: open the workspace through its proxy")
        return Identified(name)


def read_users(users_file: Path) -> dict[str, str]:
    """Reviewer name -> token hash, from a users file (none when it does not exist yet)."""
    if not users_file.exists():
        return {}
    try:
        users = json.loads(users_file.read_text(encoding="utf-8"))["reviewers"]
        if not all(REVIEWER_NAME.match(name) and str(digest).startswith(HASH_PREFIX) for name, digest in users.items()):
            raise ValueError("a name or a hash is malformed")
        return dict(users)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise UsersFileError(f"{users_file}: not a reviewers file ({exc})",
                             "fix it, or remove it and add the reviewers again with `reportmt reviewers add`") from exc


def add_reviewer(users_file: Path, name: str) -> str:
    """A new token for ``name`` (replacing any it had); only its hash is stored. Returns the token."""
    if not REVIEWER_NAME.match(name):
        raise UsersFileError(f"{name!r} is not a reviewer name", "use letters, digits, '.', '_', '@' or '-' (at most 64)")
    users = read_users(users_file)
    token = secrets.token_urlsafe(24)
    users[name] = token_hash(token)
    _write_users(users_file, users)
    return token


def remove_reviewer(users_file: Path, name: str) -> None:
    users = read_users(users_file)
    if users.pop(name, None) is None:
        raise UsersFileError(f"{users_file}: no reviewer named {name!r}", "see `reportmt reviewers list`")
    _write_users(users_file, users)


def _write_users(users_file: Path, users: dict[str, str]) -> None:
    users_file.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(users_file, json.dumps({"reviewers": dict(sorted(users.items()))}, indent=2) + "\n")
    users_file.chmod(0o600)  # hashes only, but nobody else's business
