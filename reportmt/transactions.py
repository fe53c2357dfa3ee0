"""One write transaction on a SQLite connection opened with ``isolation_level=None``
(the catalog, the reviewers' store, the review index): taken at once, so that what it reads
cannot change before it writes, and whole or not at all.

It lives in ``reportmt.sqlite`` with the rest of how reportmt opens SQLite; this name
stays for the code that imports it from here."""

from __future__ import annotations

from .sqlite import immediate_transaction

__all__ = ["immediate_transaction"]
