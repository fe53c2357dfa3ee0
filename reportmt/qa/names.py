"""Names and codes a translation must carry over: personal and place names ("Nguyen Ngoc
Tien", "Ninh Binh", "Hans-Peter Koch"), codes ("COVID-19", "A4"), web and e-mail addresses.
Compared without diacritics and case, as reports often write names without them, and with a
transliteration's room ("Tschaikowski", "Tchaïkovski" and "Tchaikovsky" agree).

A name is found three ways:
- after a courtesy title or a comrade's ("Herr Weber", "Mme Petit", "Genosse Tien"): the
  capitalized words that follow, the title itself left out;
- after a first name (gender-guesser's list of first names): "Rose Laurent", "Jean Petit";
- as two or more capitalized words side by side that are not words of the source language
  (pyspellchecker's word lists): German capitalizes every noun, so "Ständigen Ausschusses"
  is no name. Words of up to three letters stay inside a name ("Mai Van Tuat") unless they
  are function words."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import cache
from importlib import resources

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extract

from ..language import function_words
from . import places
from .pair import Pair

NAME_WORD_MAX = 12  # letters: longer capitalized words are compounds ("Provinzparteikomitees"), not names
KEPT_SHORT = 3  # letters: words this short stay in a name even when the language has them ("Van", "Mai")
SPELLING_SIMILARITY = 85  # of 100: a transliteration ("Tschaikowski", "Tchaikovsky") within this is the name
SHORT_WORD = 5  # letters: shorter words of a name ("Hau", "Ha") must sound the same
_LETTERS = [chr(c) for c in (*range(0x250), *range(0x1E00, 0x1F00))]  # Latin, Vietnamese's included
_UPPER = "".join(c for c in _LETTERS if c.isupper())
_LOWER = "".join(c for c in _LETTERS if c.islower()) + "\u0300-\u036f"  # with combining accents
# "Weber", "Hans-Peter", "Keller-Sutter", "N'Diaye", "O'Brien"
_NAME_WORD = rf"(?:[{_UPPER}]['’])?[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)*"
_CAPITALIZED_RUN = re.compile(rf"(?<![\w-]){_NAME_WORD}(?: {_NAME_WORD})*(?![\w-])")
_TITLES = ("Herrn Herr Frau Dr. Dr Prof. Prof M. MM. Mme Mmes Mlle Me Monsieur Madame Mademoiselle Maître "
           "Genosse Genossen Genossin camarade camarades Mr Mrs Ms Comrade")
_TITLE = rf"(?:{'|'.join(map(re.escape, _TITLES.split()))})"
_AFTER_TITLE = re.compile(rf"(?<![\w.]){_TITLE}\s+(?:{_TITLE}\s+)*(?P<name>{_NAME_WORD}"
                          rf"(?: {_NAME_WORD}){{0,3}})(?![\w-])")
_DIGIT = re.compile(r"\d")
_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A code has a digit and a capital ("COVID-19", "A4", "G20"); "1er", "9h30", "19th" are numbers.
_CODE = re.compile(r"(?<![\w-])(?!\d+[a-zäöüé])(?=[\w-]*\d)(?=[\w/-]*[A-Z])\w+(?:[-/]\w+)*(?![\w/-])")
# Spellings of one sound across German, French and English transliterations, longest first;
# an umlaut written out ("Mueller") is its folded letter ("Müller" folds to "muller").
_SOUNDS = (("tsch", "ch"), ("dsch", "j"), ("sch", "sh"), ("tch", "ch"), ("kh", "h"), ("ch", "h"), ("dj", "j"),
           ("ou", "u"), ("ue", "u"), ("oe", "o"), ("ae", "a"), ("ph", "f"), ("ck", "k"), ("w", "v"), ("y", "i"), ("j", "i"), ("z", "s"), ("c", "k"))


def missing(pair: Pair) -> list[str]:
    """The names, codes and addresses of the source that the English does not carry."""
    wanted = must_carry(pair.source, pair.src_lang)
    if not wanted:
        return []
    folded = f" {_folded(pair.english)} "
    lacking = [item for item in wanted if not any(f" {name} " in folded for name in _spellings(item))]
    if not lacking:
        return []
    english_words = folded.replace("-", " ").split()
    sounds = [_sounds(word) for word in english_words]
    # An English word is no transliteration of a name ("Bäcker" as "Baker"): it must be the name's own sound.
    exact = {sound for word, sound in zip(english_words, sounds) if len(word) > KEPT_SHORT and word in lexicon("en")}
    longest = max(len(item.split()) for item in lacking) + 2  # a hyphenated word may be two
    # Each word's distinct runs of next words: their number is bounded by the vocabulary, not the length.
    following: dict[str, set[tuple[str, ...]]] = {}
    for index, sound in enumerate(sounds):
        following.setdefault(sound, set()).add(tuple(sounds[index + 1:index + longest]))
    return [item for item in lacking if not _transliterated(_spoken(item, pair.src_lang), following, exact)]


_SAINT = re.compile(r"^(?:sankt|saint|sainte|ste?)[ -]")


def _spellings(item: str) -> set[str]:
    """The item folded, and its exonyms if it is a place English names otherwise."""
    folded = _folded(item)
    saint = _SAINT.sub("st ", folded)  # "Sankt Gallenkirch", "Saint-Maurice" as "St. Gallenkirch"
    return {folded, saint, saint.replace("st ", "st-", 1)} | places.exonyms(folded, _folded)


def without_addresses(text: str) -> str:
    """The text with its web and e-mail addresses blanked out."""
    return _ADDRESS.sub(" ", text) if ("://" in text or "www." in text or "@" in text) else text


def must_carry(source: str, src_lang: str) -> list[str]:
    """The source's addresses, codes and names, each once, in that order."""
    addresses = _ADDRESS.findall(source) if ("://" in source or "www." in source or "@" in source) else []
    rest = _ADDRESS.sub(" ", source) if addresses else source
    codes = [_code_alone(code) for code in _CODE.findall(rest)] if _DIGIT.search(rest) else []
    introduced = places.introduced_names(rest, src_lang, lambda word: _is_word(word, src_lang), _NAME_WORD)
    return list(dict.fromkeys(addresses + codes + _names(rest, src_lang) + introduced))


