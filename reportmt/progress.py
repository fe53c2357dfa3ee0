"""Progress of a run's phases, for whoever shows it.

The flow starts phases and its steps advance them by key; the command line decides
whether anything is shown (a rich progress bar when it runs on a terminal). With no
display set, as in scheduled runs or on a Dask worker, every call is a no-op, so the
same code runs everywhere and a key is all a step needs to carry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, TypeVar

T = TypeVar("T")

READ = "read"
TRANSLATE = "translate"
WRITE = "write"


class Display(Protocol):
    """What rich.progress.Progress offers."""

    def add_task(self, description: str, *, total: float | None) -> int: ...

    def advance(self, task_id: int, advance: float) -> None: ...

    def update(self, task_id: int, *, completed: float | None = None, description: str | None = None) -> None: ...


_display: Display | None = None
_phases: dict[str, int] = {}
_descriptions: dict[str, str] = {}


@contextmanager
def shown_on(display: Display) -> Iterator[None]:
    """Phases started inside the block appear on ``display``."""
    global _display
    _display = display
    try:
        yield
    finally:
        _display = None
        _phases.clear()
        _descriptions.clear()


def start(key: str, description: str, total: int) -> None:
    if _display is not None:
        _phases[key] = _display.add_task(description, total=total)
        _descriptions[key] = description


def advance(key: str, amount: float = 1) -> None:
    if _display is not None and key in _phases:
        _display.advance(_phases[key], amount)


def reach(key: str, completed: float) -> None:
    """Set how much of the phase is done (after steps that may have run where no display is)."""
    if _display is not None and key in _phases:
        _display.update(_phases[key], completed=completed)


def note(key: str, detail: str | None) -> None:
    """Show ``detail`` beside the phase's description (None: the description alone)."""
    if _display is not None and key in _phases:
        _display.update(_phases[key], description=f"{_descriptions[key]} ({detail})" if detail else _descriptions[key])


@dataclass(frozen=True)
class Reading:
    """What reading a file reports as it goes: its bytes, and the page it has reached in a
    format with pages (a PDF's bytes are shared out over its pages)."""

    key: str = READ

    def bytes_read(self, count: int) -> None:
        advance(self.key, count)

    def page_reached(self, name: str, page: int | None, pages: int) -> None:
        """``page`` of ``pages`` of the file ``name`` is being read; None: the file is done."""
        note(self.key, f"{name}: page {page} of {pages}" if page else None)


def counted(key: str, items: Iterable[T]) -> Iterator[T]:
    """``items``, advancing the phase by one for each."""
    for item in items:
        yield item
        advance(key)
