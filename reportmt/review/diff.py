"""Word-level differences between two English texts, marked for a page: what the second
removed in <del>, what it added in <ins>, everything escaped."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from markupsafe import Markup, escape

_WORDS = re.compile(r"\s+|[^\s]+")  # words and the spaces between them, so the text joins back whole


def word_diff(before: str, after: str) -> Markup:
    """``after`` as a change of ``before``: removed words struck, added words marked."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    parts = []
    for operation, old_start, old_end, new_start, new_end in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(new[new_start:new_end])))
            continue
        if old_end > old_start:
            parts.append(Markup("<del>{}</del>").format("".join(old[old_start:old_end])))
        if new_end > new_start:
            parts.append(Markup("<ins>{}</ins>").format("".join(new[new_start:new_end])))
    return Markup("").join(parts)


def changes_from_engine(mt_text: str | None, english: str) -> Markup | None:
    """What ``english`` changed of the engine's output; None when it changed nothing, or
    when there is no engine output (an English source)."""
    return word_diff(mt_text, english) if mt_text not in (None, english) else None
