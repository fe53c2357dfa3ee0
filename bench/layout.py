"""Document layout and OCR on the held-out set: 60 reports generated afresh in the work
folder (bench/layout_heldout/make_set.py), each read by reportmt and scored against its
ground truth (bench/layout_heldout/score.py).

The set was written by someone other than the reader's developer and is never tuned on:
the section prints figures and kinds of misses only, never the documents' text. Needs
`soffice`, `pdftotext` and `pdfinfo` to generate (libreoffice-writer-nogui, poppler-utils),
and Tesseract's German, French and English data for the scans.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import time
from pathlib import Path

MISS_KINDS = 25  # the commonest kinds of misses listed as rows


def measure(repo: Path, work: Path) -> tuple[list[tuple[str, str]], dict[str, float]]:
    missing = [tool for tool in ("soffice", "pdftotext", "pdfinfo") if not shutil.which(tool)]
    if missing:
        return [("layout (held-out set)", f"skipped: needs {', '.join(missing)} "
                 "(libreoffice-writer-nogui, poppler-utils)")], {}
    from bench.layout_heldout import make_set, score

    folder = work / "layout-heldout"
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[str, str]] = []
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):  # the generator's progress lines
        made = make_set.build_all(folder)
    generated = time.perf_counter() - started
    ocr = _ocr_missing()
    if ocr:
        rows.append(("layout: OCR", f"unavailable ({ocr}): the scans count as refused"))
    started = time.perf_counter()
    results, misses, notes, _ = score.score_all(folder)
    scored = time.perf_counter() - started

    figures: dict[str, float] = {}
    for category in [*score.CATEGORIES, "ALL"]:
        chosen = [r for r in results if category == "ALL" or r["category"] == category]
        if not chosen:
            continue
        s = score.agg(chosen)
        key = "layout_heldout" + ("" if category == "ALL" else "_" + category.lower().replace(" ", "_"))
        figures[f"{key}_whole_units"] = _share(s["whole_records"], s["records"])
        figures[f"{key}_word_recall"] = _share(s["words_found"], s["words"])
        if category == "ALL":
            figures[f"{key}_units_whole"] = _share(s["units_whole"], s["units"])
            figures[f"{key}_furniture_leaks"] = s["leaks"]
            figures[f"{key}_block_kind"] = _share(s["kind_right"], s["kind_checked"])
            figures[f"{key}_metadata_right"] = _share(s["meta_right"], s["meta_checked"])
            figures[f"{key}_refused"] = s["refused"]
            figures[f"{key}_crashed"] = s["crashed"]
            figures[f"{key}_documents"] = s["docs"]
            figures[f"{key}_units"] = s["units"]
        label = "all" if category == "ALL" else category
        rows.append((f"layout: {label}, {s['docs']} docs, {s['units']} units",
                     f"whole_units {_pct(s['whole_records'], s['records'])}, "
                     f"units_whole {_pct(s['units_whole'], s['units'])}, "
                     f"word_recall {_pct(s['words_found'], s['words'])}, "
                     f"furniture leaks {s['leaks']}/{s['furniture']}, block_kind {_pct(s['kind_right'], s['kind_checked'])}, "
                     f"metadata {s['meta_right']}/{s['meta_checked']}"
                     + (f", html_date {s['date_right']}/{s['date_checked']}" if s["date_checked"] else "")
                     + (f", refused {s['refused']}, crashed {s['crashed']}" if s["refused"] or s["crashed"] else "")))
    rows.append(("layout: generated, scored", f"{len(made)} documents in {generated:.0f} s, read and scored in {scored:.0f} s"))
    for kind, count in sorted(misses.items(), key=lambda kv: (-kv[1], kv[0]))[:MISS_KINDS]:
        rows.append((f"layout miss: {kind}", str(count)))
    if len(misses) > MISS_KINDS:
        rest = sorted(misses.values(), reverse=True)[MISS_KINDS:]
        rows.append((f"layout miss: {len(rest)} other kinds", str(sum(rest))))
    for kind, count in notes.most_common():
        rows.append((f"layout tolerated: {kind}", str(count)))
    return rows, figures


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _ocr_missing() -> str:
    """Why reportmt cannot OCR here, or '' when it can."""
    try:
        from reportmt.formats.ocr import OcrUnavailable, find_engine
    except ImportError:
        return ""
    engine = find_engine()
    return str(getattr(engine, "reason", engine)) if isinstance(engine, OcrUnavailable) else ""
