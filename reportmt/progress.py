"""Progress of a run's phases, for whoever shows it.

The flow starts phases and its steps advance them by key; the command line decides
whether anything is shown (a rich progress bar when it runs on a terminal). With no
display set, as in scheduled runs or on a Dask worker, every call is a no-op, so the
same code runs everywhere and a key is all a step needs to carry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar

T = TypeVar("T")

READ = "read"
TRANSLATE = "translate"
WRITE = "write"


class Display(Protocol):
    """What rich.progress.Progress offers."""

    def add_task(self, description: str, *, total: float | None) -> int: ...

    def advance(self, task_id: int, advance: float) -> None: ...

    def update(self, task_id: int, *, completed: float) -> None: ...


_display: Display | None = None
_phases: dict[str, int] = {}


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


def start(key: str, description: str, total: int) -> None:
    if _display is not None:
        _phases[key] = _display.add_task(description, total=total)


def advance(key: str, amount: float = 1) -> None:
    if _display is not None and key in _phases:
        _display.advance(_phases[key], amount)


def reach(key: str, completed: float) -> None:
    """Set how much of the phase is done (after steps that may have run where no display is)."""
    if _display is not None and key in _phases:
        _display.update(_phases[key], completed=completed)


def counted(key: str, items: Iterable[T]) -> Iterator[T]:
    """``items``, advancing the phase by one for each."""
    for item in items:
        yield item
        advance(key)
