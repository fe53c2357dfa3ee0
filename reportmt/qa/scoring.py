"""Score the translation checks against a labelled set of pairs: precision and recall per
family, the share of correct pairs flagged and of errors caught. The held-out sets live in
bench/qa_heldout/; the scorer prints figures and the kinds (labels) of misses and false
flags, never a pair's text, so that a set can be scored without being read.

Run:  python -m reportmt.qa.scoring PAIRS_TSV
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .checks import check as run_check
from .pair import Pair

FAMILIES = ("number_mismatch", "unit_mismatch", "negation", "name_missing", "repetition",
            "untranslated", "wrong_language", "addition", "omission")
LANGS = ("de", "fr")
Check = Callable[[str, str, str], list[str]]


@dataclass(frozen=True)
class Item:
    lang: str
    source: str
    english: str
    expected: tuple[str, ...]
    kind: str


@dataclass
class Family:
    support: int = 0
    flagged: int = 0
    true_positives: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.flagged if self.flagged else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 0.0


@dataclass
class Figures:
    pairs: int = 0
    correct: int = 0
    errors: int = 0
    by_language: Counter[str] = field(default_factory=Counter)
    false_flag_rate: float = 0.0
    caught_rate: float = 0.0
    flagged_any_rate: float = 0.0
    families: dict[str, Family] = field(default_factory=lambda: {f: Family() for f in FAMILIES})
    missed_kinds: Counter[str] = field(default_factory=Counter)
    false_flag_kinds: Counter[tuple[str, str]] = field(default_factory=Counter)


def load(path: Path) -> list[Item]:
    """Read and validate the pairs; a malformed line raises ValueError naming it."""
    items: list[Item] = []
    seen: dict[tuple[str, str, str], int] = {}
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue

        def bad(why: str, n: int = n) -> ValueError:
            return ValueError(f"{path.name}:{n}: {why}")

        cols = raw.split("\t")
        if len(cols) != 5:
            raise bad(f"expected 5 tab-separated columns, got {len(cols)}")
        lang, source, english, expected, kind = (c.strip() for c in cols)
        if lang not in LANGS:
            raise bad(f"src_lang {lang!r} is not one of {LANGS}")
        if not source or not kind:
            raise bad("empty source or kind")
        fams = () if expected == "-" else tuple(expected.split("|"))
        if unknown := [f for f in fams if f not in FAMILIES]:
            raise bad(f"unknown families {unknown}")
        if len(set(fams)) != len(fams):
            raise bad("a family is listed twice")
        if kind.startswith("correct:") != (not fams) or not kind.startswith(("correct:", "error:")):
            raise bad("kind must start with 'correct:' when expected is '-', else 'error:'")
        if (lang, source, english) in seen:
            raise bad(f"duplicate of line {seen[lang, source, english]}")
        seen[lang, source, english] = n
        items.append(Item(lang, source, english, fams, kind))
    if not items:
        raise ValueError(f"{path}: no pairs")
    return items


def families_of(flags: list[str]) -> set[str]:
    """Families named by flags (`family` or `family:evidence`); unknown families are ignored."""
    return {str(f).split(":", 1)[0].strip() for f in flags} & set(FAMILIES)


def evaluate(check: Check, path: Path) -> Figures:
    fig = Figures()
    false_flagged = caught = flagged_any = 0
    for it in load(path):
        got = families_of(check(it.lang, it.source, it.english))
        want = set(it.expected)
        fig.pairs += 1
        fig.by_language[it.lang] += 1
        for fam in FAMILIES:
            stats = fig.families[fam]
            stats.support += fam in want
            stats.flagged += fam in got
            stats.true_positives += fam in got and fam in want
        for fam in sorted(got - want):
            fig.false_flag_kinds[it.kind, fam] += 1
        if not want:
            fig.correct += 1
            false_flagged += bool(got)
            continue
        fig.errors += 1
        flagged_any += bool(got)
        caught += bool(got & want)
        if not got & want:
            fig.missed_kinds[it.kind] += 1
    fig.false_flag_rate = false_flagged / max(fig.correct, 1)
    fig.caught_rate, fig.flagged_any_rate = caught / max(fig.errors, 1), flagged_any / max(fig.errors, 1)
    return fig


def project_check() -> Check:
    return lambda lang, source, english: list(run_check(Pair(lang, source, english, raw=english)))


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.exit("usage: python -m reportmt.qa.scoring PAIRS_TSV")
    fig = evaluate(project_check(), Path(args[0]))
    langs = ", ".join(f"{k} {v}" for k, v in sorted(fig.by_language.items()))
    print(f"pairs {fig.pairs} ({langs}): {fig.correct} correct, {fig.errors} with errors")
    print(f"false-flag rate (correct pairs with any flag): {fig.false_flag_rate:6.1%}")
    print(f"caught rate (errors with an expected family): {fig.caught_rate:6.1%}")
    print(f"flagged-any rate (errors with any flag):      {fig.flagged_any_rate:6.1%}")
    print(f"\n{'family':<16}{'support':>8}{'flagged':>8}{'TP':>5}{'precision':>11}{'recall':>8}")
    for name, s in fig.families.items():
        prec = f"{s.precision:.1%}" if s.flagged else "n/a"
        print(f"{name:<16}{s.support:>8}{s.flagged:>8}{s.true_positives:>5}{prec:>11}{s.recall:>8.1%}")
    print(f"\nmissed error kinds ({sum(fig.missed_kinds.values())}):")
    for kind, n in sorted(fig.missed_kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:3}  {kind}")
    print(f"\nfalse flags, kind -> family ({sum(fig.false_flag_kinds.values())}):")
    for (kind, fam), n in sorted(fig.false_flag_kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:3}  {kind} -> {fam}")


if __name__ == "__main__":
    main()