def _code_alone(code: str) -> str:
    """A code without the word it heads in a compound: "CO2-Ausstoß" is "CO2"."""
    parts = code.split("-")
    while len(parts) > 1 and parts[-1].isalpha() and parts[-1][1:].islower() and len(parts[-1]) > 3:
        parts.pop()
    return "-".join(parts)


def _names(text: str, lang: str) -> list[str]:
    names, inside = [], []
    for match in _AFTER_TITLE.finditer(text):
        words = match["name"].split(" ")
        while len(words) > 1 and _is_word(words[0], lang) and not _is_first_name(words[0], lang):
            words.pop(0)  # an office between title and name: "Frau Ministerin Keller-Sutter"
        names.append(" ".join(words))
        inside.append(match.span("name"))
    for match in _CAPITALIZED_RUN.finditer(text):
        if any(start < match.end() and match.start() < end for start, end in inside):
            continue  # the title's name, found already: "Mme Élisabeth Moreau" is "Élisabeth Moreau"
        for run in _short_enough(match[0].split(" ")):
            names += _name_in_run(run, lang)
    return names


def _name_in_run(run: list[str], lang: str) -> list[str]:
    """The name a run of capitalized words holds: from a first name on, or the words that are not the language's."""
    for index, word in enumerate(run[:-1]):
        if _is_first_name(word, lang) and not _is_function_word(run[index + 1], lang):
            return [" ".join(run[index:])]
    while run and _is_word(run[0], lang):
        run.pop(0)
    while len(run) > 1 and _is_word(run[-1], lang):
        run.pop()
    return [" ".join(run)] if len(run) >= 2 else []


