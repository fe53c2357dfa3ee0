"""Prefect's log lines on a terminal, one line each: a failed run ends in one clear line,
not a traceback (the Prefect API keeps it: the run's logs in the UI and the server log
have it whole)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager


class _WithoutTraceback(logging.Formatter):
    """Another formatter's lines, without the traceback a record carries."""

    def __init__(self, inner: logging.Formatter | None):
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            return self.inner.format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved


class _StoppedIsNoError(logging.Filter):
    """Said as what they are, not as errors: a task ended by the signal that stops its
    cancelled run (`reportmt serve` stopping, a cancellation), and Prefect's observers of a
    run ending their polling when the server went away and came back (asyncio's "Exception
    in callback ...Observer..."), which the run survives."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.ERROR:
            return True
        message = record.getMessage()
        if "aborted by a termination signal" in message:
            record.levelno, record.levelname = logging.INFO, "INFO"
        elif record.name == "asyncio" and "Observer" in message:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        elif record.name.startswith("prefect._internal.concurrency") and (
                service := _FAILED_SERVICE.match(message)):
            # its message holds the item and tracebacks of every attempt: one line instead
            record.msg, record.args = (f"Prefect's {service[1]} could not reach the Prefect API (the server went "
                                       "away); what it was sending is lost, the run goes on"), ()
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


_FAILED_SERVICE = re.compile(r"Service '(\w+)' failed to process item")


def strip_tracebacks() -> dict[logging.Handler, logging.Formatter | None]:
    """Make Prefect's console handlers print records without tracebacks, for the rest of the
    process (a flow run started by `reportmt serve`); returns the formatters they had."""
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.root, *logging.root.manager.loggerDict.values()]  # placeholders have no handlers
    handlers = {h for logger in loggers for h in getattr(logger, "handlers", []) if isinstance(h, PrefectConsoleHandler)}
    formatters = {handler: handler.formatter for handler in handlers}
    for handler in handlers:
        if not isinstance(handler.formatter, _WithoutTraceback):
            handler.setFormatter(_WithoutTraceback(handler.formatter))
        if not any(isinstance(f, _StoppedIsNoError) for f in handler.filters):
            handler.addFilter(_StoppedIsNoError())
    return formatters


@contextmanager
def log_lines_without_tracebacks() -> Iterator[None]:
    """As strip_tracebacks, for the block only."""
    formatters = strip_tracebacks()
    try:
        yield
    finally:
        for handler, formatter in formatters.items():
            handler.setFormatter(formatter)
