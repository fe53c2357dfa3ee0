"""Exports without flagged records (training data without the pairs the checks doubt),
counting what was left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from ..errors import ReportmtError
from .flags import FAMILIES, family

ALL = "all"


class Exclusion:
    """Leaves out the records carrying a flag of ``families``, and counts them by family."""

    def __init__(self, families: Iterable[str]):
        self.families = frozenset(families)
        self.left_out = 0
        self.by_family: Counter = Counter()

    @classmethod
    def parse(cls, value: str) -> Exclusion:
        """``all``, or families separated by commas ("number_mismatch,omission")."""
        wanted = [part.strip() for part in value.split(",") if part.strip()]
        if wanted == [ALL]:
            return cls(FAMILIES)
        unknown = [name for name in wanted if name not in FAMILIES]
        if unknown or not wanted:
            raise ReportmtError(f"--exclude-qa {value!r}: {', '.join(unknown) or 'no family'} is not a QA flag family",
                                f"name {ALL} or some of: {', '.join(FAMILIES)}")
        return cls(wanted)

    def kept(self, records: Iterable[dict]) -> Iterator[dict]:
        for record in records:
            hits = {family(flag) for flag in record["qa"]} & self.families
            if hits:
                self.left_out += 1
                self.by_family.update(hits)
            else:
                yield record

    def summary(self) -> str:
        families = ", ".join(f"{name} {count}" for name, count in sorted(self.by_family.items()))
        return f"left out {self.left_out} records with QA flags" + (f" ({families})" if families else "")
