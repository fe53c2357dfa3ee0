"""Work in batches sized by bytes: one task per batch of files, not per file, so that a
corpus of many short reports costs about what the same text in one file costs, and every
worker gets several batches (the work spreads evenly and progress moves)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

BATCHES_PER_WORKER = 8
BATCH_MIN_BYTES = 64 * 1024  # below this a task costs more to run than its work
BATCH_MAX_BYTES = 4 * 1024 * 1024


def batch_bytes(total_bytes: int, workers: int) -> int:
    """The size to aim at for each batch when ``workers`` share ``total_bytes``."""
    return min(BATCH_MAX_BYTES, max(BATCH_MIN_BYTES, total_bytes // (max(1, workers) * BATCHES_PER_WORKER)))


def batches_by_bytes(items: Sequence[T], size: Callable[[T], int], target: int) -> list[list[T]]:
    """``items`` in order, cut into batches of about ``target`` bytes (an item larger than
    that is a batch of its own)."""
    batches: list[list[T]] = []
    current: list[T] = []
    current_bytes = 0
    for item in items:
        if current and current_bytes + size(item) > target:
            batches.append(current)
            current, current_bytes = [], 0
        current.append(item)
        current_bytes += size(item)
    if current:
        batches.append(current)
    return batches
