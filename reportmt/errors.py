"""The root of every error a user can act on.

Each says what went wrong, naming the file where there is one, and ``action``, what to
do about it. The command line catches this one class and prints both in one or two lines,
never a traceback; the code below it raises a subclass for its own concern (a source file,
a package, the glossary, the corpus on disk, an engine, the Prefect API).
"""

from __future__ import annotations


class ReportmtError(Exception):
    def __init__(self, message: str, action: str = ""):
        super().__init__(message)
        self.action = action


class DocumentNotFound(ReportmtError, KeyError):
    """No document of that id in the snapshot read (a document a run removed, or a wrong id).

    A KeyError too: ``Corpus.entry``, ``metadata`` and ``records(doc=...)`` raised KeyError
    for an unknown id before this class existed, and users' code catching it keeps working.
    Inside reportmt, catch this class, never KeyError: a KeyError from a malformed record is
    a fault to report, not a document gone."""

    def __init__(self, doc_id: str, message: str, action: str = ""):
        super().__init__(message, action)
        self.doc_id = doc_id

    def __str__(self) -> str:
        return str(self.args[0])  # the message as it is (KeyError's own str() would quote it)


class MalformedData(ReportmtError, ValueError):
    """Stored data (a record, a catalog row, an item of a snapshot's info) that lacks a field
    its type needs or holds one of the wrong type: a fault of the file, named by the message,
    never read as something absent."""