def _short_enough(words: list[str]) -> list[list[str]]:
    """The run cut at words too long to be part of a name."""
    runs, run = [], []
    for word in words:
        if max(map(len, word.split("-"))) > NAME_WORD_MAX:  # "Ngoumou-Essomba" is a name
            runs.append(run)
            run = []
        else:
            run.append(word)
    return runs + [run]


def _spoken(name: str, lang: str) -> list[str]:
    """The name's words as they sound, the parts of a hyphenated place name that are words of
    the language left out, as a translation translates them ("Hô Chi Minh-Ville")."""
    parts = [part for word in _folded(name).split() for part in
             ([word] if "-" not in word else [p for p in word.split("-") if p not in lexicon(lang)] or word.split("-"))]
    return [_sounds(part) for part in parts]


def _transliterated(name: list[str], following: dict[str, set[tuple[str, ...]]], exact: set[str]) -> bool:
    """Whether the English has the name's words side by side, each in a spelling that sounds
    alike; the English's dictionary words (``exact``) only in the name's own."""
    if not name:
        return True
    first, rest = name[0], name[1:]
    starts = [first] if first in following else []
    if not starts and len(first) >= SHORT_WORD:
        starts = [sound for sound, _, _ in extract(first, following.keys(), scorer=ratio,
                                                   score_cutoff=SPELLING_SIMILARITY, limit=8) if sound not in exact]
    return any(len(after) >= len(rest) and all(_alike(a, b, exact) for a, b in zip(rest, after))
               for start in starts for after in following[start])


def _alike(a: str, b: str, exact: set[str]) -> bool:
    """Short words ("Hau", "Ha") and dictionary words must sound the same; longer ones alike."""
    if a == b:
        return True
    return min(len(a), len(b)) >= SHORT_WORD and b not in exact and ratio(a, b) >= SPELLING_SIMILARITY


def _sounds(word: str) -> str:
    for spelled, sound in _SOUNDS:
        word = word.replace(spelled, sound)
    return re.sub(r"(.)\1+", r"\1", word)  # doubled letters once: "Mohammed", "Mohamed"


def _is_word(token: str, lang: str) -> bool:
    lowered = token.lower()
    return lowered in function_words(lang) or (KEPT_SHORT < len(token) and lowered in lexicon(lang))


def _is_function_word(token: str, lang: str) -> bool:
    return token.lower() in function_words(lang)


def _is_first_name(token: str, lang: str) -> bool:
    return token.split("-")[0] in first_names() and not _is_function_word(token, lang)


@cache
def lexicon(lang: str) -> frozenset[str]:
    """The language's words of up to NAME_WORD_MAX letters (pyspellchecker's frequency list)."""
    path = resources.files("spellchecker") / "resources" / f"{lang}.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return frozenset(word for word in json.load(text) if len(word) <= NAME_WORD_MAX)


@cache
def first_names() -> frozenset[str]:
    """First names of Europe and beyond (gender-guesser's list, from Jörg Michael's name dictionary)."""
    path = resources.files("gender_guesser") / "data" / "nam_dict.txt"
    names = set()
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if not line.startswith("#") and len(line) > 30:
                name = line[3:29].strip()
                if len(name) >= 3 and name.isalpha() and name[0].isupper():
                    names.add(name)
    return frozenset(names)


# Letters that Unicode does not decompose into a plain one and an accent.
_NO_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D", "ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss",
                                   "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe"})


def _folded(text: str) -> str:
    """Without diacritics, case or punctuation: "Nguyễn Ngọc Tiến," is "nguyen ngoc tien"."""
    if text.isascii():
        plain = text.lower()
    else:  # accents off, then what is not ASCII ("ß", letters of other scripts) is left out on both sides alike
        plain = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
        plain = plain.encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[\w@./:+-]*\w", plain))
