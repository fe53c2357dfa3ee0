"""Folding text for matching: case, whitespace runs, apostrophes and hyphens, with offsets."""

from __future__ import annotations

_APOSTROPHES = {"\u2019", "\u2018", "\u02bc", "\u00b4", "`"}
_HYPHENS = {"\u2010", "\u2011"}


def fold(text: str) -> tuple[str, list[int]]:
    """Folded text and, for every folded character, its offset in the original."""
    out: list[str] = []
    offsets: list[int] = []
    previous_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not previous_space:
                out.append(" ")
                offsets.append(i)
            previous_space = True
            continue
        previous_space = False
        if ch in _APOSTROPHES:
            ch = "'"
        elif ch in _HYPHENS:
            ch = "-"
        else:
            lowered = ch.lower()
            ch = lowered if len(lowered) == 1 else ch
        out.append(ch)
        offsets.append(i)
    return "".join(out), offsets
