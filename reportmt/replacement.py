"""A corpus-wide replacement in the English, as the review workspace previews and applies it:
one definition, so that what the preview shows is what is saved. It matches whole words by
default ("the" is not the "the" of "their"), as written unless told to ignore case, and puts
the replacement in literally."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Replacement:
    find: str
    replacement: str
    whole_words: bool = True
    ignore_case: bool = False

    @cached_property
    def _pattern(self) -> re.Pattern:
        text = re.escape(self.find)
        if self.whole_words:
            text = rf"(?<!\w){text}(?!\w)"
        return re.compile(text, re.IGNORECASE if self.ignore_case else 0)

    def finds_in(self, english: str) -> bool:
        return bool(self.find) and self._pattern.search(english) is not None

    def applied_to(self, english: str) -> str:
        return self._pattern.sub(lambda _: self.replacement, english)
