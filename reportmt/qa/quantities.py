"""The quantities of a sentence, each read with its role under its language's conventions:
"2.500" and "1,5" in German and French are 2500 and 1.5, as "2,500" and "1.5" are in
English; a scale multiplies ("2,4 Mrd.", "2,4 milliards" and "€2.4bn" are 2.4e9, and a
German "Billion" is an English trillion); a unit or currency stays with its number ("3 Mio.
Euro", "€3m"; reportmt.qa.units); dates and clock times (reportmt.qa.calendar) and numbers
in words (reportmt.qa.number_words) are read first, each taken out of the text so that no
later reader sees its digits."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from . import calendar, number_words, units
from .quantity import ONE, Quantity, Value, at, take

_DIGIT = re.compile(r"\d")
_ROMAN_LOOK = re.compile(r"\b[IVXLCDM]+(?:er|re|e|ème)?\b")


def quantities(text: str, lang: str) -> list[Quantity]:
    """Every quantity of the text, in order. Each reader runs only where what it reads can
    be: most sentences hold no number word, many no digit."""
    worded, digits = number_words.has_number_word(text, lang), bool(_DIGIT.search(text))
    found: list[Quantity] = []
    if worded or digits:
        text = _scale_words_marked(text, lang)
        text = take(text, number_words.fractions(lang), found, number_words.read_fraction(lang))
    if worded:
        text = take(text, number_words.compounds(lang), found, number_words.read_compound(lang))
        text = number_words.spelled_out(text, lang)
        digits = digits or bool(_DIGIT.search(text))
    if digits:
        text = take(text, [calendar.NUMERIC_DATE], found, calendar.read_numeric_date(lang))
    if worded or digits:
        text = take(text, calendar.month_dates(lang), found, calendar.read_named_date(lang))
        text = take(text, [calendar.DECADES[lang]], found, calendar.read_decade(lang))
        text = take(text, calendar.TIMES[lang], found, calendar.read_time)
    if _ROMAN_LOOK.search(text):
        text = take(text, [number_words.ROMAN], found, number_words.read_roman)
    if digits:
        text = take(text, [_QUARTER], found, _read_quarter)
    if digits or worded:  # "a fortnight" is one
        found += _numbers(text, lang)
    return sorted(found, key=lambda q: q.span)


_QUARTER = re.compile(r"(?<![\w-])Q(?P<quarter>[1-4])(?![\w-])")  # "Q2 2026": the second quarter


def _read_quarter(match: re.Match) -> list[Quantity]:
    return [at(match, [("n", Decimal(match["quarter"]))])]


# -- scales: "Millionen", "Mio.", "milliards", "bn" ------------------------------------------
_MARKS = "\ue003\ue006\ue009\ue00c"  # private use: a scale word's power of ten, for text2num to leave alone
_SCALE_WORDS = {"tausend": 3, "thousand": 3, "thousands": 3, "million": 6, "millionen": 6, "millions": 6,
                "milliarde": 9, "milliarden": 9, "milliard": 9, "milliards": 9, "trillion": 12, "trillions": 12}
_BILLION = {"en": 9, "de": 12, "fr": 12}  # a German or French "Billion" is an English trillion
_SCALE_WORD = re.compile(r"(?<!\w)(?:tausend|thousands?|millions?|millionen|milliarden?|milliards?|billions?|billionen|"
                         r"trillions?)(?!\w)", re.IGNORECASE)
_ABBREVIATED = {
    "de": {"Tsd.": 3, "Mio.": 6, "Mio": 6, "Mrd.": 9, "Mrd": 9, "Md.": 9, "Bio.": 12},
    "fr": {"Mds": 9, "Md": 9, "Mrds": 9, "Mrd": 9, "M": 6, "k": 3},
    "en": {"bn": 9, "mn": 6, "tn": 12, "m": 6, "M": 6, "b": 9, "B": 9, "k": 3, "K": 3},
}
_SCALE_AFTER = {lang: re.compile(rf"\s?(?P<scale>[{_MARKS}]|" + "|".join(
    (r"(?<=\d)" if lang == "en" and len(a) == 1 else "")  # "12m" is 12 million, "12 m" twelve metres
    + re.escape(a) + ("" if a.endswith(".") else r"(?![^\W\d_])") for a in sorted(abbreviated, key=len, reverse=True))
    + ")") for lang, abbreviated in _ABBREVIATED.items()}
_WRITTEN = {lang: str.maketrans(dict(zip(_MARKS, words))) for lang, words in {  # a mark as the evidence shows it
    "de": ("Tausend", "Millionen", "Milliarden", "Billionen"), "fr": ("mille", "millions", "milliards", "billions"),
    "en": ("thousand", "million", "billion", "trillion")}.items()}
_ARTICLE_BEFORE_SCALE = re.compile(rf"(?<!\w)(?:eine?r?|une?|one|a)\s+(?=[{_MARKS}]|fortnight)", re.IGNORECASE)


# "eine halbe Milliarde", "un demi-milliard", "half a billion": 0.5 of the scale.
_HALF_A_SCALE = {lang: re.compile(pattern + rf"(?=[{_MARKS}])", re.IGNORECASE) for lang, pattern in {
    "de": r"(?<!\w)(?:eine[rnms]?\s+)?halbe[nrs]?\s+", "fr": r"(?<!\w)(?:une?\s+)?demi-?\s*",
    "en": r"(?<!\w)half\s+an?\s+"}.items()}
_HALF = {"de": "0,5 ", "fr": "0,5 ", "en": "0.5 "}


def _scale_words_marked(text: str, lang: str) -> str:
    if not _SCALE_WORD.search(text):
        return text

    def mark(match: re.Match) -> str:
        word = match[0].lower()
        exponent = _BILLION[lang] if word.startswith("billion") else _SCALE_WORDS[word]
        return chr(0xE000 + exponent)
    return _HALF_A_SCALE[lang].sub(_HALF[lang], _SCALE_WORD.sub(mark, text))


def _scale(written: str, lang: str) -> int:
    return ord(written) - 0xE000 if written in _MARKS else _ABBREVIATED[lang][written]


# -- numbers ------------------------------------------------------------------------------
_GROUP = "[.\u00a0\u202f '’]"  # thousands in German and French: 2.500, 2 500, and in Switzerland 2'500
_CONTINENTAL = re.compile(rf"\d{{1,3}}(?:{_GROUP}\d{{3}})+(?:,\d+)?")
_ORDINAL = {"en": "st|nd|rd|th", "de": r"\.(?=\s)", "fr": "ers|er|res|re|es|ème|eme|e"}
_DIGITS = {"en": r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", "de": rf"{_CONTINENTAL.pattern}|\d+(?:,\d+)?",
           "fr": rf"{_CONTINENTAL.pattern}|\d+(?:,\d+)?"}
# Not inside a word or a code ("COVID-19", "A4", "d2024"); at the head of a compound it is ("5-year", "3-tägig").
_NUMBER = {lang: re.compile(rf"(?<![\w.,/])(?<![^\W\d_]-)(?P<number>{digits})(?P<ordinal>{_ORDINAL[lang]})?"
                            rf"(?P<attached>[^\W\d_]+|[€$£%‰])?(?![\w.,]\d|\w)") for lang, digits in _DIGITS.items()}
# "3 bis 5 Mio. Euro", "between 3 and 5 per cent": the first number takes the second's scale and unit.
_RANGE = re.compile(r"\s*(?:-|–|bis|auf|und|oder|à|et|ou|to|and|or)\s*(?:[€$£]|CHF|EUR)?\s?")


def _numbers(text: str, lang: str) -> list[Quantity]:
    text = _ARTICLE_BEFORE_SCALE.sub(lambda m: "1".ljust(len(m[0])), text)
    read: list[Quantity] = []
    for match in _NUMBER[lang].finditer(text):
        value = _value(match["number"], lang)
        end, exponent = match.end("ordinal") if match["ordinal"] else match.end("number"), 0
        if value is None or (match["attached"] and match["ordinal"]):
            continue
        if not match["ordinal"] and (scale := _SCALE_AFTER[lang].match(text, end)):
            exponent, end = _scale(scale["scale"], lang), scale.end()
        unit, end = _unit_around(text, match.start(), end)
        if match["attached"] and end < match.end():
            continue  # a code or a word: "5G", "3D"
        values = _alternatives(match["number"], value * 10 ** exponent, unit, lang)
        form = text[match.start():end].strip().translate(_WRITTEN[lang])
        read.append(Quantity(form, frozenset(values), unit, (match.start(), end), exponent))
    return [q for q in _ranges_scaled(text, read) if q.values != {ONE} or q.unit]


_WEEKS_IN_DAYS_FR = {Decimal(15): Decimal(14), Decimal(8): Decimal(7)}


def _alternatives(written: str, value: Decimal, unit: units.Unit | None, lang: str) -> list[Value]:
    values: list[Value] = [("n", value.normalize())]
    if lang == "en" and unit is None and re.fullmatch(r"\d{1,2}\.\d{2}", written):  # "6.30": maybe a time
        hours, minutes = map(int, written.split("."))
        if hours <= 24 and minutes < 60:
            values.append(("time", hours % 12 * 60 + minutes))
    if lang == "fr" and unit is not None and unit.name == "day" and value in _WEEKS_IN_DAYS_FR:
        values.append(("n", _WEEKS_IN_DAYS_FR[value]))  # "quinze jours" is a fortnight, "huit jours" a week
    if unit is not None and unit.name == "%":  # "50 %" is "half", "20 %" "one in five"
        values.append(("frac", Fraction(value) / 100))
    return values


def _unit_around(text: str, start: int, end: int) -> tuple[units.Unit | None, int]:
    if after := units.after_number().match(text, end):
        return units.named(after), after.end()
    if before := units.before_number().search(text, max(0, start - 12), start):
        return units.named(before), end
    return None, end


def _ranges_scaled(text: str, read: list[Quantity]) -> list[Quantity]:
    for index, (first, second) in enumerate(zip(read, read[1:])):
        between = text[first.span[1]:second.span[0]]
        if first.scale or len(first.values) != 1 or not _RANGE.fullmatch(between):
            continue
        (kind, value), = first.values
        if kind == "n" and (second.scale or second.unit and not first.unit):  # "€1.5-2bn": the euro is the first's
            scaled = Decimal(value) * 10 ** second.scale  # type: ignore[arg-type]
            read[index] = Quantity(first.form, frozenset({("n", scaled.normalize())}), first.unit or second.unit,
                                   first.span, second.scale)
    return read


def _value(text: str, lang: str) -> Decimal | None:
    if lang == "en":
        plain = text.replace(",", "")
    elif _CONTINENTAL.fullmatch(text):
        plain = re.sub(_GROUP, "", text).replace(",", ".")
    else:
        plain = text.replace(",", ".")
    try:
        return Decimal(plain).normalize()
    except InvalidOperation:
        return None
