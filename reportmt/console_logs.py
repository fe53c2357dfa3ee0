"""Prefect's log lines on a terminal, one line each: a failed run ends in one clear line,
not a traceback (the Prefect API keeps it: the run's logs in the UI and the server log
have it whole)."""

from __future__ import annotations

import logging
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
    """A task ended by the signal that stops its cancelled run is said as what it is: the run
    was stopped on purpose (`reportmt serve` stopping, a cancellation), not an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and "aborted by a termination signal" in record.getMessage():
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


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
