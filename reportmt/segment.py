"""Sentence splitting: clear boundaries by rule, pysbd (German, French and English rule
sets) for every paragraph with a boundary that is not clear.

Most boundaries in reports are plain: a word, a full stop, a space, a capital letter.
Deciding those by rule is two orders of magnitude faster than pysbd, and pysbd agrees with
them. The text between two plain boundaries that holds a doubtful one (a stop after an
abbreviation, a number or a short capitalized word, an ellipsis, a digit or an opening
quote next) goes to pysbd. On the sentence-boundary test set (tests/data/segmentation)
the result must score at least what pysbd alone scores.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import cache

import pysbd
from pysbd.languages import Language

from .languages import SUPPORTED

# pysbd splits after these before a number ("Cluster No. II", "Nr. 5", "p. 12", "approx.
# 300", "Jan. 2024", "Tab. 1", "Ziff. 4"); the abbreviation lists it ships do not cover them.
_NUMBER_WORDS = ("No|Nr|Nrn|Nos|p|pp|S|Art|Abs|art|n°|N°|approx|ca|env|Tab|Abb|Fig|fig|tab|Ziff|Zi|Kap|Bd|Anl|Rn|Rz|"
                 "vol|chap|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Okt|Nov|Dec|Dez")
_NUMBER_WORD = frozenset(_NUMBER_WORDS.split("|"))
_STARTS_WITH_NUMBER = re.compile(r"\d|[IVXLC]+\b")  # used with match(): anchored where it starts
_ELIDED = re.compile(r"^(?:\w+['’]|[(\[\"'“„‘«]+)")

# A sentence-final mark, any closing quotes or brackets (French "» " after a space), and
# the space after them.
_CLOSERS = r"(?:[\"'“”‘’»)\]]|[ \u00a0\u202f]»)*"
_CANDIDATE = re.compile(rf"(?P<mark>[.!?…]+)(?P<close>{_CLOSERS})\s+")
# How a sentence ends: its mark, then any closing quotes or brackets.
_SENTENCE_END = re.compile(rf"[.!?…:;]{_CLOSERS}$")
# Titles that a name follows: pysbd ends sentences after some of them ("Hrn. | Wang").
_TITLES = frozenset("Hr Hrn Fr MM Mme Mmes Mlle Dr Prof Mr Mrs Ms Gen Sen St".split())
# Short words before a full stop that end no sentence in reports, beyond pysbd's lists.
_EXTRA_ABBREVIATIONS = {"approx", "ca", "env", "bzw", "usw", "vgl", "cf", "hr", "hrn", "fr", "mm", "mme", "mmes", "mlle", "gen",
                        "sen", "st", "prof", "mrs", "ms", "rep", "gov", "col", "capt", "lt", "sgt", "jan", "feb", "mar", "apr",
                        "jun", "jul", "aug", "sep", "sept", "oct", "okt", "nov", "dec", "dez", "tab", "abb", "fig", "ziff",
                        "zi", "kap", "anl", "rn", "rz", "vol", "chap", "hab"}

SEGMENT_WINDOW = 10_000
# A "sentence" longer than this (a line without punctuation) is cut into several, so that a
# record stays usable in every export (Moses tools drop sentences over 80 to 100 tokens) and
# each piece is translated whole (about 130 to 170 SentencePiece tokens, under the 250 an
# engine input may have). The cut falls at a clause boundary in the last CLAUSE_SPAN words
# before the limit when there is one, else after the limit's word.
MAX_SENTENCE_WORDS = 100
CLAUSE_SPAN = 40
_CLAUSE_MARKS = (";", ":", ",")  # after these, strongest first; then before a conjunction
_CONJUNCTIONS = frozenset("und oder aber sowie sondern denn doch et ou mais donc car ni and or but while whereas nor".split())
_WORD = re.compile(r"\S+")

_per_thread = threading.local()


def _segmenter(lang: str) -> pysbd.Segmenter:
    """pysbd keeps the text being split on the Segmenter, so each thread needs its own."""
    segmenters = _per_thread.__dict__.setdefault("segmenters", {})
    if lang not in segmenters:
        segmenters[lang] = pysbd.Segmenter(language=lang, clean=False)
    return segmenters[lang]


def split_sentences(paragraph: str, lang: str) -> list[str]:
    """Sentences of one paragraph, stripped; joined with spaces they give back the paragraph."""
    text = paragraph.strip()
    lang = lang if lang in SUPPORTED else "en"
    sentences: list[str] = []
    for start, end, clear in _stretches(text, lang):
        for piece in [text[start:end]] if clear else _split_with_pysbd(text[start:end].strip(), lang):
            _append(sentences, piece.strip())
    return [piece for sentence in sentences for piece in cut_long_sentence(sentence)]


def cut_long_sentence(sentence: str) -> list[str]:
    """``sentence`` in pieces of at most MAX_SENTENCE_WORDS words (itself when it is not
    longer). Each cut is at the strongest clause boundary among the last CLAUSE_SPAN words
    of a piece (after ";", then ":", then ",", then before a conjunction; the latest of the
    strongest), else after the piece's last word. Deterministic; joined with spaces the
    pieces give back the sentence."""
    words = [match.span() for match in _WORD.finditer(sentence)]
    pieces, first = [], 0
    while len(words) - first > MAX_SENTENCE_WORDS:
        last = _clause_end(sentence, words, first)
        pieces.append(sentence[words[first][0] : words[last][1]])
        first = last + 1
    pieces.append(sentence[words[first][0] : words[-1][1]] if first else sentence)
    return pieces


def _clause_end(sentence: str, words: list[tuple[int, int]], first: int) -> int:
    """The index of the last word of the piece that starts at word ``first``."""
    limit = first + MAX_SENTENCE_WORDS - 1
    best: tuple[int, int] | None = None  # (strength rank, word index)
    for index in range(limit, limit - CLAUSE_SPAN, -1):
        word = sentence[words[index][0] : words[index][1]]
        following = sentence[words[index + 1][0] : words[index + 1][1]].lower()
        rank = next((r for r, mark in enumerate(_CLAUSE_MARKS) if word.endswith(mark)),
                    len(_CLAUSE_MARKS) if following in _CONJUNCTIONS else None)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, index)
    return best[1] if best else limit


def _stretches(text: str, lang: str) -> Iterator[tuple[int, int, bool]]:
    """The text cut at its clear sentence boundaries: (start, end, clear) where ``clear``
    says the stretch is one sentence, and False that it holds a boundary only pysbd can
    decide."""
    abbreviations = _abbreviations(lang)
    start, clear = 0, True
    for candidate in _CANDIDATE.finditer(text):
        end = candidate.end()
        if end == len(text):
            break
        mark, following = candidate["mark"], text[end]
        if mark not in (".", "?", "!", "?!", "!!", "??"):
            clear = False  # an ellipsis, "?.", "...": pysbd knows these
        elif following.islower() and mark == "." and not candidate["close"]:
            continue  # "e.g. the", "U.S. delegation": no sentence starts in lowercase
        elif mark == "." and _STARTS_WITH_NUMBER.match(text, end) and _word_before(text, candidate.start()) in _NUMBER_WORD:
            continue  # "No. II", "Art. 5"
        elif not following.isupper():
            clear = False  # a digit, an opening quote or bracket, lowercase after "?", "!" or a quote
        elif mark == "." and not _ends_a_sentence(text, candidate.start(), abbreviations):
            clear = False
        else:
            yield start, end, clear
            start, clear = end, True
    yield start, len(text), clear


def _ends_a_sentence(text: str, stop: int, abbreviations: frozenset[str]) -> bool:
    """Whether the word before the full stop at ``stop`` is a plain word, not a possible
    abbreviation, initial, title or ordinal."""
    word = _word_before(text, stop)
    if word.isdigit() and len(word) == 4:
        return True  # a year: "in 2024. The"
    if word.isdigit() and _word_before(text, stop - len(word) - 2) in _NUMBER_WORD and text[stop - len(word) - 2] == ".":
        return True  # a numbered thing, no ordinal: "auf S. 14. Der", "in Art. 5. Il"
    if len(word) < 2 or not word.replace("-", "").isalpha():
        return False  # "21", "u.a", "(see", "A": an ordinal, abbreviation or initial
    if word[0].isupper() and len(word) == 2:
        return False  # "Dr", "Mr", "St", "EU": titles and acronyms
    return word.lower() not in abbreviations  # "Prof", "Mrs", "approx", "vgl"


def _word_before(text: str, stop: int) -> str:
    """The word that ends at ``stop``, without an elided article ("l'art" is "art") or an
    opening bracket or quote."""
    word = text[text.rfind(" ", 0, stop) + 1 : stop]
    return _ELIDED.sub("", word)


@cache
def _abbreviations(lang: str) -> frozenset[str]:
    rules = Language.get_language_code(lang).Abbreviation
    return frozenset(a.lower() for a in rules.ABBREVIATIONS) | _EXTRA_ABBREVIATIONS


def _split_with_pysbd(text: str, lang: str) -> list[str]:
    """pysbd only proposes where sentences start: the sentences are cut from the original
    text, because pysbd's own output can drop or alter characters ("?.!!" becomes "?.").
    pysbd's time grows faster than the text, so a long paragraph is given to it in windows
    of SEGMENT_WINDOW characters; the last sentence of a window is segmented again at the
    start of the next one, since it may go on past the window's end."""
    segmenter = _segmenter(lang)
    sentences: list[str] = []
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= SEGMENT_WINDOW else _last_space(text, start, start + SEGMENT_WINDOW)
        starts = _sentence_starts(segmenter, text[start:end])
        if end < len(text) and len(starts) > 1:
            end = start + starts.pop()
        for piece_start, piece_end in zip(starts, [*starts[1:], end - start]):
            _append(sentences, text[start + piece_start : start + piece_end].strip())
        start = end
    return sentences


