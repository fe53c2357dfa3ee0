"""Numbers written in words: number words as digits (text2num: "drei", "troisième",
"three"), in compounds ("Fünfjahresplan", "five-year", "zweimal", "twice"), fractions ("un
tiers", "zwei Drittel", "a third", "la moitié") and roman numerals ("XIVe", "Kapitel IV")."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from functools import cache

from num2words import num2words
from text_to_num import alpha2digit

from . import units
from .quantity import Quantity, at

# Words of quantities that are no number words and that text2num does not read.
WORDS_READ = ("half", "halb", "hälfte", "drittel", "viertel", "moitié", "tiers", "quart", "noon", "midday",
              "midnight", "midi", "minuit", "mitternacht", "twice", "thrice", "anderthalb", "eineinhalb", "dutzend",
              "douzaine", "dozen", "demi", "second", "dizaine", "quinzaine", "vingtaine", "trentaine", "quarantaine",
              "cinquantaine", "centaine", "hundred", "halbiert", "halved", "verdoppel", "doubled", "doublé", "fortnight",
              "zwanziger", "dreißiger", "dreissiger", "vierziger", "fünfziger", "sechziger", "siebziger", "achtziger",
              "neunziger", "twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties")
_DENOMINATORS = {
    "en": {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
           "tenth": 10, "tenths": 10},
    "de": {"hälfte": 2, "drittel": 3, "viertel": 4, "fünftel": 5, "sechstel": 6, "achtel": 8, "zehntel": 10},
    "fr": {"moitié": 2, "tiers": 3, "quart": 4, "quarts": 4, "cinquième": 5, "cinquièmes": 5, "dixième": 10,
           "dixièmes": 10},
}
_NUMERATORS = {
    "en": {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "nine": 9},
    "de": {"ein": 1, "eine": 1, "einem": 1, "einen": 1, "einer": 1, "eines": 1, "zwei": 2, "drei": 3, "vier": 4,
           "fünf": 5, "neun": 9},
    "fr": {"un": 1, "une": 1, "le": 1, "la": 1, "du": 1, "deux": 2, "trois": 3, "quatre": 4, "neuf": 9},
}
_HALVES = {"anderthalb": "1.5", "eineinhalb": "1.5", "zweieinhalb": "2.5", "dreieinhalb": "3.5"}
# "a year and a half", "un an et demi", "zweieinhalb Jahre" (below): a whole and a half.
_AND_A_HALF = {
    "en": r"(?<!\w)(?P<whole>a|an|one|two|three|four|five|\d+)\s+(?:(?P<noun>[a-z]+)\s+)?and\s+a\s+half(?!\w)",
    "fr": r"(?<!\w)(?P<whole>un|une|deux|trois|quatre|cinq|\d+)\s+(?:(?P<noun>[a-zé]+)\s+)?et\s+demie?(?!\w)",
    "de": r"(?<!\w)(?P<whole>\d+)\s*(?:und\s+)?ein\s*halb(?P<noun>)(?!\w)",
}
_HALVED_OR_DOUBLED = {
    "en": r"(?<!\w)(?:(?P<halved>halved|halving)|(?P<doubled>doubled|doubling))(?!\w)",
    "de": r"(?<!\w)(?:(?P<halved>halbiert\w*|halbier\w*)|(?P<doubled>verdoppel\w*|verdoppl\w*))",
    "fr": r"(?<!\w)(?:(?P<halved>divisé\w*\s+par\s+deux)|(?P<doubled>doublé\w*))",
}
# "12 von 100", "un élève sur cinq", "three out of four", "one in five": a share.
_OUT_OF = {"en": r"(?:(?:[a-z]+\s+)?out\s+of|in)", "de": "von", "fr": r"(?:[^\W\d_]+\s+)?sur"}
_KEYWORDS = ("Kapitel|Chapitre|Chapter|Titre|Title|Teil|Part|Partie|Artikel|Article|Band|Volume|Phase|Abschnitt|"
             "Section|Annexe|Anhang|Annex|Appendix|Stufe|Level|Niveau|Programm|Programme|Tome|Buch|Book|Livre")
ROMAN = re.compile(r"(?<![\w.\-])(?P<r>[IVXLCDM]+)(?P<suffix>er|re|e|ème|\.(?=\s))?(?![\w\-])")
_VALID_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
# Capitals that are abbreviations as often as numbers ("MM." for Messieurs, "CC" the Swiss civil code).
_NOT_ROMAN = frozenset("MM CC CD DC CV MD CL LI DI MI MIX DIV CM ML XL XXL LL".split())
_AFTER_KEYWORD = re.compile(rf"(?:{_KEYWORDS})\s$")
_ORDINAL_WORDS = {"second": 2, "third": 3, "fourth": 4}
_COMPOUND_TAIL = {
    "de": "jahr|jähr|tag|täg|monat|woch|wöch|stund|stünd|fach|mal|köpf|seit|stuf|teil|sprach|stell|punkt|zimmer|"
          "spur|geschoss|stöck|minut|sitz|glied|länder",
    "en": "",
    "fr": "",
}


@cache
def fractions(lang: str) -> list[re.Pattern]:
    dens = "|".join(sorted(_DENOMINATORS[lang], key=len, reverse=True))
    nums = "|".join(sorted(_NUMERATORS[lang], key=len, reverse=True))
    patterns = [_AND_A_HALF[lang], rf"(?<!\w)(?P<dozens>{nums}|\d+)\s+(?:Dutzend|douzaines?|dozens?)(?!\w)",
                rf"(?<!\w)(?P<num>{nums}|\d+)[\s-]+(?P<den>{dens})(?!\w)"]
    patterns.append(_HALVED_OR_DOUBLED[lang])
    cards = "|".join(sorted({*_NUMERATORS[lang], *_number_words(lang)} - {"a", "an", "le", "la", "du"}, key=len,
                            reverse=True))
    patterns.append(rf"(?<![\w.,])(?P<part>{cards}|\d{{1,3}})\s+{_OUT_OF[lang]}\s+(?P<whole_of>{cards}|\d{{1,3}})(?![\w.,]\d|\w)")
    if lang == "en":  # "half of", "by half", not "the first half"
        patterns.append(r"(?<!\w)(?<!first )(?<!second )(?<!other )(?P<den>half)(?=\s+(?:of|the|a|its|their)\b)")
        patterns.append(r"(?<=by )(?P<den>half)(?!\w)")
    else:
        patterns.append({"de": r"(?<!\w)(?P<den>Hälfte)(?!\w)", "fr": r"(?<!\w)(?P<den>moitié)(?!\w)"}[lang])
    if lang == "de":
        patterns.append(rf"(?<!\w)(?P<halves>{'|'.join(_HALVES)})(?:\s+(?P<noun>[^\W\d_]+))?(?!\w)")
    return [re.compile(pattern, re.IGNORECASE) for pattern in patterns]


def read_fraction(lang: str):
    def read(match: re.Match) -> list[Quantity] | None:
        groups = match.groupdict()
        if groups.get("whole"):
            whole = groups["whole"].lower()
            count = int(whole) if whole.isdigit() else _NUMERATORS[lang].get(whole) or _number_words(lang)[whole]
            return [_with_unit(at(match, [("n", Decimal(count) + Decimal("0.5"))]), match)]
        if groups.get("dozens"):
            dozens = match["dozens"].lower()
            return [at(match, [("n", Decimal(12 * (int(dozens) if dozens.isdigit() else _NUMERATORS[lang][dozens])))])]
        if groups.get("halved"):
            return [at(match, [("frac", Fraction(1, 2))])]
        if groups.get("doubled"):
            return [at(match, [("n", Decimal(2))])]
        if groups.get("halves"):
            return [_with_unit(at(match, [("n", Decimal(_HALVES[match["halves"].lower()]))]), match)]
        if groups.get("whole_of"):
            part, whole = (_cardinal(match[name], lang) for name in ("part", "whole_of"))
            if not 0 < part <= whole:
                return None
            return [at(match, [("frac", Fraction(part, whole)), ("ratio", (part, whole))])]
        numerator = groups.get("num")
        count = 1 if not numerator else int(numerator) if numerator.isdigit() else _NUMERATORS[lang][numerator.lower()]
        return [at(match, [("frac", Fraction(count, _DENOMINATORS[lang][match["den"].lower()]))])]
    return read


def _cardinal(written: str, lang: str) -> int:
    word = written.lower()
    return int(word) if word.isdigit() else _NUMERATORS[lang].get(word) or _number_words(lang)[word]


def _with_unit(quantity: Quantity, match: re.Match) -> Quantity:
    """"a year and a half", "anderthalb Jahre": the noun inside is the unit."""
    found = units.after_number().fullmatch(match["noun"] or "")
    return replace(quantity, unit=units.named(found)) if found else quantity


@cache
def compounds(lang: str) -> list[re.Pattern]:
    """A number word at the head of a compound: "Fünfjahresplan", "dreimal", "five-year", "twice"."""
    words = "|".join(sorted(_number_words(lang), key=len, reverse=True))
    if lang == "de":
        return [re.compile(rf"(?<!\w)(?P<word>{words})(?:{_COMPOUND_TAIL['de']})[^\W\d_]*", re.IGNORECASE)]
    if lang == "en":
        not_a_number = rf"(?!(?:{words}|one|first)\b)"  # "twenty-one" is a number, not a compound
        ordinals = "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True))
        return [re.compile(rf"(?<!\w)(?P<word>{words})(?:-{not_a_number}[a-z]+|fold)(?!\w)", re.IGNORECASE),
                # "third-quarter results"; not "third-party", which German and French say without a number
                re.compile(rf"(?<!\w)(?P<word>{ordinals})-(?:quarter|half)(?!\w)", re.IGNORECASE),
                re.compile(r"(?<!\w)(?P<word>twice|thrice)(?!\w)", re.IGNORECASE)]
    return []


def read_compound(lang: str):
    def read(match: re.Match) -> list[Quantity]:
        word = match["word"].lower()
        value = {"twice": 2, "thrice": 3}.get(word) or _ORDINAL_WORDS.get(word) or _number_words(lang)[word]
        return [at(match, [("n", Decimal(value))])]
    return read


def read_roman(match: re.Match) -> list[Quantity] | None:
    numeral, suffix = match["r"], match["suffix"]
    keyword = bool(_AFTER_KEYWORD.search(match.string[max(0, match.start() - 12):match.start()]))
    if not _VALID_ROMAN.fullmatch(numeral) or (numeral in _NOT_ROMAN and not keyword):
        return None
    if len(numeral) == 1 and (numeral not in "IVX" or not keyword and suffix not in ("e", "er", "re", "ème")):
        return None  # "I", "V", "X" alone are a pronoun, a letter, a mark
    values = [_ROMAN_VALUES[c] for c in numeral]
    total = sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0]))
    return [at(match, [("n", Decimal(total))])]


_A_HUNDRED = re.compile(r"(?<!\w)a hundred(?!\w)", re.IGNORECASE)
_HUNDREDS = re.compile(r"(?<!\w)hundreds(?!\w)", re.IGNORECASE)
# "une quinzaine de mois": about fifteen months, as English says it.
_ABOUT = {"dizaine": 10, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40, "cinquantaine": 50,
          "centaine": 100}
_ABOUT_FR = re.compile(rf"(?<!\w)une\s+(?P<about>{'|'.join(_ABOUT)})\s+(?:de\s+|d['’])", re.IGNORECASE)
# A French "second(e)" is an ordinal, as text2num reads the English one ("le second semestre":
# "the second half"), unless it is a length of time ("une seconde", "par seconde", "30 secondes").
_SECOND_FR = re.compile(r"(?<!\bune )(?<!\bpar )(?<!\d )(?<!\w)seconde?s?(?![\w-])", re.IGNORECASE)
_PERCENT_WORDS = re.compile(r"(?<!\w)(?:pour\s+cent|per\s+cent|percent|Prozent)(?!\w)", re.IGNORECASE)


def spelled_out(text: str, lang: str) -> str:
    """Number words as digits, from two up ("ein" and "one" are articles as often); "pour cent"
    is a percent sign first, so that its "cent" is no hundred."""
    text = _PERCENT_WORDS.sub("%", text) if "cent" in text or "Prozent" in text else text
    if lang == "fr" and "second" in text.lower():
        text = _SECOND_FR.sub("2e", text)
    if lang == "en" and "hundred" in text.lower():
        # "about a hundred residents" is 100; "hundreds of" no number, as "Hunderte" and "des centaines"
        text = _HUNDREDS.sub("many", _A_HUNDRED.sub("one hundred", text))
    if lang == "fr" and "aine" in text:
        text = _ABOUT_FR.sub(lambda m: f"{_ABOUT[m['about'].lower()]} ", text)
    if not has_number_word(text, lang):
        return text
    try:
        return alpha2digit(text, lang, 1.5)
    except (ValueError, RuntimeError):
        return text


def has_number_word(text: str, lang: str) -> bool:
    """Whether a word starts like a number word of two or more ("drei", "dritten",
    "zweihundert", "troisième", "twenty") or like a word ``reportmt.qa.quantities`` reads
    ("half", "midi"): a cheap first look before text2num reads the text."""
    return bool(_number_word_start(lang).search(text.lower()))


@cache
def _number_word_start(lang: str) -> re.Pattern:
    """The shortest beginnings of the number words (from num2words; "sieben" covers
    "siebenundzwanzig") and the other words, as a trie: one branch is tried per letter."""
    starts: list[str] = []
    candidates = {re.split(r"[\s-]", word)[0] for word in _all_number_words(lang)} | set(WORDS_READ)
    for word in sorted(candidates, key=len):
        if not any(word.startswith(start) for start in starts):
            starts.append(word)
    return re.compile(r"(?<!\w)" + _trie(starts))


def _trie(words: list[str]) -> str:
    """A regular expression matching any of the words, branching one letter at a time."""
    if "" in words:
        return ""  # a shorter word already matched: what follows does not matter
    by_letter: dict[str, list[str]] = {}
    for word in words:
        by_letter.setdefault(word[0], []).append(word[1:])
    return "(?:" + "|".join(re.escape(letter) + _trie(rest) for letter, rest in sorted(by_letter.items())) + ")"


@cache
def _all_number_words(lang: str) -> frozenset[str]:
    return frozenset(num2words(n, lang=lang, to=form).lower()
                     for n in (*range(2, 100), *range(100, 1001, 100)) for form in ("cardinal", "ordinal"))


@cache
def _number_words(lang: str) -> dict[str, int]:
    """Cardinal words that head compounds, two to twenty and the tens."""
    return {num2words(n, lang=lang).lower(): n for n in (*range(2, 21), 30, 40, 50, 100)}
