"""Renderings the glossary does not know yet, found in the corpus and proposed for it.

Three kinds, read from the records one at a time (the corpus is never held in memory, only
the counts of candidate names):

- ``variant``: an English name close to an entry's canonical form or a known variant (word
  order, singular and plural, Committee/Commission/Board/Council, "anti-" dropped, "Party"
  or "Provincial" dropped or added), that no entry matches;
- ``new``: a recurring English name of a body or title (a run of capitalised words headed
  by Committee, Commission, Council, Department, Front, Board, Secretary, Chairman,
  Director, ...) close to no entry;
- ``source``: a German or French name that the aligned records render as one entry's term,
  and that the entry does not list.

Candidates are spans of the raw English (the engine output, or an English report) and of
a reviewer's English, cut where a body or title of the glossary stands (the rest of a span
may still be a name of its own).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from rapidfuzz import fuzz, process

from ..atomic import atomic_write_text
from ..layout import REJECTIONS_FILE
from .entries import Glossary
from .interchange import slug
from .normalize import Normalizer

ENGLISH_HEADS = frozenset(
    "committee committees commission commissions council councils department departments front board boards "
    "secretary secretaries chairman chairwoman chairperson director directors bureau office ministry agency "
    "inspectorate inspection division group assembly court procuracy secretariat politburo union member members".split())
SOURCE_HEADS = {
    "de": ("ausschuss", "kommission", "komitee", "rat", "abteilung", "front", "sekretär", "vorsitz", "direktor", "büro",
           "amt", "behörde", "politbüro", "sekretariat", "inspektion"),
    "fr": ("comité", "commission", "conseil", "département", "front", "secrétaire", "président", "directeur", "bureau",
           "office", "politburo", "secrétariat", "inspection"),
}
_SOURCE_CONNECTORS = {
    "de": frozenset("für der des die den dem und gegen zur zum".split()),
    "fr": frozenset("de des du la le les et pour contre d' l' à au aux".split()),
}
# A name: capitalised words (or "anti-..." words), joined by spaces or by a connector.
_NAME = re.compile(
    r"(?:[A-Z][\w'’-]*|anti-\w+)(?:\s+(?:(?:of|for|on|and|against|in)\s+(?:the\s+)?)?(?:[A-Z][\w'’-]*|anti-\w+))*"
    r"(?:\s+members?\b)?")  # "Politburo member"
_SOURCE_WORD = re.compile(r"[\w’'-]+")
_BODY_SYNONYMS = {"commission": "committee", "board": "committee", "council": "committee"}
_OPTIONAL = frozenset({"the", "of", "for", "on", "and", "party", "provincial", "vietnam", "vietnamese", "s"})
VARIANT_SCORE = 97  # rapidfuzz's 0-100 similarity of the keys: equal after folding, or all but a letter
_EDGE_WORDS = frozenset({"the", "of", "for", "on", "and", "against", "in"})
SOURCE_SHARE = 0.6  # of a source name's records, how many must carry the entry
EXAMPLES = 3


@dataclass
class Suggestion:
    kind: str  # variant, new, source
    entry_id: str | None  # the entry it belongs to (None for a new name)
    lang: str
    text: str
    score: float
    count: int
    examples: list[str] = field(default_factory=list)  # record ids

    @property
    def key(self) -> str:
        """Names the suggestion across runs (for a person's rejection)."""
        return "|".join((self.kind, self.entry_id or "", self.lang, self.text))

    def as_dict(self) -> dict:
        return {"kind": self.kind, "entry": self.entry_id, "lang": self.lang, "text": self.text, "score": round(self.score, 1),
                "count": self.count, "examples": self.examples}


def name_key(text: str) -> str:
    """A form of a name that the differences a variant may have do not change: case,
    plurals, possessives, "anti-", the body word among its synonyms, "Party", "Provincial",
    "Vietnam", connectors, word order, and a word said twice ("Standing Committee of the
    Provincial Party Committee" is the "Provincial Party Standing Committee")."""
    words = set()
    for word in re.findall(r"\w+", text.lower().replace("anti-", "")):
        word = word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        word = _BODY_SYNONYMS.get(word, word)
        if word not in _OPTIONAL:
            words.add(word)
    return " ".join(sorted(words))


def english_names(text: str, normalizer: Normalizer) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """Name-like spans of the text that contain a head word, each with the words (first,
    last + 1) that bodies and titles of the glossary take in it. A span holding such a term
    is given whole (a variant may contain another entry's term: "Provincial Party Committee
    Standing Committee"; a new body may begin with one: "Provincial Party Committee
    Organisation Board"), and cut at those terms where a connector parts the rest from the
    term ("the Propaganda Department and the Provincial Party Committee": the rest may be a
    name of its own; "Organisation Board" alone is not one)."""
    # Cut at bodies and titles; a phrase ("anti-corruption and negativity") may be part of a name.
    covered = [(m.start, m.end) for m in normalizer.find_terms(text, "en")
               if normalizer.glossary.by_id(m.entry_id).category != "phrase"]
    names = []
    for found in _NAME.finditer(text):
        start, end = found.span()
        inside = [(a, b) for a, b in covered if a < end and b > start]
        pieces: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []
        cursor = start
        for term_start, term_end in inside:
            if _parted(text[cursor:term_start], before_term=True) and (cursor == start or _parted(text[cursor:term_start])):
                pieces.append((cursor, max(cursor, term_start), ()))
            cursor = max(cursor, term_end)
        if cursor == start or _parted(text[cursor:end]):
            pieces.append((cursor, end, ()))
        if inside:
            pieces.append((start, end, tuple(inside)))
        for piece_start, piece_end, terms in pieces:
            name, offsets = _trimmed_words(text, piece_start, piece_end)
            words = name.split()
            if len(words) >= 2 and any(w.lower().rstrip("'’s") in ENGLISH_HEADS or w.lower() in ENGLISH_HEADS for w in words):
                spans = tuple((sum(1 for o in offsets if o < a), sum(1 for o in offsets if o < b)) for a, b in terms)
                names.append((name, spans))
    return names


def _parted(between: str, *, before_term: bool = False) -> bool:
    """Whether a stretch next to a glossary term is parted from it by a connector (or is
    empty): its last word when it comes before the term, else its first."""
    words = between.split()
    return not words or words[-1 if before_term else 0].lower() in _EDGE_WORDS


def _trimmed_words(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The words of text[start:end] without connectors or an article at either end, and
    where each word starts in ``text``."""
    found = [(m.group(), m.start()) for m in re.finditer(r"\S+", text[start:end])]
    while found and found[0][0].lower() in _EDGE_WORDS:
        found.pop(0)
    while found and found[-1][0].lower() in _EDGE_WORDS:
        found.pop()
    return " ".join(w for w, _ in found), [start + o for _, o in found]


def source_names(text: str, lang: str) -> set[str]:
    """Spans of one to six words around a head word of the source language (German
    compounds count: "Provinzparteikomitee")."""
    words = _SOURCE_WORD.findall(text)
    heads = SOURCE_HEADS[lang]
    connectors = _SOURCE_CONNECTORS[lang]
    names = set()
    for index, word in enumerate(words):
        if not any(head in word.lower() for head in heads):
            continue
        for start in range(max(0, index - 2), index + 1):
            for end in range(index + 1, min(len(words), index + 4) + 1):
                span = words[start:end]
                if span[0].lower() in connectors or span[-1].lower() in connectors:
                    continue
                if lang == "de" and not span[-1][0].isupper():
                    continue  # a German name ends with a noun, not with the verb after it
                names.add(" ".join(span))
    return names


@dataclass
class _Tally:
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, record_id: str) -> None:
        self.count += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(record_id)


def suggest(records: Iterable[dict], glossary: Glossary, *, min_count: int = 2) -> list[Suggestion]:
    """Suggestions from the records, best first: variants and source variants by count then
    score, then new names by count. A suggestion counts the records it was found in."""
    normalizer = Normalizer(glossary)
    resolve = _EnglishResolver(normalizer)
    english: dict[tuple, _Tally] = {}
    source_totals: dict[tuple[str, str], _Tally] = {}
    source_pairs: dict[tuple[str, str, str], _Tally] = {}
    for record in records:
        # The raw English (engine output, or the English report); a reviewer's text too.
        raw = record["src_text"] if record["src_lang"] == "en" else record.get("mt_text")
        texts = {raw, record["en_text"]} if record.get("review") or not raw else {raw}
        names = {n for text in texts if text for n in english_names(text, normalizer)}
        for found in cast("set[tuple]", {resolve(name, terms) for name, terms in names} - {None}):
            english.setdefault(found, _Tally()).add(record["record_id"])
        lang = record["src_lang"]
        if lang in SOURCE_HEADS:
            known = {m.entry_id for m in normalizer.find_terms(record["src_text"], lang)}
            terms = {m.entry_id for m in normalizer.find_terms(record["en_text"], "en")} - known
            for name in source_names(record["src_text"], lang):
                source_totals.setdefault((lang, name), _Tally()).add(record["record_id"])
                for entry_id in terms:
                    source_pairs.setdefault((lang, name, entry_id), _Tally()).add(record["record_id"])
    suggestions = [Suggestion(kind, entry_id, "en", text, score, tally.count, tally.examples)
                   for (kind, entry_id, text, score), tally in english.items() if tally.count >= min_count]
    suggestions += _source_suggestions(source_totals, source_pairs, normalizer, min_count)
    order = {"variant": 0, "source": 1, "new": 2}
    return sorted(suggestions, key=lambda s: (order[s.kind], -s.count, -s.score, s.text))


class _EnglishResolver:
    """What an English name is: (kind, entry id, the text to propose, score), or None; each
    distinct name is looked at once."""

    def __init__(self, normalizer: Normalizer):
        self.normalizer = normalizer
        self.forms: dict[str, list[tuple[str, str]]] = {}  # key -> (entry id, the form's words) of every English form
        self.known: set[str] = set()
        for entry in normalizer.glossary.entries:
            if entry.match_english and entry.category != "phrase":
                for form in (entry.canonical, *entry.variants.get("en", ())):
                    self.forms.setdefault(name_key(form), []).append((entry.id, form.lower()))
                    self.known.add(form.casefold())
        self.keys = list(self.forms)
        self.seen: dict[tuple[str, tuple[tuple[int, int], ...]], tuple | None] = {}

    def __call__(self, name: str, terms: tuple[tuple[int, int], ...]) -> tuple | None:
        if (name, terms) not in self.seen:
            self.seen[(name, terms)] = self._resolve(name, terms)
        return self.seen[(name, terms)]

    def _resolve(self, name: str, terms: tuple[tuple[int, int], ...]) -> tuple | None:
        """The best part of the name that is close to a known form and not one itself (nor a
        piece of a glossary term in it); else the name as a new one, when it is more than
        the glossary terms it holds (a body of a known body: "Provincial Party Committee
        Organisation Board"; a known head with a complement: "Provincial Steering Committee
        on Land Allocation Review")."""
        best = None
        for part in _parts(name, terms):
            key = name_key(part)
            if " " not in key or part.casefold() in self.known or self._matched_whole(part):
                continue  # a one-word key ("committee") says too little; a known form is known
            found = process.extractOne(key, self.keys, scorer=fuzz.token_sort_ratio, score_cutoff=VARIANT_SCORE)
            if found and (best is None or (found[1], len(part)) > (best[1], len(best[2]))):
                best = (found[0], found[1], part)
        if best is not None:
            key, score, part = best
            # Entries that share the key (with and without "Provincial"): the one whose form is most like the text.
            entry_id = max(self.forms[key], key=lambda form: fuzz.ratio(part.lower(), form[1]))[0]
            return ("variant", entry_id, part, round(score, 1))
        body = _body_of(name)
        if " " not in name_key(body) or body.casefold() in self.known or self._matched_whole(body):
            return None  # generic ("Party Committees"), or known
        if terms and not _extends_a_term(name, body, terms):
            return None  # a known term and little else: only its parts may be new
        return ("new", None, body, 0.0)

    def _matched_whole(self, text: str) -> bool:
        return any(m.start == 0 and m.end == len(text) for m in self.normalizer.find_terms(text, "en"))


def _parts(name: str, terms: tuple[tuple[int, int], ...]) -> list[str]:
    """Every stretch of two or more words of the name that starts and ends with a word of the
    name rather than a connector (a name may run into the next, or into a person's name),
    does not join two names ("X Committee and the Y Committee"), and takes glossary terms
    whole or not at all."""
    words = name.split()
    parts = []
    for a in range(len(words)):
        for b in range(a + 2, len(words) + 1):
            if words[a].lower() in _EDGE_WORDS or words[b - 1].lower() in _EDGE_WORDS:
                continue
            if any(a < t_end and b > t_start and not (a <= t_start and b >= t_end) for t_start, t_end in terms):
                continue  # cuts a term
            if any(a >= t_start and b <= t_end for t_start, t_end in terms):
                continue  # inside a term
            part = " ".join(words[a:b])
            if " and the " not in part:
                parts.append(part)
    return parts


def _extends_a_term(name: str, body: str, terms: tuple[tuple[int, int], ...]) -> bool:
    """Whether ``body`` (words of ``name``) holds a glossary term and, beside it, a name of
    its own: two words or more, or a head word, with no "and" joining two names."""
    words, kept = name.split(), body.split()
    first = next(i for i in range(len(words)) if words[i : i + len(kept)] == kept)
    inside = [first <= start and end <= first + len(kept) for start, end in terms]
    rest = [w for i, w in enumerate(kept) if not any(s <= first + i < e for s, e in terms)]
    if not any(inside) or "and" in (w.lower() for w in rest):
        return False
    named = [w for w in rest if w.lower() not in _EDGE_WORDS]
    return len(named) >= 2 or any(w.lower() in ENGLISH_HEADS for w in named)


def _body_of(name: str) -> str:
    """A new name without what stands before its last connector when the rest is a name of
    its own ("Members of the Provincial Youth Union Committee"), and without a person's name
    after its head word ("Organization Committee Phan Van Phung")."""
    words = [w for w in name.split() if not w.startswith(("'", "’"))]
    heads = [i for i, w in enumerate(words) if w.lower() in ENGLISH_HEADS]
    if heads and heads[-1] + 1 < len(words) and words[heads[-1] + 1].lower() not in _EDGE_WORDS:
        words = words[: heads[-1] + 1]
    for index in range(len(words) - 2, 0, -1):
        if words[index].lower() in ("of", "the") and any(w.lower() in ENGLISH_HEADS for w in words[index + 1 :]):
            rest = words[index + 1 :]
            if len(rest) >= 2:
                return " ".join(rest)
    return " ".join(words)


def _source_suggestions(totals: dict, pairs: dict, normalizer: Normalizer, min_count: int) -> list[Suggestion]:
    """The longest source names that keep going with one entry's term, per entry."""
    found = []
    for (lang, name, entry_id), tally in pairs.items():
        share = tally.count / totals[(lang, name)].count
        if tally.count >= min_count and share >= SOURCE_SHARE and not normalizer.find_terms(name, lang):
            found.append(Suggestion("source", entry_id, lang, name, round(100 * share, 1), tally.count, tally.examples))
    # A name inside a longer one with the same count says nothing more: keep the longest.
    kept: list[Suggestion] = []
    for suggestion in sorted(found, key=lambda s: -len(s.text)):
        if not any(s.entry_id == suggestion.entry_id and s.lang == suggestion.lang and s.count >= suggestion.count
                   and suggestion.text in s.text for s in kept):
            kept.append(suggestion)
    return kept


TITLE_HEADS = frozenset("secretary secretaries chairman chairwoman chairperson director directors".split())


def as_glossary_entries(suggestions: list[Suggestion], glossary: Glossary) -> list[tuple[Suggestion, dict]]:
    """Each suggestion as the glossary entry `reportmt glossary import --format yaml` merges:
    a variant joins its entry, a new name is an entry of its own."""
    entries = []
    for suggestion in suggestions:
        entry: dict[str, str | list[str]]
        if suggestion.entry_id is None:
            words = {w.lower() for w in suggestion.text.split()}
            entry = {"id": slug(suggestion.text), "category": "title" if words & TITLE_HEADS else "body",
                     "canonical": suggestion.text}
        else:
            known = glossary.by_id(suggestion.entry_id)
            entry = {"id": known.id, "canonical": known.canonical, suggestion.lang: [suggestion.text]}
        entries.append((suggestion, entry))
    return entries


def suggestions_tsv(suggestions: list[Suggestion]) -> str:
    """kind, entry, lang, text, score, count, examples: a header row, then one row each."""
    rows = ["kind\tentry\tlang\ttext\tscore\tcount\texamples"]
    rows += [f"{s.kind}\t{s.entry_id or ''}\t{s.lang}\t{s.text}\t{s.score}\t{s.count}\t{','.join(s.examples)}" for s in suggestions]
    return "".join(row + "\n" for row in rows)


def suggestions_yaml(suggestions: list[Suggestion], glossary: Glossary, source: str) -> str:
    """The suggestions as glossary entries, each under a comment saying what was found where;
    a person deletes what is wrong and imports the rest (`glossary import --format yaml`)."""
    lines = [f"# reportmt glossary suggest: {len(suggestions)} suggestions from {source},",
             f"# glossary_version {glossary.version}. Delete the entries you do not want, correct the rest, then:",
             "#   reportmt glossary import THIS_FILE --format yaml [--into glossary.yaml]",
             "entries:"]
    for suggestion, entry in as_glossary_entries(suggestions, glossary):
        found = {"variant": f"variant of '{suggestion.entry_id}'", "source": f"{suggestion.lang} rendering of '{suggestion.entry_id}'",
                 "new": "new name"}[suggestion.kind]
        lines.append(f"  # {found}: {suggestion.count} records (e.g. {', '.join(suggestion.examples)}), score {suggestion.score}")
        lines.append(f"  - id: {_quoted(entry['id'])}")
        for key in ("category", "canonical"):
            if key in entry:
                lines.append(f"    {key}: {_quoted(entry[key])}")
        for lang in ("en", "de", "fr"):
            if lang in entry:
                lines.append(f"    {lang}:")
                lines += [f"      - {_quoted(variant)}" for variant in entry[lang]]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def suggestions_markdown(suggestions: list[Suggestion]) -> str:
    rows = ["| kind | entry | lang | text | records | examples |", "|---|---|---|---|---|---|"]
    rows += [f"| {s.kind} | {s.entry_id or ''} | {s.lang} | {s.text.replace('|', '/')} | {s.count} | {', '.join(s.examples)} |"
             for s in suggestions]
    return ("Names in this run's documents that the glossary does not know. Review them with "
            "`reportmt glossary suggest --format yaml`, then `reportmt glossary import FILE --format yaml`.\n\n"
            + "\n".join(rows) + "\n")




def read_rejections(out_dir: Path) -> set[str]:
    """The suggestions a person rejected in the review workspace (their keys)."""
    path = out_dir / REJECTIONS_FILE
    return set(json.loads(path.read_text(encoding="utf-8"))) if path.is_file() else set()


def reject(out_dir: Path, key: str) -> None:
    atomic_write_text(out_dir / REJECTIONS_FILE, json.dumps(sorted(read_rejections(out_dir) | {key}), ensure_ascii=False, indent=1) + "\n")
