"""What the Terms and Suggestions pages show, computed once per snapshot and glossary
version in a background thread: both read every record, seconds on a large corpus, so no
request computes them. A page shows the figures last computed (and says so when they are
of an earlier snapshot); only before the first, it waits for them a while."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..glossary import Normalizer
from ..glossary.suggest import Suggestion, suggest
from ..qa.flags import TERM_MISSING, evidence, family
from ..reader import Corpus
from .background import OneAtATime

FIRST_WAIT_SECONDS = 10.0  # a page asked before any figures exist waits this long, then says they are coming


@dataclass(frozen=True)
class GlossaryFigures:
    snapshot: str
    glossary_version: str
    terms: list[dict]  # per glossary entry: entry, occurrences, replaced (variant -> count), missing (records)
    suggestions: list[Suggestion]


MISSING_SHOWN = 20  # records flagged for missing a term that the Terms page lists; the rest are counted


class FiguresFollower:
    """Computes the figures of the snapshot in force, one computation at a time."""

    def __init__(self, corpus_dir: Path, normalizer: Callable[[], Normalizer]):
        self.corpus_dir = corpus_dir
        self.normalizer = normalizer  # the workspace's, which an accepted suggestion replaces
        self.latest: GlossaryFigures | None = None
        self._computed = threading.Event()
        self._computation = OneAtATime("glossary-figures", self._compute, "The glossary figures were not computed")

    def current(self, corpus: Corpus) -> GlossaryFigures | None:
        """The figures last computed; a computation for ``corpus`` starts if they are not its."""
        latest = self.latest
        if latest is None or (latest.snapshot, latest.glossary_version) != (corpus.snapshot.name, self.normalizer().glossary.version):
            self.nudge()
        if latest is None and self._computed.wait(FIRST_WAIT_SECONDS):
            latest = self.latest
        return latest

    def nudge(self) -> None:
        self._computation.nudge()

    def _compute(self) -> None:
        corpus, normalizer = Corpus(self.corpus_dir), self.normalizer()
        self.latest = GlossaryFigures(corpus.snapshot.name, normalizer.glossary.version, term_figures(corpus, normalizer),
                                      suggest(corpus.records(), normalizer.glossary))
        self._computed.set()


def term_figures(corpus: Corpus, normalizer: Normalizer) -> list[dict]:
    """Per glossary entry: how often the corpus uses it, the variants replaced, and the
    records flagged for missing it (how many, and the first MISSING_SHOWN: a page lists them)."""
    entries: dict[str, dict[str, Any]] = {e.id: {"entry": e, "occurrences": 0, "replaced": {}, "missing": [], "missing_count": 0}
               for e in normalizer.glossary.entries}
    for record in corpus.records():
        english = record["en_text"] if record["review"] else (record["mt_text"] or record["src_text"])
        for match in normalizer.normalize(english).matches:
            stats = entries[match.entry_id]
            stats["occurrences"] += 1
            if match.matched != match.canonical:
                stats["replaced"][match.matched] = stats["replaced"].get(match.matched, 0) + 1
        for flag in record["qa"]:
            missed = evidence(flag)  # the entry's id, in a term_missing flag
            if family(flag) == TERM_MISSING and missed is not None and missed in entries:
                stats = entries[missed]
                stats["missing_count"] += 1
                if len(stats["missing"]) < MISSING_SHOWN:
                    stats["missing"].append({key: record[key] for key in ("doc_id", "record_id", "seg_index")})
    return list(entries.values())
