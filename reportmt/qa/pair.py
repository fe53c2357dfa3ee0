"""A translation as the checks read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pair:
    """A source sentence and its English."""

    src_lang: str
    source: str
    english: str  # the final English: normalized, or a reviewer's
    raw: str | None = None  # the engine's output, before the glossary; None for a reviewer's English
