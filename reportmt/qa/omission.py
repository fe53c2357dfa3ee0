"""Dropped text: an empty output, an output much shorter than its source (the floor is set
per language pair on the project's own pairs, tests/data/qa), one that stops part-way, or
one that lost the source's condition or reason ("Si le temps le permet, …", "weil …") with
no word of English for either, or one whose lists are all shorter than the source's longest."""

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
# A list: items joined by commas, the last by a conjunction ("Eltern, Lehrkräfte, Schulleitungen
# und Vertreter"). Items are short; a part that starts a clause ends the list.
_CONJUNCTION = {"de": r"und|oder|sowie", "fr": r"et|ou|ainsi que", "en": r"and|or|as well as"}
_LIST_END = {lang: re.compile(rf",?\s+(?:{words})\s+") for lang, words in _CONJUNCTION.items()}
_CLAUSE_WORDS = {
    "de": frozenset("die der das dem den des dessen deren welche welcher dass weil wenn ob wie als da wo".split()),
    "fr": frozenset("qui que qu dont où lorsque lorsqu quand si car parce puisque".split()),
    "en": frozenset("which who whom whose that where when because if as while".split()),
}
_ITEM_COMMA = re.compile(r",\s+")  # not a decimal comma ("1,5")
_DIGIT = re.compile(r"\d")
ITEM_WORDS = 6  # words in a list item at most
LIST_ITEMS = 3  # a list this long that the English shortens lost an item

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
    if lost := _clause_lost(pair) or _list_shortened(pair):
        return [lost]
    doublet = _DOUBLET.get(pair.src_lang)
    ratio = len(english) / len(doublet.sub(r"\1", source) if doublet else source)
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


def _list_shortened(pair: Pair) -> str | None:
    """A list of the source with more items than any list of the English."""
    theirs = _longest_list(pair.source, pair.src_lang)
    if theirs < LIST_ITEMS:
        return None
    ours = _longest_list(pair.english, "en")
    return f"a list of {theirs} items has {ours}" if ours < theirs else None


def _longest_list(text: str, lang: str) -> int:
    longest = 0
    for end in _LIST_END[lang].finditer(text):
        items = 1  # the one after the conjunction
        parts = _ITEM_COMMA.split(text[:end.start()])
        for index, part in reversed(list(enumerate(parts))):
            words = part.split()
            # The first part holds the sentence's head as well ("Befragt wurden Eltern"): any length.
            too_long = len(words) > ITEM_WORDS and not (index == 0 and items >= 2)
            if not words or too_long or words[0].lower().strip("'’") in _CLAUSE_WORDS[lang] or _DIGIT.search(part):
                break  # a clause, or figures: the number checks see those
            items += 1
            if any(stop in part for stop in ";:()"):
                break
        longest = max(longest, items)
    return longest
