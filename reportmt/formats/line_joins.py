"""The lines of a paragraph joined as the author wrote them. A hyphen at a line's end is
undone when it only breaks a word ("Verwaltungs-" "reform"), kept when the text has it
("Bezirks- und Stadtkomitees", "Anti-" "Korruption", and "anti-" "corruption" where the
document writes "anti-corruption" inside a line). A soft hyphen (read as NUL) always
breaks a word."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from .blocks import clean_text

_KEEP_HYPHEN_BEFORE = frozenset("und oder bis bzw sowie et ou and or to".split())
_ADDRESS = re.compile(r"://|^www\.|/|@")  # a web address or a path: its hyphens are characters, not breaks
_PUNCTUATION = ".,;:!?()[]\"'«»„“”‘’"


def joined(texts: list[str], hyphenated: AbstractSet[str]) -> str:
    """The lines ``texts`` as one paragraph; ``hyphenated``: the words the document writes
    with a hyphen inside a line."""
    text = texts[0]
    for following in texts[1:]:
        text = join(text, following, hyphenated)
    return clean_text(text.replace("\x00", ""))


def join(left: str, right: str, hyphenated: AbstractSet[str] = frozenset()) -> str:
    """Two lines of one paragraph."""
    if left.endswith("\x00"):  # a soft hyphen: always a break
        return left[:-1] + right
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        following = right.split(" ", 1)[0].lower().strip(",.;")
        if following in _KEEP_HYPHEN_BEFORE:
            return f"{left} {right}"  # "Bezirks- und Stadtkomitees"
        word = _word_across(left, right)
        if right[:1].islower() and word not in hyphenated and not _ADDRESS.search(word):
            return left[:-1] + right  # "Verwaltungs-" "reform"
        return left + right  # "Anti-" "Korruption"
    return f"{left} {right}"


def _word_across(left: str, right: str) -> str:
    """The hyphenated word a line end breaks, as the document would write it in one line."""
    return (left.rsplit(" ", 1)[-1] + right.split(" ", 1)[0]).strip(_PUNCTUATION).lower()
