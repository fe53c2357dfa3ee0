"""Prefect's log lines on a terminal, one line each: a failed run ends in one clear line,
not a traceback (the Prefect API keeps it: the run's logs in the UI and the server log
have it whole)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


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


def _said_in_one_line(record: logging.LogRecord) -> logging.LogRecord:
    """Said in one line, as what they are rather than as errors: a task ended by the signal
    that stops its cancelled run (`reportmt serve` stopping, a cancellation, Ctrl+C); and
    Prefect's background services and run observers losing the server for a while (their
    messages carry tracebacks of every attempt), which the run survives."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed log call: logging reports it when the record is emitted
        return record
    background = record.name == "asyncio" or record.name.startswith(_BACKGROUND) or record.name.endswith("Observer")
    if _TRACEBACK in message or _RECENT_ERRORS in message:
        first_line = message.split("\n", 1)[0]
        record.msg, record.args = (first_line[:_LONGEST] + " … " if len(first_line) > _LONGEST else first_line), ()
        record.msg += " (the details are left out here)"
    if background:
        record.exc_info = record.exc_text = None  # its traceback: on no handler, a file's included
    if record.levelno >= logging.ERROR and any(stopped in message for stopped in _STOPPED_ON_PURPOSE):
        record.levelno, record.levelname = logging.INFO, "INFO"
    elif record.levelno >= logging.ERROR and background:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return record


def _quiet_record_factory(make: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    """Every record of the process goes through ``_said_in_one_line`` as it is made, so that
    a handler added later (Prefect configures some of its own) prints it in one line too."""
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _said_in_one_line(make(*args, **kwargs))
    factory.quiet = True  # type: ignore[attr-defined]
    return factory


_STOPPED_ON_PURPOSE = ("aborted by a termination signal", "aborted by an interrupt signal", "KeyboardInterrupt")
_TRACEBACK, _RECENT_ERRORS = "Traceback (most recent call last)", "Examples of recent errors"
_BACKGROUND = "prefect._internal"  # Prefect's services: events, logs
_LONGEST = 200  # characters of a message's first line kept (Prefect's services name the whole item)


def _service_loop_line(*parts: object) -> None:
    """What Prefect's service loops print (with print, not a logger) when the API is away:
    the first line as one warning; the tracebacks of every attempt and the blank lines not."""
    text = " ".join(str(part) for part in parts).strip()
    if text.startswith("Failed the last"):
        logging.getLogger("prefect._internal.services").warning(
            "Prefect's observers lost the Prefect API for a while and are backing off; runs go on")


def _quiet_service_loops() -> None:
    from prefect.utilities import services

    defaults = services.critical_service_loop.__defaults__ or ()
    services.critical_service_loop.__defaults__ = tuple(
        _service_loop_line if default is print else default for default in defaults)


def strip_tracebacks() -> dict[logging.Handler, logging.Formatter | None]:
    """Make the terminal's log handlers print records without tracebacks, for the rest of the
    process (a flow run started by `reportmt serve`); returns the formatters they had."""
    loggers = [logging.root, *logging.root.manager.loggerDict.values()]  # placeholders have no handlers
    handlers = {h for logger in loggers for h in getattr(logger, "handlers", [])  # Prefect's console handlers and any
                if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)}  # other terminal
    _quiet_service_loops()
    if not getattr(logging.getLogRecordFactory(), "quiet", False):
        logging.setLogRecordFactory(_quiet_record_factory(logging.getLogRecordFactory()))
    formatters: dict[logging.Handler, logging.Formatter | None] = {handler: handler.formatter for handler in handlers}
    for handler in handlers:
        if not isinstance(handler.formatter, _WithoutTraceback):
            handler.setFormatter(_WithoutTraceback(handler.formatter))
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
