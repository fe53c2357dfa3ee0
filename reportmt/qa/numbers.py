"""Numbers and dates a translation must keep, each read under its language's conventions:
"2.500" and "1,5" in German and French are 2500 and 1.5, as "2,500" and "1.5" are in
English; number words are digits (text2num: "drei", "troisième", "three"); a month next to
a day or a year counts as its number, so "19. April", "le 19 avril" and "April 19" agree;
clock times are compared on a 12-hour dial ("14.30 Uhr", "14h30", "2:30 p.m.")."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import cache

Value = tuple[str, Decimal]  # ("number", 2500) or ("time", minutes on a 12-hour dial)

# 1 is left out: "ein", "un", "a" and "one" are articles as often as numbers.
_ONE = Decimal(1)
_GROUP = "[.\u00a0\u202f ]"  # thousands in German and French: 2.500, 2 500
_CONTINENTAL = re.compile(rf"\d{{1,3}}(?:{_GROUP}\d{{3}})+(?:,\d+)?")
# A number inside a word or a code is not one ("COVID-19", "A4", "d2024062813381558").
_DIGITS = {
    "en": re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:st|nd|rd|th)?(?![\w-])"),
    "de": re.compile(rf"(?<![\w.,/-])({_CONTINENTAL.pattern}|\d+(?:[.,]\d+)?)(?![\w-])"),
    "fr": re.compile(rf"(?<![\w.,/-])({_CONTINENTAL.pattern}|\d+(?:[.,]\d+)?)(?:er|re|e|ème|eme)?(?![\w-])"),
}
_NUMERIC_DATE = re.compile(r"(?<![\w.])(?P<day>\d{1,2})(?P<sep>[./])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})(?!\w)")
_COLON_TIME = re.compile(r"(?<![\w.:])(?P<h>\d{1,2}):(?P<m>\d{2})(?![\w:])")
_TIMES = {
    "en": [re.compile(r"(?<![\w.:])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s*[ap]\.?\s?m\b\.?", re.IGNORECASE), _COLON_TIME],
    "de": [re.compile(r"(?<![\w.:])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*Uhr\b"), _COLON_TIME],
    "fr": [re.compile(r"(?<![\w.:])(?P<h>\d{1,2})\s?h\s?(?P<m>\d{2})?(?!\w)"), _COLON_TIME],
}
# "3 Mio.", "1,5 Milliarden", "3 million": the number is 3 or 1.5 on both sides, whatever the scale word.
_SCALE = re.compile(r"(?<!\w)(?:millions?|billions?|trillions?|millionen|milliarden?|milliards?|mio\.|mrd\.)(?!\w)", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
# A month name next to a day ("19. April", "19 avril", "19th of April") or before a day or
# a year ("April 19", "April 2024"): a date, whose month counts. A month name alone may be a
# name ("Mai Van Tuat").
_MONTH_AFTER_DAY = re.compile(r"\d(?:\.|er|e|st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[^\W\d_]+)")
_MONTH_BEFORE_NUMBER = re.compile(r"(?<!\w)(?P<month>[^\W\d_]+)\.?,?\s+(?:\d{1,2}(?!\d)|\d{4}(?!\d))")
_DIGIT_RUN = re.compile(r"(?<!\d)\d+")


def mismatches(source: str, src_lang: str, english: str) -> list[str]:
    """The numbers of the source the English lacks, then those the English has that the
    source lacks, each as it is written there."""
    if not (_DIGIT.search(source) or _DIGIT.search(english) or _number_word(src_lang).search(source.lower())):
        return []  # no number on either side (a number word the English adds is not looked for)
    theirs, ours = numbers(source, src_lang), numbers(english, "en")
    wanted, found = Counter(v for v, _ in theirs), Counter(v for v, _ in ours)
    return _forms(theirs, wanted - found) + _forms(ours, found - wanted)


def numbers(text: str, lang: str) -> list[tuple[Value, str]]:
    """Every number of the text with the form it is written in, in order: dates and times
    first (their parts are not plain numbers), then months of dates, then the rest."""
    text = _spelled_out(text, lang)
    if not _DIGIT.search(text):
        return []
    found: list[tuple[int, Value, str]] = []
    text = _take(text, [_NUMERIC_DATE], found, lambda m: [_number(m["day"], "en"), _number(m["month"], "en"), _year(m["year"])])
    text = _take(text, _TIMES[lang], found, lambda m: [("time", Decimal(int(m["h"]) % 12 * 60 + int(m["m"] or 0)))])
    months, seen = _months(lang), set()
    before = (_MONTH_BEFORE_NUMBER.search(text, max(0, m.start() - 16), m.start() + 4) for m in _DIGIT_RUN.finditer(text))
    for match in (*_MONTH_AFTER_DAY.finditer(text), *(m for m in before if m)):
        number = months.get(match["month"].casefold())
        if number and match.start("month") not in seen:
            seen.add(match.start("month"))
            found.append((match.start("month"), ("number", Decimal(number)), match["month"]))
    for match in _DIGITS[lang].finditer(text):
        value = _number(match[1], lang)
        if value is not None and value[1] != _ONE:
            found.append((match.start(), value, match[0]))
    return [(value, form) for _, value, form in sorted(found, key=lambda item: item[0])]


def _forms(read: list[tuple[Value, str]], wanted: Counter) -> list[str]:
    """How each of the ``wanted`` values is written, at its first occurrences."""
    left, forms = Counter(wanted), []
    for value, form in read:
        if left[value] > 0:
            left[value] -= 1
            forms.append(form)
    return forms


def _take(text: str, patterns: list[re.Pattern], found: list, values) -> str:
    """Note the values of each match and blank the match out of the text."""
    def blank(match: re.Match) -> str:
        found.extend((match.start(), value, match[0].strip()) for value in values(match) if value and value[1] != _ONE)
        return " " * len(match[0])

    for pattern in patterns:
        text = pattern.sub(blank, text)
    return text


def _year(text: str) -> Value:
    return "number", Decimal(text if len(text) == 4 else f"20{text}")


def _number(text: str, lang: str) -> Value | None:
    if lang == "en":
        plain = text.replace(",", "")
    elif _CONTINENTAL.fullmatch(text):
        plain = re.sub(_GROUP, "", text).replace(",", ".")
    else:
        plain = text.replace(",", ".")
    try:
        return "number", Decimal(plain).normalize()
    except InvalidOperation:
        return None


def _spelled_out(text: str, lang: str) -> str:
    """Number words as digits, from two up ("ein" and "one" are articles as often); scale
    words are left out of the number ("3 million" stays 3, as "3 Mio." does)."""
    from text_to_num import alpha2digit

    if not _number_word(lang).search(text.lower()):
        return text
    try:
        if "illi" in text or "io." in text or "rd." in text:  # what every scale word holds: a cheap first look
            text = _SCALE.sub("§", text)
        return alpha2digit(text, lang, 1.5)
    except (ValueError, RuntimeError):
        return text


@cache
def _number_word(lang: str) -> re.Pattern:
    """A word that starts like a number word of two or more ("drei", "dritten", "zweihundert",
    "troisième", "twenty"), from num2words: a cheap first look before text2num reads the text."""
    from num2words import num2words

    words = {num2words(n, lang=lang, to=form) for n in (*range(2, 100), *range(100, 1001, 100)) for form in ("cardinal", "ordinal")}
    starts: list[str] = []
    for word in sorted({re.split(r"[\s-]", word)[0].lower() for word in words}, key=len):
        if not any(word.startswith(start) for start in starts):  # "sieben" covers "siebenundzwanzig"
            starts.append(word)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, starts))})")  # on lowercased text: faster than IGNORECASE


@cache
def _months(lang: str) -> dict[str, int]:
    """Month names, full and abbreviated, of the language (CLDR's, through Babel)."""
    from babel.dates import get_month_names

    return {name.casefold().rstrip("."): number for width in ("wide", "abbreviated")
            for number, name in get_month_names(width, locale=lang).items()}