def _sentence_starts(segmenter: pysbd.Segmenter, text: str) -> list[int]:
    starts = [0]
    cursor = 0
    for piece in segmenter.segment(text):
        piece = piece.strip()
        position = text.find(piece, cursor) if piece else -1
        if position < 0:
            continue
        if position > starts[-1]:
            starts.append(position)
        cursor = position + len(piece)
    return starts


def _append(sentences: list[str], piece: str) -> None:
    if not piece:
        return
    if sentences and _goes_on(sentences[-1], piece):
        sentences[-1] = f"{sentences[-1]} {piece}"
    else:
        sentences.append(piece)


def _goes_on(previous: str, piece: str) -> bool:
    """Whether pysbd cut where no sentence ends: after a title ("Hrn. | Wang"), before a
    number after its abbreviation ("No. | II"), before a lowercase word ("31. Dez. | wurden",
    "d. | h."), or after no mark at all ("Im | 3. Quartal")."""
    if piece[:1].islower():
        return True
    if previous[-1] == ".":
        word = _word_before(previous, len(previous) - 1)
        return word in _TITLES or (word in _NUMBER_WORD and _STARTS_WITH_NUMBER.match(piece) is not None)
    return previous[-1] not in "!?…:;" and not _SENTENCE_END.search(previous)


def _last_space(text: str, start: int, limit: int) -> int:
    """Where to end a window: after the last space before ``limit`` (at ``limit`` if none)."""
    cut = text.rfind(" ", start + 1, limit)
    return cut + 1 if cut > start else limit
