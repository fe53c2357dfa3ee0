"""Dates and clock times. A date is its (day, month) and its year, so a day and a month that
swap places differ; a month counts only beside a day or a year ("Mai Van Tuat" is a name).
A clock time is its minutes on a 12-hour dial, so "18 h 30", "18.30 Uhr", "18:30" and
"6.30 p.m." agree. A decade is its first year: "années 90", "Neunzigerjahre" and "1990s"."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import cache

from babel.dates import get_month_names

from .quantity import Quantity, Value, at

NUMERIC_DATE = re.compile(
    r"(?<![\w.,/])(?P<day>\d{1,2})(?P<sep>[./])(?P<month>\d{1,2})"
    r"(?:(?P=sep)(?P<year>\d{4}|\d{2})(?![\w/]|[.,]\d)|(?<=\.)\.(?!\d))")
_COLON_TIME = re.compile(r"(?<![\w.:,])(?P<h>\d{1,2}):(?P<m>\d{2})(?![\w:])")
TIMES = {
    "en": [re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})"  # "from 9 to 11 a.m.": the first hour too
                      r"(?=\s*(?:to|-|–|and|until|till)\s*\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?\s?m\b)"),
           re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<half>[ap])\.?\s?m\b\.?", re.IGNORECASE),
           re.compile(r"(?<!\w)(?P<past>half|quarter)\s+past\s+(?P<h>\d{1,2})(?!\d)", re.IGNORECASE),
           re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})\s*o['’]clock"),
           re.compile(r"(?<!\w)(?P<noon>noon|midday|midnight)(?!\w)", re.IGNORECASE), _COLON_TIME],
    "de": [re.compile(r"(?<!\w)halb\s+(?P<before>\d{1,2})(?:\s*Uhr)?(?!\w)"),
           re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?=\s*(?:bis|-|–|und)\s*\d{1,2}(?:[:.]\d{2})?\s*Uhr)"),
           re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*Uhr(?:\s(?P<m2>\d{2})(?!\d))?"),
           re.compile(r"(?<!\w)(?P<noon>Mitternacht)(?!\w)"), _COLON_TIME],
    "fr": [re.compile(r"(?<![\w.:,])(?P<h>\d{1,2})\s?h\s?(?P<m>\d{2})?(?!\w)"),
           re.compile(r"(?<=à )(?P<h>\d{1,2})\s+heures?(?:\s+(?P<m>\d{2}))?(?!\w)"),  # "à 14 heures": a time
           re.compile(r"(?<!\w)(?P<noon>midi|minuit)(?!\w)"), _COLON_TIME],
}
_TENS = {  # a decade in words: its tens
    "en": dict(zip("twenties thirties forties fifties sixties seventies eighties nineties".split(),
                   range(20, 100, 10))),
    "de": dict(zip("zwanziger dreißiger vierziger fünfziger sechziger siebziger achtziger neunziger".split(),
                   range(20, 100, 10))) | {"dreissiger": 30},
    "fr": {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "soixante-dix": 70,
           "quatre-vingt": 80, "quatre-vingts": 80, "quatre-vingt-dix": 90},
}
_DECADE_DIGITS = r"(?P<century>1[89]|20)?(?P<decade>\d)0"
_TENS_WORD = {lang: "(?P<word>" + "|".join(sorted(tens, key=len, reverse=True)) + ")" for lang, tens in _TENS.items()}
DECADES = {  # "1990s", "'90s", "nineties"; "90er-Jahre", "Neunzigerjahre"; "années 90", "années quatre-vingt-dix"
    "en": re.compile(rf"(?<![\w.,])['’]?{_DECADE_DIGITS}['’]?s(?!\w)|(?<!\w){_TENS_WORD['en']}(?!\w)", re.IGNORECASE),
    "de": re.compile(rf"(?<![\w.,]){_DECADE_DIGITS}er(?:\s?-?\s?Jahre\w*)?(?!\w)|"
                     rf"(?<!\w){_TENS_WORD['de']}(?:\s?-?\s?jahre\w*)?(?!\w)", re.IGNORECASE),
    "fr": re.compile(rf"(?<=années\s)(?:{_DECADE_DIGITS}|{_TENS_WORD['fr']})(?!\w)", re.IGNORECASE),
}
_DAY = {"de": r"(?P<day>\d{1,2})\.\s*", "fr": r"(?P<day>\d{1,2}|premier|1er)\s+",
        "en": r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"}


def read_numeric_date(lang: str):
    def read(match: re.Match) -> list[Quantity] | None:
        day, month = int(match["day"]), int(match["month"])
        if lang == "en" and match["sep"] == "/" and day <= 12 and month <= 12:
            pairs = {(day, month), (month, day)}  # an English 04/05 may be American
        elif lang == "en" and match["sep"] == "/" and month > 12 >= day:
            pairs = {(month, day)}
        elif 1 <= day <= 31 and 1 <= month <= 12:
            pairs = {(day, month)}
        else:
            return None
        found = [_day_and_month(match, [("dm", pair) for pair in pairs])]
        if match["year"]:
            year = match["year"] if len(match["year"]) == 4 else f"20{match['year']}"
            found.append(at(match, [("n", Decimal(year))], "year"))
        return found
    return read


@cache
def month_dates(lang: str) -> list[re.Pattern]:
    """A day and a month name, with or without a year; a month name and a year."""
    flags = re.IGNORECASE if lang == "fr" else 0  # German and English months are capitalized ("may" is a verb)
    names = sorted(_month_names(lang), key=len, reverse=True)
    month = rf"(?P<month>{'|'.join(map(re.escape, names))})\.?(?!\w)"
    year = r"(?:,?\s+(?P<year>\d{4})(?!\d))"
    patterns = [rf"(?<![\w.,]){_DAY[lang]}{month}{year}?", rf"(?<!\w){month}{year}"]
    if lang == "en":
        patterns.insert(1, rf"(?<!\w){month}\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?![\w.,]\d|\d){year}?")
    return [re.compile(pattern, flags) for pattern in patterns]


def read_named_date(lang: str):
    def read(match: re.Match) -> list[Quantity] | None:
        month = _months(lang).get(match["month"].casefold())
        groups = match.groupdict()
        day = groups.get("day")
        if month is None:
            return None
        found = []
        if day:
            number = 1 if day.lower() in ("premier", "1er") else int(day)
            date = _day_and_month(match, [("dm", (number, month))])
            if date.form.endswith(".") and match["month"] in get_month_names("wide", locale=lang).values():
                date = replace(date, form=date.form[:-1])  # "am 19. April.": the sentence's stop
            found.append(date)
        else:
            found.append(at(match, [("month", month)], "month"))
        if match["year"]:
            found.append(at(match, [("n", Decimal(match["year"]))], "year"))
        return found
    return read


def _day_and_month(match: re.Match, values: list[Value]) -> Quantity:
    """The date without its year, which is a quantity of its own."""
    end = match.start("year") if match["year"] else match.end()
    return Quantity(match.string[match.start():end].strip(" ,"), frozenset(values), None, (match.start(), end))


def read_time(match: re.Match) -> list[Quantity] | None:
    groups = match.groupdict()
    if groups.get("noon"):
        return [at(match, [("time", 0)])]
    if groups.get("before"):  # "halb acht": half an hour before eight
        return [at(match, [("time", (int(match["before"]) - 1) % 12 * 60 + 30)])]
    if groups.get("past"):  # "half past three", "quarter past three"
        return [at(match, [("time", int(match["h"]) % 12 * 60 + (30 if match["past"].lower() == "half" else 15))])]
    hours, minutes = int(match["h"]), int(groups.get("m") or groups.get("m2") or 0)
    if hours > 24 or minutes > 59:
        return None
    values: list[Value] = [("time", hours % 12 * 60 + minutes)]
    if not groups.get("m") and not groups.get("half"):
        values.append(("n", Decimal(hours)))  # "18 h", "14 Uhr": maybe a duration ("18 hours")
    return [at(match, values)]


@cache
def _month_names(lang: str) -> dict[str, int]:
    """Month names as written, full and abbreviated (CLDR's, through Babel); three letters at least."""
    names = {name.rstrip("."): number for width in ("wide", "abbreviated")
             for number, name in get_month_names(width, locale=lang).items()}
    return {name: number for name, number in names.items() if len(name) >= 3} | ({"Sept": 9} if lang == "en" else {})


@cache
def _months(lang: str) -> dict[str, int]:
    return {name.casefold(): number for name, number in _month_names(lang).items()}


def read_decade(lang: str):
    def read(match: re.Match) -> list[Quantity]:
        if match["century"]:
            return [at(match, [("decade", int(match["century"]) * 100 + int(match["decade"]) * 10)])]
        tens = _TENS[lang][match["word"].lower()] if match["word"] else int(match["decade"]) * 10
        # "the twenties" are the 1920s or the 2020s; "the nineties" only the 1990s
        return [at(match, [("decade", 1900 + tens)] + ([("decade", 2000 + tens)] if tens < 30 else []))]
    return read
