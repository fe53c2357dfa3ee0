"""The translation checks (reportmt.qa): how well they judge pairs, and what they cost on long lines.

1. Precision and recall per family on the held-out sets (bench/qa_heldout: written by
   people other than the checks' developer, never read by them; scored by
   reportmt/qa/scoring.py, which prints figures and kinds of misses only), and the same
   on the tuning sets the checks were calibrated on (tests/data/qa), for comparison.
2. Linear time: the checks, and `untranslated` alone, on one line of 30 KB and one of
   300 KB; a linear check takes about ten times as long on the second.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from bench.qa_heldout import FIFTH, FOURTH, FRESH, PAIRS, THIRD
from reportmt.qa import scoring as score

HELD_OUT = {"fifth held-out": FIFTH, "fourth held-out": FOURTH, "third held-out": THIRD, "second held-out": FRESH,
            "first held-out": PAIRS}
LINE_BYTES = (30_000, 300_000)


def tuning_sets(repo: Path) -> list[Path]:
    return [repo / "tests" / "data" / "qa" / name for name in ("pairs.tsv", "tuning.tsv")]


def measure(repo: Path, work: Path) -> tuple[list[tuple[str, str]], dict[str, float]]:
    check = score.project_check()
    rows: list[tuple[str, str]] = []
    figures: dict[str, float] = {}
    for name, paths in (("tuning", tuning_sets(repo)), *((n, [p]) for n, p in HELD_OUT.items() if p.exists())):
        measured = [score.evaluate(check, path) for path in paths]
        pairs = sum(m.pairs for m in measured)
        correct, errors = sum(m.correct for m in measured), sum(m.errors for m in measured)
        false_rate = sum(m.false_flag_rate * m.correct for m in measured) / correct
        caught = sum(m.caught_rate * m.errors for m in measured) / errors
        rows.append((f"qa {name} set", f"{pairs} pairs ({correct} correct, {errors} with errors): "
                                       f"{false_rate:.1%} of correct pairs flagged (target <= 3%), "
                                       f"{caught:.1%} of errors caught (target >= 85%)"))
        key = name.replace(" ", "_").replace("-", "_")
        figures[f"qa_{key}_false_flags"], figures[f"qa_{key}_caught"] = round(false_rate, 3), round(caught, 3)
        if len(measured) == 1:
            rows += [(f"qa {name}: {family}", f"precision {stats.precision:.2f}, recall {stats.recall:.2f} "
                                              f"({stats.true_positives}/{stats.support}, {stats.flagged} flagged)")
                     for family, stats in measured[0].families.items()]
    rows += _long_lines(figures)
    return rows, figures


def _long_lines(figures: dict[str, float]) -> list[tuple[str, str]]:
    from reportmt.qa.checks import Pair, check
    from reportmt.qa.untranslated import untranslated

    random.seed(7)
    german = "Der Ausschuss hat am 19. April 2024 rund 2,4 Mrd. Euro für die Provinz Ninh Binh nicht bewilligt".split()
    english = "The committee did not approve about €2.4bn for Ninh Binh province on 19 April 2024".split()
    seconds = {}
    for size in LINE_BYTES:
        source = " ".join(random.choice(german) for _ in range(size // 5))[:size]
        pair = Pair("de", source, " ".join(random.choice(english) for _ in range(size // 5))[:size])
        copied = Pair("de", source, source)
        started = time.process_time()
        untranslated(copied)
        middle = time.process_time()
        check(pair)
        seconds[size] = (middle - started, time.process_time() - middle)
    small, large = seconds[LINE_BYTES[0]], seconds[LINE_BYTES[1]]
    figures["qa_untranslated_300kb_seconds"] = round(large[0], 3)
    figures["qa_check_300kb_seconds"] = round(large[1], 2)
    return [("qa untranslated, 30 KB / 300 KB line",
             f"{small[0]:.3f}s / {large[0]:.3f}s: ratio {large[0] / small[0]:.1f}"),
            ("qa all checks, 30 KB / 300 KB line",
             f"{small[1]:.2f}s / {large[1]:.2f}s: ratio {large[1] / small[1]:.1f}")]
