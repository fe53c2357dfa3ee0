"""Dropped text: an empty output, an output much shorter than its source (the floor is set
per language pair on the project's own pairs, tests/data/qa), one that stops part-way, or
one that lost the source's condition or reason ("Si le temps le permet, …", "weil …") with
no word of English for either."""

from __future__ import annotations

import re

from .pair import Pair

# English characters per source character below which text is missing. The correct pairs
# of 60 characters or more in tests/data/qa run from 0.64 to 1.17 (German, 43 pairs) and
# from 0.71 to 1.11 (French, 28 pairs).
RATIO_FLOOR = {"de": 0.6, "fr": 0.58}
MIN_SOURCE_CHARS = 60  # shorter lines (names, headings, figures) vary too much
PART_WAY = 0.85  # an English that lacks the source's final stop and is this much shorter stopped part-way
_SENTENCE_STOPS = ".!?…"
# Both genders named, as German reports do ("Mitarbeiterinnen und Mitarbeiter"), where English
# names one ("staff"): counted once.
_DOUBLET = {"de": re.compile(r"(?<!\w)(\w+)innen und \1(?:n|en)?(?!\w)")}
_CLAUSE_START = r"(?:^|[,;:(–]\s*)"
# A condition or a reason in the source, and the English words any rendering of it needs.
_CLAUSES = {
    "condition": ({"de": rf"{_CLAUSE_START}(?:wenn|falls|sofern|soweit)(?!\w)",
                   "fr": rf"{_CLAUSE_START}(?:si|s['’]ils?|à condition|pour autant qu)(?!\w)"},
                  r"if|unless|provided|providing|should|in case|as long as|subject to|permitting|permits|depending|"
                  r"where|when|whenever|otherwise|assuming|condition|conditions|conditional"),
    "reason": ({"de": rf"{_CLAUSE_START}(?:weil|da)(?!\w)|(?<!\w)(?:aufgrund|wegen|infolge|mangels)(?!\w)",
                "fr": rf"{_CLAUSE_START}(?:parce qu|car|puisqu|étant donné)|(?<!\w)(?:en raison d|à cause d|faute d|"
                      rf"pour des raisons|grâce à)"},
               r"because|since|as|due|owing|given|for|thanks|reason|reasons|so|therefore|consequently|through|"
               r"lack|lacking|after|following|view|result|caused|led"),
}
_SOURCE_CLAUSE = {(name, lang): re.compile(pattern, re.IGNORECASE)
                  for name, (patterns, _) in _CLAUSES.items() for lang, pattern in patterns.items()}
_ENGLISH_FOR = {name: re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE) for name, (_, words) in _CLAUSES.items()}
_CLOSERS = "\"'”»)]"


def omission(pair: Pair) -> list[str]:
    """What is missing from the English."""
    source, english = pair.source, pair.english
    if not english.strip():
        return ["empty"] if source.strip() else []
    if len(source) < MIN_SOURCE_CHARS:
        return []
    if lost := _clause_lost(pair):
        return [lost]
    ratio = len(english) / len(_DOUBLET[pair.src_lang].sub(r"\1", source)) if pair.src_lang in _DOUBLET else len(
        english) / len(source)
    if ratio < RATIO_FLOOR.get(pair.src_lang, 0.5):
        return [f"{ratio:.2f} of the source's length"]
    if _ends_a_sentence(source) and not _ends_a_sentence(english) and ratio < PART_WAY:
        return ["stops part-way"]
    return []


def _ends_a_sentence(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _SENTENCE_STOPS


def _clause_lost(pair: Pair) -> str | None:
    for name in _CLAUSES:
        said = _SOURCE_CLAUSE.get((name, pair.src_lang))
        if said and (found := said.search(pair.source)) and not _ENGLISH_FOR[name].search(pair.english):
            return f"the {name} ({found[0].strip(' ,;:(–')})"
    return None
