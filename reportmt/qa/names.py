"""Names and codes a translation must carry over as they are: personal and place names
("Nguyen Ngoc Tien", "Ninh Binh"), codes ("COVID-19", "A4"), web and e-mail addresses.
Compared without diacritics and case, as the reports often write names without them.

A name is a run of two or more capitalized words, side by side, that are not words of the
source language: German capitalizes every noun, so "Ständigen Ausschusses" is no name, and
"Genosse" is trimmed off "Genosse Nguyen Ngoc Tien". The language's words come from
pyspellchecker's word lists; words of up to three letters are kept inside a name ("Mai Van
Tuat", "Le Quang Tung") unless they are function words."""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from functools import cache
from importlib import resources

from ..language import function_words

NAME_WORD_MAX = 12  # letters: longer capitalized words are compounds ("Provinzparteikomitees"), not names
KEPT_SHORT = 3  # letters: words this short stay in a name even when the language has them ("Van", "Mai")
_LETTERS = [chr(c) for c in (*range(0x250), *range(0x1E00, 0x1F00))]  # Latin, Vietnamese's included
_UPPER = "".join(c for c in _LETTERS if c.isupper())
_LOWER = "".join(c for c in _LETTERS if c.islower()) + "\u0300-\u036f"  # with combining accents
# Two or more capitalized words side by side: where a name may be.
_CAPITALIZED_RUN = re.compile(rf"(?<![\w-])[{_UPPER}][{_LOWER}]*(?: [{_UPPER}][{_LOWER}]*)+(?![\w-])")
_DIGIT = re.compile(r"\d")
_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:!?)\]]|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A code has a digit and a capital ("COVID-19", "A4", "G20"); "1er", "9h30", "19th" are numbers.
_CODE = re.compile(r"(?<![\w-])(?=[\w-]*\d)(?=[\w-]*[A-Z])\w+(?:-\w+)*(?![\w-])")


def missing(source: str, src_lang: str, english: str) -> list[str]:
    """The names, codes and addresses of the source that the English does not carry."""
    wanted = must_carry(source, src_lang)
    if not wanted:
        return []
    folded = f" {_folded(english)} "
    return [item for item in wanted if f" {_folded(item)} " not in folded]


def must_carry(source: str, src_lang: str) -> list[str]:
    """The source's addresses, codes and names, each once, in that order."""
    addresses = _ADDRESS.findall(source) if ("://" in source or "www." in source or "@" in source) else []
    rest = _ADDRESS.sub(" ", source) if addresses else source
    codes = _CODE.findall(rest) if _DIGIT.search(rest) else []
    return list(dict.fromkeys(addresses + codes + _names(rest, src_lang)))


def _names(text: str, lang: str) -> list[str]:
    names = []
    for match in _CAPITALIZED_RUN.finditer(text):
        for run in _short_enough(match[0].split(" ")):
            while run and _is_word(run[0], lang):
                run.pop(0)
            while len(run) > 1 and _is_word(run[-1], lang):
                run.pop()
            if len(run) >= 2:
                names.append(" ".join(run))
    return names


def _short_enough(words: list[str]) -> list[list[str]]:
    """The run cut at words too long to be part of a name."""
    runs, run = [], []
    for word in words:
        if len(word) > NAME_WORD_MAX:
            runs.append(run)
            run = []
        else:
            run.append(word)
    return runs + [run]


def _is_word(token: str, lang: str) -> bool:
    return token.lower() in _not_names(lang)


@cache
def _not_names(lang: str) -> frozenset[str]:
    """The language's function words, and its words of KEPT_SHORT to NAME_WORD_MAX letters
    (pyspellchecker's frequency list)."""
    path = resources.files("spellchecker") / "resources" / f"{lang}.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        lexicon = json.load(text)
    return function_words(lang) | frozenset(word for word in lexicon if KEPT_SHORT < len(word) <= NAME_WORD_MAX)


def _folded(text: str) -> str:
    """Without diacritics, case or punctuation: "Nguyễn Ngọc Tiến," is "nguyen ngoc tien"."""
    if text.isascii():
        plain = text.lower()
    else:  # accents off, then what is not ASCII ("ß", letters of other scripts) is left out on both sides alike
        plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
        plain = plain.lower()
    return " ".join(re.findall(r"[\w@./:+-]*\w", plain))
