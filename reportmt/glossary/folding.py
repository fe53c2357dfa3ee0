"""Folding text for matching: case, whitespace runs, apostrophes and hyphens, with offsets."""

from __future__ import annotations

import re
from collections.abc import Sequence

_APOSTROPHES = {"\u2019", "\u2018", "\u02bc", "\u00b4", "`"}
_HYPHENS = {"\u2010", "\u2011"}
_TRANSLATION = str.maketrans({**{a: "'" for a in _APOSTROPHES}, **{h: "-" for h in _HYPHENS}})
_IRREGULAR_SPACE = re.compile(r"[^\S ]| {2,}")


def fold(text: str) -> tuple[str, Sequence[int]]:
    """Folded text and, for every folded character, its offset in the original.

    Most sentences fold character for character, which str.lower and str.translate do at C
    speed; only text with runs of whitespace, line breaks or case changes that alter length
    takes the character loop.
    """
    lowered = text.lower()
    if len(lowered) == len(text) and not _IRREGULAR_SPACE.search(text):
        return lowered.translate(_TRANSLATION), range(len(text))
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
        lowered = ch.lower()
        out.append((lowered if len(lowered) == 1 else ch).translate(_TRANSLATION))
        offsets.append(i)
    return "".join(out), offsets
