"""Word-level differences between two English texts, marked for a page: what the second
removed in <del>, what it added in <ins>, everything escaped."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from markupsafe import Markup, escape

_WORDS = re.compile(r"\s+|[^\s]+")  # words and the spaces between them, so the text joins back whole


# SequenceMatcher's cost grows with the product of the two texts' lengths: beyond this many
# word pairs between the common start and end, the middle is shown as replaced whole.
MAX_DIFF_WORK = 1_000_000


def word_diff(before: str, after: str) -> Markup:
    """``after`` as a change of ``before``: removed words struck, added words marked. The
    common start and end are kept as they are, in linear time, and a middle too long to
    compare word by word is shown removed and added whole."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_middle, new_middle = old[head:len(old) - tail], new[head:len(new) - tail]
    parts = [escape("".join(new[:head]))]
    if len(old_middle) * len(new_middle) > MAX_DIFF_WORK:
        parts += _changed(old_middle, new_middle)
    else:
        matcher = SequenceMatcher(None, old_middle, new_middle, autojunk=False)
        for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
            if operation == "equal":
                parts.append(escape("".join(new_middle[new_start:new_end])))
            else:
                parts += _changed(old_middle[old_start:old_end], new_middle[new_start:new_end])
    parts.append(escape("".join(new[len(new) - tail:])))
    return Markup("").join(parts)


def _changed(removed: list[str], added: list[str]) -> list[Markup]:
    marked = [Markup("<del>{}</del>").format("".join(removed))] if removed else []
    return marked + ([Markup("<ins>{}</ins>").format("".join(added))] if added else [])


def changes_from_engine(mt_text: str | None, english: str) -> Markup | None:
    """What ``english`` changed of the engine's output; None when it changed nothing, or
    when there is no engine output (an English source)."""
    return word_diff(mt_text, english) if mt_text not in (None, english) else None
