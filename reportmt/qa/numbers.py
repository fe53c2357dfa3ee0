"""Numbers a translation must keep, compared with their roles (reportmt.qa.quantities reads
them): a source quantity is kept when the English has one that may mean the same, in a
compatible unit ("2,4 Mrd. €" and "€2.4bn"; "100 km" and "62 miles"). A number kept with
another unit or currency is a unit_mismatch, and one with another scale ("Millionen" as "billion")
both: the amount is wrong through its unit; a number the English lacks, or has that the
source lacks, a number_mismatch. Dates and days are compared last by their parts, so "19.
und 20. April" and "April 19 and 20" agree while "4. Mai" and "April 5" do not."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from . import units
from .pair import Pair
from .quantities import quantities
from .quantity import Quantity

CONVERTED_TOLERANCE = Decimal("0.03")  # "100 km" is "62 miles": a translator rounds what they convert


@dataclass(frozen=True)
class NumberCheck:
    missing: list[str]  # forms of the source's quantities the English lacks
    added: list[str]  # forms of the English's quantities the source lacks
    unit_changed: list[str]  # forms of the source's quantities the English keeps with another unit


def mismatches(pair: Pair) -> list[str]:
    """The source's quantities the English lacks, then the English's the source lacks, as written."""
    found = compare(pair.source, pair.src_lang, pair.english)
    return found.missing + found.added


def unit_changes(pair: Pair) -> list[str]:
    """The source's quantities the English keeps with another unit or currency, and a rate
    given per another period ("pro Tag" as "per week")."""
    changed = compare(pair.source, pair.src_lang, pair.english).unit_changed
    if not changed and (theirs := units.periods(pair.source, pair.src_lang)):
        ours = units.periods(pair.english, "en")
        if ours and not ours & theirs:
            changed = [f"per {'/'.join(sorted(ours))} for per {'/'.join(sorted(theirs))}"]
    return changed


@lru_cache(maxsize=8)  # both families read one comparison
def compare(source: str, src_lang: str, english: str) -> NumberCheck:
    theirs, ours = quantities(source, src_lang), quantities(english, "en")
    if not theirs and not ours:
        return NumberCheck([], [], [])
    stated = list(theirs)
    _pair_off(theirs, ours, lambda q: [(v, _unit(q)) for v in q.values], lambda q: [(v, _unit(q)) for v in q.values])
    _pair_off(theirs, ours, lambda q: [(v, None if q.unit else ANY) for v in q.values],
              lambda q: [(v, _unit(q)) for v in q.values] + [(v, ANY) for v in q.values])  # a unit left out
    _converted(theirs, ours)
    changed = _pair_off(theirs, ours, lambda q: [(v, ANY) for v in q.values], lambda q: [(v, ANY) for v in q.values])
    rescaled = _pair_off(theirs, ours, _mantissas, _mantissas)  # "350 Millionen" as "350 billion"
    _ratio_as_two_numbers(theirs, ours)
    _ratio_as_two_numbers(ours, theirs)
    # A conversion the English adds ("120 km (75 miles)") to an amount it kept.
    ours[:] = [q for q in ours if not any(_convert_to(kept, q) for kept in stated)]
    _both_as_two(theirs, english, "en")
    _both_as_two(ours, source, src_lang)
    missing, added = _by_parts(theirs, ours)
    return NumberCheck([q.form for q in rescaled] + missing, added, [q.form for q in changed + rescaled])


ANY = "*"  # a key that any unit has


def _unit(quantity: Quantity) -> str | None:
    return quantity.unit.name if quantity.unit else None


def _ratio_as_two_numbers(ratios: list[Quantity], numbers: list[Quantity]) -> None:
    """Take out a share ("87 von 120") and the two numbers that write it on the other side
    ("87 of the 120 votes")."""
    for quantity in [q for q in ratios if any(kind == "ratio" for kind, _ in q.values)]:
        part, whole = next(value for kind, value in quantity.values if kind == "ratio")  # type: ignore[misc]
        found = [next((q for q in numbers if ("n", Decimal(n)) in q.values), None) for n in (part, whole)]
        if found[0] is not None and found[1] is not None and found[0] is not found[1]:
            ratios.remove(quantity)
            numbers.remove(found[0])
            numbers.remove(found[1])


# "beide", "both", "l'un et l'autre": a two that a number on the other side may write.
_BOTH = {"de": re.compile(r"(?<!\w)beide[nrs]?(?!\w)", re.IGNORECASE), "en": re.compile(r"(?<!\w)both(?!\w)", re.IGNORECASE),
         "fr": re.compile(r"(?<!\w)(?:tous|toutes) (?:les )?deux(?!\w)", re.IGNORECASE)}


def _both_as_two(left: list[Quantity], other_text: str, other_lang: str) -> None:
    """Take out a two left over on one side when the other says "both" ("den beiden
    Standorten": "the two sites")."""
    two = next((q for q in left if q.values == {("n", Decimal(2))} and q.unit is None), None)
    if two is not None and _BOTH[other_lang].search(other_text):
        left.remove(two)


def _mantissas(quantity: Quantity) -> list:
    """A scaled amount's number before its scale word: the key on which "1,2 milliard" and
    "1.2 million" agree, so that a changed scale is told as one, like a changed unit."""
    if not quantity.scale:
        return []
    return [("scaled", value / 10 ** quantity.scale) for kind, value in quantity.values if kind == "n"]


def _pair_off(theirs: list[Quantity], ours: list[Quantity], wanted: Callable[[Quantity], list],
              offered: Callable[[Quantity], list]) -> list[Quantity]:
    """Take out of both lists each source quantity and the first English one that offers a
    key the source's wants. Keys are looked up, each English quantity taken once, so that a
    long line costs what its quantities do, not their square."""
    by_key: dict[object, deque[int]] = {}
    for index, quantity in enumerate(ours):
        for key in offered(quantity):
            by_key.setdefault(key, deque()).append(index)
    taken: set[int] = set()
    paired, kept = [], []
    for quantity in theirs:
        match = None
        for key in wanted(quantity):
            waiting = by_key.get(key)
            while waiting and waiting[0] in taken:
                waiting.popleft()
            if waiting:
                match = waiting.popleft()
                break
        if match is None:
            kept.append(quantity)
        else:
            taken.add(match)
            paired.append(quantity)
    theirs[:] = kept
    ours[:] = [quantity for index, quantity in enumerate(ours) if index not in taken]
    return paired


def _converted(theirs: list[Quantity], ours: list[Quantity]) -> None:
    """Take out the pairs in two units of one dimension whose amounts agree ("100 km", "62 miles")."""
    convertible = [other for other in ours if other.unit and other.unit.dimension != other.unit.name]
    for quantity in [q for q in theirs if q.unit and q.unit.dimension != q.unit.name]:  # not currencies, %
        match = next((other for other in convertible if _convert_to(quantity, other)), None)
        if match is not None:
            theirs.remove(quantity)
            ours.remove(match)
            convertible.remove(match)


def _convert_to(a: Quantity, b: Quantity) -> bool:
    if a.unit is None or b.unit is None or a.unit.dimension != b.unit.dimension or a.unit == b.unit:
        return False
    return any(abs(a.unit.in_base(x) - b.unit.in_base(y)) <= CONVERTED_TOLERANCE * abs(a.unit.in_base(x))
               for x in _numbers_of(a) for y in _numbers_of(b))


def _numbers_of(quantity: Quantity) -> list[Decimal]:
    return [value for kind, value in quantity.values if kind == "n"]  # type: ignore[misc]


def _by_parts(theirs: list[Quantity], ours: list[Quantity]) -> tuple[list[str], list[str]]:
    """What is left, compared by parts: the forms holding a part the other side lacks."""
    wanted = Counter(part for q in theirs for part in q.parts())
    found = Counter(part for q in ours for part in q.parts())
    return _forms(theirs, wanted - found), _forms(ours, found - wanted)


def _forms(read: list[Quantity], unmatched: Counter) -> list[str]:
    left, forms = Counter(unmatched), []
    for quantity in read:
        parts = quantity.parts()
        if any(left[part] > 0 for part in parts):
            left.subtract(parts)
            forms.append(quantity.form)
    return forms
