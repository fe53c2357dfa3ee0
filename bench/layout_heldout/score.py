"""Score reportmt's reading of the held-out layout set against its ground truth.

Run with the project's interpreter:  python -m bench.layout_heldout.score FOLDER [--docs N] [--per-doc]
(FOLDER holds docs/ and truth/, as make_set.py writes them.)
It prints figures per category and overall, then the kinds of misses with counts. It never
prints document text. --per-doc adds one line of figures per document (file names only).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from reportmt.documents import prepare_document
from reportmt.sources import SourceError

from .common import norm, wtoks

CATEGORIES = ["text PDF", "LibreOffice PDF", "DOCX", "ODT", "HTML", "clean scan", "degraded scan"]
BLOCK_OF = {"heading": "heading", "paragraph-sentence": "paragraph", "list_item": "list_item", "table_cell": "table_cell",
            "caption": "caption", "footnote": "footnote"}
KIND_WORD = {"heading": "heading", "paragraph-sentence": "sentence", "list_item": "list item", "table_cell": "table cell",
             "caption": "caption", "footnote": "footnote"}
SCAN_SIMILARITY = 0.9
BULLET = re.compile(r"^\s*(?:[•·▪◦‣∙*\-–—]|\(?\d{1,2}[.)]|[a-z]\))\s*")


# ====================================================================== reading

def read(path: Path, work: Path):
    """(records, furniture texts, metadata, failure): records are (text, block, page)."""
    try:
        doc = prepare_document(path, corpus_root=path.parent, work_dir=work)
        records = [(s.text, s.place.block, s.place.page) for s in doc.sentences()]
        return records, [f.text for f in doc.furniture], dict(doc.file_metadata or {}), None
    except SourceError as exc:
        return [], [], {}, ("refused", getattr(exc, "reason", str(exc)))
    except Exception as exc:  # a crash is a finding, not the end of the run
        return [], [], {}, ("crashed", type(exc).__name__)


# ====================================================================== matching

class Doc:
    def __init__(self, truth: dict):
        self.t = truth
        self.units = truth["units"]
        self.scan = truth["category"].endswith("scan")
        self.toks = [wtoks(u["text"]) for u in self.units]
        self.stream = [(tok, ui, k) for ui, toks in enumerate(self.toks) for k, tok in enumerate(toks)]
        self.index = defaultdict(list)
        for j, (tok, _, _) in enumerate(self.stream):
            self.index[tok].append(j)
        self.start = {}
        pos = 0
        for ui, toks in enumerate(self.toks):
            self.start[ui] = pos
            pos += len(toks)
        first_of_note = {}
        for ui, u in enumerate(self.units):
            if u["kind"] == "footnote" and u.get("note") not in first_of_note:
                first_of_note[u.get("note")] = ui
        self.first_of_note = set(first_of_note.values())
        self.note_labels = {str(u.get("label")).strip("[]").casefold() for u in self.units if u.get("label")}
        self.variants = self._variants()

    def _variants(self):
        """Normalised text -> [(unit, note)]: the unit itself, and forms that count as whole
        with a remark (footnote marker kept in the sentence, footnote number kept, spacing)."""
        out = defaultdict(list)
        for ui, u in enumerate(self.units):
            text = u["text"]
            out[norm(text)].append((ui, None))
            if u.get("markers"):
                for sep in ("", " "):
                    marked = text
                    for m in sorted(u["markers"], key=lambda m: -m["pos"]):
                        marked = marked[:m["pos"]] + sep + m["label"] + marked[m["pos"]:]
                    out[norm(marked)].append((ui, "footnote marker kept in the sentence, glued to the word before it" if sep == ""
                                              else "footnote marker kept in the sentence as a separate token"))
            if u["kind"] == "footnote" and ui in self.first_of_note and u.get("label"):
                for form in (f"{u['label']} {text}", f"{u['label']}{text}", f"{u['label']}. {text}", f"[{u['label']}] {text}"):
                    out[norm(form)].append((ui, "footnote number kept at the start of the footnote"))
        return out

    def exact(self, text):
        """Units whose text (or a tolerated form) equals the record, with the remark."""
        key = norm(text)
        hits = list(self.variants.get(key, []))
        if not hits:
            stripped = BULLET.sub("", key, count=1)
            if stripped != key:
                hits = [(ui, "list bullet or number kept in the item") for ui, n in self.variants.get(stripped, [])
                        if self.units[ui]["kind"] == "list_item" and n is None]
        if not hits:
            squeezed = key.replace(" ", "")
            hits = [(ui, "spacing differs inside a unit") for ui, u in enumerate(self.units)
                    if norm(u["text"]).replace(" ", "") == squeezed]
        return hits

    def align(self, rtoks, cursor):
        """Pieces of the truth that the record's tokens stand for, as record index -> stream
        index; runs of two tokens or more (or a whole one-token unit), nearest the cursor."""
        found = {}
        k = 0
        prev = cursor
        while k < len(rtoks):
            best = None
            for j in self.index.get(rtoks[k], ()):
                n = 0
                while k + n < len(rtoks) and j + n < len(self.stream) and self.stream[j + n][0] == rtoks[k + n]:
                    n += 1
                score = (n, -abs(j - prev))
                if best is None or score > best[0]:
                    best = (score, j, n)
            if best is None:
                k += 1
                continue
            _, j, n = best
            ui = self.stream[j][1]
            if n == 1 and not (len(self.toks[ui]) == 1 or len(rtoks) == 1 or abs(j - prev) <= 2):
                k += 1
                continue
            for i in range(n):
                found[k + i] = j + i
            prev = j + n
            k += n
        return found


def similarity(a, b):
    return SequenceMatcher(None, norm(a).casefold(), norm(b).casefold(), autojunk=False).ratio()


# ====================================================================== scoring one document

def score(truth: dict, docs: Path, work: Path, misses: Counter, notes: Counter, per_cat_miss: dict):
    path = docs / truth["doc"]
    cat = truth["category"]
    d = Doc(truth)
    records, furniture_read, meta, failure = read(path, work)
    res = {"doc": truth["doc"], "category": cat, "units": len(d.units), "records": len(records), "whole_records": 0,
           "units_whole": 0, "kind_checked": 0, "kind_right": 0, "meta_checked": 0, "meta_right": 0, "date_checked": 0,
           "date_right": 0, "failure": failure[0] if failure else None}

    def miss(kind, n=1):
        if n:
            misses[kind] += n
            per_cat_miss[kind][cat] += n

    # ---- word recall (multiset); scans case-insensitive
    fold = d.scan
    truth_words = Counter(t for u in d.units for t in wtoks(u["text"], fold=fold))
    rec_words = Counter(t for r in records for t in wtoks(r[0], fold=fold))
    res["words"] = sum(truth_words.values())
    res["words_found"] = sum(min(c, rec_words[w]) for w, c in truth_words.items())

    if failure:
        what = {"refused": "document refused", "crashed": "reader crashed"}[failure[0]]
        detail = ("scan" if d.scan else cat) + (f", {failure[1]}" if failure[0] == "crashed" else "")
        miss(f"{what} ({detail})")
        miss("unit lost because the document was refused" if failure[0] == "refused"
             else "unit lost because the reader crashed", len(d.units))

    # ---- furniture text for leak checks
    furn = Counter()
    furn_kind = {}
    for f in truth["furniture"]:
        key = tuple(wtoks(f["text"]))
        if key:
            furn[key] += 1
            furn_kind[key] = f["kind"]

    ocr_leaks = 0

    # ---- whole units
    matched_unit = {}  # unit -> record
    rec_unit = {}  # record -> unit (whole)
    duplicates = []
    for ri, (text, _block, _page) in enumerate(records):
        hits = d.exact(text)
        free = [(ui, n) for ui, n in hits if ui not in matched_unit]
        if free:
            # prefer the unit the remark-free way, then reading order
            ui, note = sorted(free, key=lambda h: (h[1] is not None, h[0]))[0]
            matched_unit[ui] = ri
            rec_unit[ri] = ui
            if note:
                notes[note] += 1
        elif hits:
            duplicates.append((ri, hits[0][0]))
    # scans: a record within the similarity threshold of a unit counts as that unit
    cover = defaultdict(lambda: defaultdict(set))  # unit -> record -> set of unit token indices
    rec_pieces = {}
    cursor = 0
    for ri, (text, _block, _page) in enumerate(records):
        if ri in rec_unit:
            ui = rec_unit[ri]
            cover[ui][ri] = set(range(len(d.toks[ui])))
            cursor = d.start[ui] + len(d.toks[ui])
            continue
        if any(ri == r for r, _ in duplicates):
            ui = dict(duplicates)[ri]
            cover[ui][ri] = set(range(len(d.toks[ui])))
            continue
        rtoks = wtoks(text)
        if len(rtoks) == 1 and rtoks[0] in d.note_labels and re.fullmatch(r"\W*\w+\W*", norm(text)):
            miss("footnote number became a record of its own")
            continue
        if rtoks and all(t.isdigit() for t in rtoks) and tuple(rtoks) in furn:
            continue  # a page number: counted with the furniture leaks
        found = d.align(rtoks, cursor)
        pieces = defaultdict(set)
        for j in found.values():
            _, ui, tk = d.stream[j]
            pieces[ui].add(tk)
        if d.scan:
            best = max(pieces, key=lambda u: len(pieces[u]), default=None)
            candidates = [best] if best is not None else []
            if not candidates:  # nothing aligned (OCR noise): compare with every unit not yet matched
                candidates = [ui for ui in range(len(d.units)) if ui not in matched_unit]
            scored = sorted(((similarity(text, d.units[ui]["text"]), ui) for ui in candidates if ui not in matched_unit),
                            reverse=True)
            if scored and scored[0][0] >= SCAN_SIMILARITY:
                ui = scored[0][1]
                matched_unit[ui] = ri
                rec_unit[ri] = ui
                cover[ui][ri] = set(range(len(d.toks[ui])))
                cursor = d.start[ui] + len(d.toks[ui])
                continue
        for ui, ks in pieces.items():
            cover[ui][ri] |= ks
        rec_pieces[ri] = (rtoks, found, pieces)
        if found:
            cursor = max(found.values()) + 1

    res["whole_records"] = len(rec_unit)
    res["units_whole"] = len(matched_unit)

    # ---- block kinds of whole records
    for ri, ui in rec_unit.items():
        want = BLOCK_OF[d.units[ui]["kind"]]
        got = records[ri][1]
        res["kind_checked"] += 1
        ok = got == want or (want == "footnote" and got == "endnote")
        res["kind_right"] += ok
        if not ok:
            miss(f"block kind: {KIND_WORD[d.units[ui]['kind']]} marked as {got}")

    # ---- read twice
    def twice_word(u):
        if u.get("frame"):
            return "text box"
        if u.get("nested"):
            return "nested table cell"
        if u["kind"] == "table_cell" and u.get("row") == 0 and truth["doc"].endswith(".pdf"):
            return "table header row (repeated on the next page)"
        return KIND_WORD[u["kind"]]

    for _ri, ui in duplicates:
        miss(f"{twice_word(d.units[ui])} read twice")
    for ui, recs in cover.items():
        full = [ri for ri, ks in recs.items() if len(ks) >= max(1, 0.6 * len(d.toks[ui]))]
        if len(full) >= 2 and not any(ri == r for r, _ in duplicates if r in full):
            miss(f"{twice_word(d.units[ui])} read twice (inside other records)")

    # ---- records that are not whole units: glued, cut, extra
    altered = set()
    rec_tok_lists = [wtoks(r[0]) for r in records]
    for ri, (rtoks, found, pieces) in rec_pieces.items():
        touched = []
        for ui, ks in pieces.items():
            if len(ks) >= min(2, len(d.toks[ui]), len(rtoks)):
                first = min(k for k, j in found.items() if d.stream[j][1] == ui)
                touched.append((first, ui))
        touched.sort()
        if not touched:
            if any(f and _contains(rtoks, f) for f in furn):
                continue  # counted with the furniture leaks below
            near = [f for f in truth["furniture"] if similarity(records[ri][0], f["text"]) >= 0.8]
            if near:
                ocr_leaks += 1
                miss(f"furniture leak: {_furn_word([near[0]['kind']])} as a record of its own (text not exact, e.g. OCR)")
            elif all(t.isdigit() for t in rtoks) and rtoks:
                miss("stray number became a record")
            elif rtoks:
                miss("record with text that is not in the body (not furniture either)")
            else:
                miss("record with no words (punctuation or symbols only)")
            continue
        for (_, a), (_, b) in zip(touched, touched[1:]):
            miss(_glue_kind(d, a, b))
        if len(touched) == 1:
            ui = touched[0][1]
            alone = len([r for r, ks in cover[ui].items() if ks]) == 1
            ends = 0 in pieces[ui] and len(d.toks[ui]) - 1 in pieces[ui]
            if alone and ends and len(pieces[ui]) < len(d.toks[ui]) and similarity(records[ri][0], d.units[ui]["text"]) >= 0.85:
                altered.add(ui)
                if _hyphen_dropped(d.units[ui]["text"], records[ri][0]):
                    miss("compound word's hyphen dropped at a line end (text layer)")
                elif d.scan:
                    miss("OCR: unit read whole but below the similarity threshold")
                else:
                    miss(f"{KIND_WORD[d.units[ui]['kind']]} read whole but its text altered")
                continue
            if len(pieces[ui]) >= len(d.toks[ui]):  # the whole unit, with something more or altered
                extra = [rtoks[k] for k in range(len(rtoks)) if k not in found]
                labels = {m["label"].strip("[]").casefold() for m in d.units[ui].get("markers", [])}
                if extra and labels and set(extra) <= labels | set("0123456789"):
                    miss("footnote marker glued into a word of the sentence")
                elif extra and _fragment_of_other(extra, d, ui):
                    pass  # a piece of another unit: counted with that unit's cut
                elif extra and any(_contains(extra, f) for f in furn):
                    pass  # counted as a furniture leak below
                elif d.scan:
                    miss("OCR: unit read whole but below the similarity threshold")
                elif _hyphen_dropped(d.units[ui]["text"], records[ri][0]):
                    miss("compound word's hyphen dropped at a line end (text layer)")
                else:
                    miss(f"{KIND_WORD[d.units[ui]['kind']]} read whole but its text altered")

    # ---- cuts and lost parts, per unit
    for ui, recs in cover.items():
        u = d.units[ui]
        n = len(d.toks[ui])
        if ui in matched_unit or ui in altered or n == 0:
            continue
        spans = sorted((min(ks), max(ks), ri) for ri, ks in recs.items() if ks)
        covered = set().union(*recs.values())
        gaps = _gaps(covered, n)
        min_gap = 3 if d.scan else 2
        cuts = set()
        for (_a0, b0, r0), (a1, _b1, r1) in zip(spans, spans[1:]):
            if r1 != r0 and b0 < a1 <= b0 + 2:  # one record ends where the next one takes over
                cuts.add(a1 if a1 == b0 + 1 else b0 + 1)
        as_table = u["kind"] != "table_cell" and any(records[ri][1] == "table_cell" for ri in recs)
        for k in sorted(cuts):
            miss(_cut_kind(d, ui, k) + (" (text taken for a table)" if as_table else ""))
        for g0, g1 in gaps:
            piece = tuple(d.toks[ui][g0:g1 + 1])
            elsewhere = [rj for rj, rt in enumerate(rec_tok_lists) if rj not in recs and len(rt) >= len(piece)
                         and (tuple(rt[:len(piece)]) == piece or tuple(rt[-len(piece):]) == piece)]
            if elsewhere and (g0 > 0 or g1 < n - 1):
                other = _dominant_kind(d, rec_tok_lists[elsewhere[0]], ui)
                miss(_cut_kind(d, ui, g0 if g0 > 0 else g1 + 1)
                     + (f" (the piece went into a {other} record)" if other else " (the piece became a record of its own)"))
            elif g1 - g0 + 1 >= min_gap:
                miss(f"part of a {KIND_WORD[u['kind']]} lost" + (" (image-only page)" if u.get("image_page") else ""))
            elif not d.scan:
                miss(f"a word of a {KIND_WORD[u['kind']]} lost or altered")

    # ---- units not read at all
    furn_read = " ".join(norm(f).casefold() for f in furniture_read)
    if not failure:
        for ui, u in enumerate(d.units):
            if ui in cover or not d.toks[ui]:
                continue
            if u.get("image_page"):
                miss("image-only page of a mixed PDF not read")
            elif norm(u["text"]).casefold() in furn_read:
                miss(f"{KIND_WORD[u['kind']]} moved to furniture")
            else:
                what = "text box sentence" if u.get("frame") else ("nested table cell" if u.get("nested") else KIND_WORD[u["kind"]])
                miss(f"{what} lost")

    # ---- furniture leaks: occurrences in the records beyond those in the truth
    unit_tok_lists = d.toks
    leaks = 0
    for f, m in furn.items():
        in_records = sum(_count(r, f) for r in rec_tok_lists)
        in_truth = sum(_count(u, f) for u in unit_tok_lists)
        leaked = min(m, max(0, in_records - in_truth))
        if leaked:
            leaks += leaked
            alone = any(_is_alone(r, f) for r in rec_tok_lists)
            word = _furn_word([furn_kind[f]])
            miss(f"furniture leak: {word} " + ("as a record of its own" if alone else "inside a body record"), leaked)
    res["furniture"] = sum(furn.values())
    res["leaks"] = leaks + ocr_leaks

    # ---- metadata
    want = truth.get("metadata", {})
    for field in ("title", "author"):
        if field in want:
            res["meta_checked"] += 1
            got = norm(str(meta.get(field) or "")).casefold()
            exp = norm(want[field]).casefold()
            ok = got == exp or (cat == "HTML" and field == "title" and re.match(re.escape(exp) + r"\s*[|–\-:·]", got))
            res["meta_right"] += bool(ok)
            if not ok and not failure:
                if not got:
                    miss(f"metadata: {field} missing")
                elif wtoks(got) == wtoks(exp):
                    miss(f"metadata: {field} right but its punctuation changed")
                else:
                    miss(f"metadata: {field} wrong")
    if want.get("placeholder"):
        for field in ("title", "author"):
            if str(meta.get(field) or "").strip().casefold() in ("untitled", "anonymous"):
                miss(f"metadata: placeholder PDF {field} reported as the {field}")
    if cat == "HTML" and "date" in want:
        res["date_checked"] = 1
        got = _iso(str(meta.get("date") or ""))
        res["date_right"] = int(got == want["date"])
        if got != want["date"] and not failure:
            if not got:
                miss("metadata: HTML date missing")
            elif got in truth.get("body_dates", []):
                miss("metadata: HTML date taken from the body text, not the page's meta date")
            else:
                miss("metadata: HTML date wrong")

    # ---- OCR: line-end hyphenation
    if (d.scan or truth.get("hyphenated")) and records:
        joined = " ".join(norm(r[0]).casefold() for r in records)
        for h in truth.get("hyphenated", []):
            word, head, tail = h["word"].casefold(), h["head"].casefold(), h["tail"].casefold()
            if h["real_hyphen"]:
                if re.search(re.escape(head) + r"\s+" + re.escape(tail), joined):
                    miss("OCR: compound hyphen at a line end left with a space")
                elif head.rstrip("-") + tail in joined and word not in joined:
                    miss("OCR: compound hyphen at a line end dropped")
            else:
                if re.search(re.escape(head) + r"-\s*" + re.escape(tail), joined):
                    miss("OCR: line-end hyphen not undone")
                elif re.search(re.escape(head) + r"\s+" + re.escape(tail), joined):
                    miss("OCR: hyphenated word split in two")
    return res


def _fragment_of_other(extra, d, ui):
    seq = tuple(extra)
    return any(_contains(toks, seq) for uj, toks in enumerate(d.toks) if uj != ui)


def _dominant_kind(d, rtoks, skip):
    votes = Counter()
    for uj, toks in enumerate(d.toks):
        if uj != skip and len(toks) >= 2:
            for i in range(len(rtoks) - 1):
                if _contains(toks, tuple(rtoks[i:i + 2])):
                    votes[uj] += 1
    if not votes:
        return None
    return KIND_WORD[d.units[votes.most_common(1)[0][0]]["kind"]]


def _hyphen_dropped(unit_text, record_text):
    u, r = norm(unit_text), norm(record_text)
    return "-" in u and any(u[:i] + u[i + 1:] == r for i, ch in enumerate(u) if ch == "-")


def _contains(seq, sub):
    return _count(seq, sub) > 0


def _count(seq, sub):
    n, L = 0, len(sub)
    if not L:
        return 0
    for i in range(len(seq) - L + 1):
        if tuple(seq[i:i + L]) == sub:
            n += 1
    return n


def _is_alone(rtoks, f):
    rest = list(rtoks)
    for i in range(len(rest) - len(f) + 1):
        if tuple(rest[i:i + len(f)]) == f:
            del rest[i:i + len(f)]
            break
    else:
        return False
    return all(t.isdigit() or len(t) <= 1 for t in rest)


def _furn_word(kinds):
    k = kinds[0]
    return {"page_header": "running header", "page_footer": "page footer", "page_number": "page number",
            "toc_entry": "table-of-contents entry", "nav": "site navigation", "page_footer_field": "page footer"}.get(k, k)


def _gaps(covered, n):
    gaps, start = [], None
    for k in range(n):
        if k not in covered:
            start = k if start is None else start
        elif start is not None:
            gaps.append((start, k - 1))
            start = None
    if start is not None:
        gaps.append((start, n - 1))
    return gaps


def _glue_kind(d, a, b):
    ua, ub = d.units[a], d.units[b]
    ka, kb = ua["kind"], ub["kind"]
    if (ka == "footnote") != (kb == "footnote"):
        return "footnote text inside a body record"
    if ka == kb == "footnote":
        return "footnote sentences not split" if ua.get("note") == ub.get("note") else "two footnotes glued"
    if ka == "heading" and kb == "heading":
        return "headings glued together"
    if ka == "heading":
        return "heading glued into the following text"
    if kb == "heading":
        return "heading glued onto the preceding text"
    if "caption" in (ka, kb):
        return "caption glued to neighbouring text"
    if ka == kb == "table_cell":
        if bool(ua.get("nested")) != bool(ub.get("nested")):
            return "nested table glued to an outer table cell"
        if ua.get("table") != ub.get("table"):
            return "two tables glued"
        return "cells of one table row glued" if ua.get("row") == ub.get("row") else "table row glued to the next row"
    if "table_cell" in (ka, kb):
        return "table cell glued to surrounding text"
    if ka == kb == "list_item":
        return "list items glued"
    if "list_item" in (ka, kb):
        return "list item glued to surrounding text"
    if bool(ua.get("frame")) != bool(ub.get("frame")):
        return "text box glued into body text"
    if ua.get("para") == ub.get("para"):
        if ub.get("br"):
            return "<br> lines glued"
        if any(m["pos"] >= len(ua["text"]) for m in ua.get("markers", [])):
            return "two sentences in one record (split missed after a footnote marker)"
        return "two sentences in one record (split missed" + _split_detail(ua["text"], ub["text"]) + ")"
    where = set(ua.get("pages", [])) != set(ub.get("pages", [])) and ua.get("pages") and ub.get("pages")
    return "two paragraphs run together" + (" across a page" if where else "")


def _split_detail(first, second):
    last = first.rstrip().split()[-1] if first.split() else ""
    nxt = second.lstrip()[:1]
    if re.search(r"\d\.$", last):
        return " after a number ending the sentence"
    if last.endswith(("etc.", "ff.)", "ff.", "usw.")) or re.search(r"\b\w{1,4}\.$", last) and len(last) <= 5:
        return " after a short word or abbreviation"
    if nxt.isdigit():
        return ", next sentence starts with a number"
    if nxt in "„\"«'":
        return ", next sentence starts with a quote"
    if nxt.islower():
        return ", next sentence starts lower-case"
    return ""


def _cut_kind(d, ui, k):
    u = d.units[ui]
    what = KIND_WORD[u["kind"]]
    breaks = u.get("breaks") or {}
    brk = breaks.get(str(k))
    if brk is None and d.scan:  # OCR noise moves token boundaries: a break next to the cut counts
        brk = breaks.get(str(k - 1)) or breaks.get(str(k + 1))
        if brk is None and any(h["unit"] == ui for h in d.t.get("hyphenated", [])):
            brk = "line"
    if brk == "page":
        return f"{what} cut at a page break"
    if brk == "column":
        return f"{what} cut at a column break"
    between = _between(u["text"], k)
    for m in u.get("markers", []):
        if _token_index_at(u["text"], m["pos"]) == k:
            return f"{what} cut at a footnote marker"
    if "." in between:
        return f"{what} cut after an abbreviation or a number's full stop"
    if ":" in between or ";" in between:
        return f"{what} cut at a colon or semicolon"
    if "(" in between or ")" in between:
        return f"{what} cut at a bracket"
    if brk == "line":
        return f"{what} cut at a line end"
    return f"{what} cut mid-text (other)"


def _spans(text):
    out = []
    text = norm(text)
    for m in re.finditer(r"[^\W\d_]+|\d+", text):
        out.append((m.start(), m.end()))
    return text, out


def _between(text, k):
    text, spans = _spans(text)
    if 0 < k < len(spans):
        return text[spans[k - 1][1]:spans[k][0]]
    return ""


def _token_index_at(text, pos):
    # the marker stands after the token that ends at or before pos
    prefix = wtoks(text[:pos])
    return len(prefix)


def _iso(text):
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return m.group(0)
    m = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if m:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return ""


# ====================================================================== report

def pct(a, b):
    return f"{100 * a / b:5.1f}%" if b else "   - "


def score_all(folder: Path, limit: int | None = None, per_doc: bool = False):
    """Score every document under ``folder``/docs against ``folder``/truth: (results, misses,
    tolerated notes, misses by category). Scratch files go to a folder inside ``folder``."""
    folder = Path(folder)
    truths = [json.loads(p.read_text()) for p in sorted((folder / "truth").glob("*.json"))]
    if limit:
        truths = truths[:limit]
    misses, notes = Counter(), Counter()
    per_cat_miss = defaultdict(Counter)
    results = []
    work = Path(tempfile.mkdtemp(prefix="score-", dir=folder))
    try:
        for t in truths:
            r = score(t, folder / "docs", work, misses, notes, per_cat_miss)
            results.append(r)
            if per_doc:
                print(f"  {r['doc']:<44} units {r['units']:3d} records {r['records']:3d} whole {r['whole_records']:3d} "
                      f"words {pct(r['words_found'], r['words'])} leaks {r['leaks']}/{r['furniture']}"
                      + (f" [{r['failure']}]" if r["failure"] else ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results, misses, notes, per_cat_miss


def agg(rows):
    s = Counter()
    for r in rows:
        for k, v in r.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                s[k] += v
        s["docs"] += 1
        s["refused"] += r["failure"] == "refused"
        s["crashed"] += r["failure"] == "crashed"
    return s


def main():
    folders = [a for a in sys.argv[1:] if not a.startswith("--") and not a.isdigit()]
    if len(folders) != 1:
        sys.exit("usage: python -m bench.layout_heldout.score FOLDER [--docs N] [--per-doc]")
    limit = None
    if "--docs" in sys.argv:
        limit = int(sys.argv[sys.argv.index("--docs") + 1])
    t0 = time.time()
    results, misses, notes, per_cat_miss = score_all(Path(folders[0]), limit, "--per-doc" in sys.argv)

    head = (f"{'category':<16}{'docs':>5}{'units':>6}{'recs':>6}  {'whole_units':>11}  {'units_whole':>11}  {'word_recall':>11}  "
            f"{'furn_leaks':>10}  {'block_kind':>10}  {'metadata':>8}  {'html_date':>9}  {'refused':>7}  {'crashed':>7}")
    print(head)
    print("-" * len(head))
    for cat in CATEGORIES + ["ALL"]:
        sel = [r for r in results if cat == "ALL" or r["category"] == cat]
        if not sel:
            continue
        s = agg(sel)
        if cat == "ALL":
            print("-" * len(head))
        print(f"{cat:<16}{s['docs']:>5}{s['units']:>6}{s['records']:>6}  {pct(s['whole_records'], s['records']):>11}  "
              f"{pct(s['units_whole'], s['units']):>11}  {pct(s['words_found'], s['words']):>11}  "
              f"{str(s['leaks']) + '/' + str(s['furniture']):>10}  {pct(s['kind_right'], s['kind_checked']):>10}  "
              f"{str(s['meta_right']) + '/' + str(s['meta_checked']):>8}  "
              f"{(str(s['date_right']) + '/' + str(s['date_checked'])) if s['date_checked'] else '-':>9}  "
              f"{s['refused']:>7}  {s['crashed']:>7}")
    print("\nwhole_units: records that are exactly one whole truth unit, over all records; units_whole: truth units read as "
          "one whole record, over all units;\nword_recall: truth words found in the records (multiset; scans case-insensitive); "
          "furn_leaks: furniture strings found in records / furniture strings;\nblock_kind: whole records with the right block kind; "
          "metadata: title/author right / expected; refused/crashed: documents.")
    print("\nKinds of misses (count; by category):")
    for kind, n in sorted(misses.items(), key=lambda kv: (-kv[1], kv[0])):
        cats = ", ".join(f"{c} {m}" for c, m in sorted(per_cat_miss[kind].items(), key=lambda kv: -kv[1]))
        print(f"  {n:5d}  {kind}   [{cats}]")
    if notes:
        print("\nTolerated differences (counted as whole units):")
        for kind, n in notes.most_common():
            print(f"  {n:5d}  {kind}")
    total_records = sum(r["records"] for r in results)
    print(f"\nscored {len(results)} documents, {total_records} records in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
