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
