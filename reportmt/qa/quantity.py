"""A quantity as the number checks read it: the form as written, what it may mean, its unit.
The readers (reportmt.qa.quantities, .calendar, .number_words) make them; reportmt.qa.numbers
compares the two sides'."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .units import Unit

# ("n", Decimal): a number; ("time", minutes on a 12-hour dial); ("dm", (day, month));
# ("month", month); ("decade", its first year); ("frac", Fraction); ("ratio", (part, whole)),
# beside its "frac", for "87 von 120" read as "87 of the 120".
Value = tuple[str, object]
ONE: Value = ("n", Decimal(1))  # a bare 1 is left out: "ein", "un", "a" and "one" are articles as often


@dataclass(frozen=True)
class Quantity:
    form: str  # as written
    values: frozenset[Value]  # what the form may mean ("18 h": six o'clock, or 18 hours)
    unit: Unit | None = None
    span: tuple[int, int] = field(default=(0, 0), compare=False)
    scale: int = field(default=0, compare=False)  # the power of ten a scale word gave ("Mio.": 6)

    def parts(self) -> list[Value]:
        """A date's day and month as two values: the loosest comparison ("19. und 20. April"
        is "April 19 and 20")."""
        if len(self.values) == 1:
            (kind, value), = self.values
            if kind == "dm":
                day, month = value  # type: ignore[misc]
                return [("n", Decimal(day)), ("month", month)]
        return sorted(self.values, key=repr)[:1]


def at(match: re.Match, values: Iterable[Value], group: str | int = 0) -> Quantity:
    return Quantity(match[group].strip(), frozenset(values), None, match.span(group))


def take(text: str, patterns: Iterable[re.Pattern], found: list[Quantity],
         read: Callable[[re.Match], list[Quantity] | None]) -> str:
    """Note the quantities each match reads as, and blank the match out of the text so no
    later reader sees it; a match read as None is left in."""
    def blank(match: re.Match) -> str:
        read_here = read(match)
        if read_here is None:
            return match[0]
        found.extend(q for q in read_here if q.values != {ONE} or q.unit)
        return " " * len(match[0])

    for pattern in patterns:
        text = pattern.sub(blank, text)
    return text
