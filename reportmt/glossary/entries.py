"""The glossary file: entries, loading with line numbers, checks, and the content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml

from ..errors import ReportmtError
from ..languages import TARGET, TRANSLATED
from .folding import fold

LANGUAGES = (TARGET, *TRANSLATED)  # the order of a glossary entry's variant lists
CATEGORIES = ("body", "title", "phrase")
DEFAULT_GLOSSARY = "glossary.yaml"
_KEYS = {"id", "category", "canonical", "plural", "case_sensitive", "match_english", "note", *LANGUAGES}


class GlossaryError(ReportmtError):
    """A glossary that cannot be used; each problem names the file, line and entry."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems), "edit the glossary; `reportmt glossary check` lists every problem")
        self.problems = problems


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    category: str
    canonical: str
    variants: dict[str, tuple[str, ...]]
    plural: str | None = None
    # Acronyms and names whose meaning depends on case match only as written.
    case_sensitive: bool = False
    # False for source-side titles such as "Head of the": English text is never rewritten
    # for them, the canonical form is only checked in translations of a source that has them.
    match_english: bool = True
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...]
    path: str
    version: str = field(default="")

    @cached_property
    def _index(self) -> dict[str, GlossaryEntry]:
        return {entry.id: entry for entry in reversed(self.entries)}  # first entry wins on duplicates

    def by_id(self, entry_id: str) -> GlossaryEntry:
        return self._index[entry_id]


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping so errors can point into the file."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def default_glossary_path() -> Path:
    return Path(str(resources.files("reportmt.glossary").joinpath(DEFAULT_GLOSSARY)))


def glossary_version(raw: bytes) -> str:
    """Content hash: two files with the same bytes are the same glossary."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:16]


def load_glossary(path: str | Path | None = None) -> Glossary:
    """Read and check a glossary; every problem found is reported at once."""
    glossary, problems = read_glossary(path)
    problems += cross_check(glossary)
    if problems:
        raise GlossaryError(problems)
    return glossary


def read_glossary(path: str | Path | None = None) -> tuple[Glossary, list[str]]:
    """Parse the file; entries with problems are left out and their problems returned."""
    path = Path(path) if path else default_glossary_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GlossaryError([f"{path}: cannot read glossary: {exc.strerror or exc}"]) from exc
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_LineLoader)
    except UnicodeDecodeError as exc:
        raise GlossaryError([f"{path}: glossary is not UTF-8 ({exc.reason})"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise GlossaryError([f"{path}{where}: not valid YAML: {reason}"]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise GlossaryError([f"{path}: expected a mapping with a list under 'entries'"])
    entries: list[GlossaryEntry] = []
    problems: list[str] = []
    for item in data["entries"]:
        entry, entry_problems = _parse_entry(path, item)
        problems += entry_problems
        if entry is not None and not entry_problems:
            entries.append(entry)
    return Glossary(entries=tuple(entries), path=str(path), version=glossary_version(raw)), problems


def _parse_entry(path: Path, item: object) -> tuple[GlossaryEntry | None, list[str]]:
    if not isinstance(item, dict):
        return None, [f"{path}: every entry must be a mapping, got {item!r}"]
    line = item.get("__line__", 0)
    entry_id = item.get("id")
    name = entry_id if isinstance(entry_id, str) and entry_id.strip() else "?"
    where = f"{path}:{line}: entry '{name}'"
    problems = []
    if name == "?":
        problems.append(f"{where}: has no id")
    canonical = item.get("canonical")
    if not isinstance(canonical, str) or not canonical.strip():
        problems.append(f"{where}: has no canonical form")
    category = item.get("category")
    if category not in CATEGORIES:
        problems.append(f"{where}: category {category!r} is not one of {', '.join(CATEGORIES)}")
    variants: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        values = item.get(lang) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            problems.append(f"{where}: '{lang}' must be a list of non-empty strings")
            continue
        variants[lang] = tuple(v.strip() for v in values)
        for variant in variants[lang]:
            if not any(ch.isalnum() for ch in variant):
                problems.append(f"{where}: {lang} variant {variant!r} has no letter or digit and cannot be compiled into a pattern")
    for key in ("case_sensitive", "match_english"):
        if not isinstance(item.get(key, False), bool):
            problems.append(f"{where}: '{key}' must be true or false")
    plural = item.get("plural")
    if plural is not None and (not isinstance(plural, str) or not plural.strip()):
        problems.append(f"{where}: 'plural' must be a non-empty string")
    unknown = set(item) - _KEYS - {"__line__"}
    if unknown:
        problems.append(f"{where}: unknown keys: {', '.join(sorted(unknown))}")
    if problems:
        return None, problems
    return (
        GlossaryEntry(
            id=name.strip(),  # the id, checked above
            category=cast(str, category),
            canonical=cast(str, canonical).strip(),
            variants=variants,
            plural=plural.strip() if plural else None,
            case_sensitive=item.get("case_sensitive", False),
            match_english=item.get("match_english", True),
            note=str(item.get("note") or ""),
            line=line,
        ),
        [],
    )


def cross_check(glossary: Glossary) -> list[str]:
    """Problems between entries: duplicate ids, one variant for two canonical forms,
    a canonical form that is another entry's variant."""
    problems = []
    path = glossary.path
    seen_ids: dict[str, GlossaryEntry] = {}
    for entry in glossary.entries:
        if entry.id in seen_ids:
            problems.append(f"{path}:{entry.line}: entry '{entry.id}': duplicate id (first at line {seen_ids[entry.id].line})")
        else:
            seen_ids[entry.id] = entry
    owners: dict[tuple[str, str], GlossaryEntry] = {}
    for entry in glossary.entries:
        for lang in LANGUAGES:
            for variant in entry.variants[lang]:
                key = (lang, fold(variant)[0])
                owner = owners.setdefault(key, entry)
                if owner.id != entry.id:
                    problems.append(
                        f"{path}:{entry.line}: entry '{entry.id}': {lang} variant {variant!r} is also a variant of "
                        f"'{owner.id}' (line {owner.line}), so it would map to two canonical forms"
                    )
    canonical_owners = {fold(e.canonical)[0]: e for e in glossary.entries}
    for (lang, folded), owner in owners.items():
        other = canonical_owners.get(folded)
        if lang == "en" and other is not None and other.id != owner.id:
            problems.append(
                f"{path}:{owner.line}: entry '{owner.id}': variant {other.canonical!r} is the canonical form of "
                f"'{other.id}' (line {other.line})"
            )
    return problems
