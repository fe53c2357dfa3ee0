"""The glossary file: entries, loading with line numbers, and the content hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

LANGUAGES = ("en", "de", "fr")
CATEGORIES = ("body", "title", "phrase")
DEFAULT_GLOSSARY = "glossary.yaml"


class GlossaryError(ValueError):
    """A glossary that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class GlossaryEntry:
    id: str
    category: str
    canonical: str
    variants: dict[str, tuple[str, ...]]
    plural: str | None = None
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

    def by_id(self, entry_id: str) -> GlossaryEntry:
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise KeyError(entry_id)


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping so errors can point into the file."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def default_glossary_path() -> Path:
    return Path(str(resources.files("reportmt.glossary").joinpath(DEFAULT_GLOSSARY)))


def glossary_version(raw: bytes) -> str:
    """Content hash: two files with the same bytes are the same glossary."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:16]


def load_glossary(path: str | Path | None = None) -> Glossary:
    path = Path(path) if path else default_glossary_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read glossary: {exc.strerror or exc}") from exc
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_LineLoader)
    except UnicodeDecodeError as exc:
        raise GlossaryError(f"{path}: glossary is not UTF-8 ({exc.reason})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise GlossaryError(f"{path}{where}: not valid YAML: {reason}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise GlossaryError(f"{path}: expected a mapping with a list under 'entries'")
    entries = tuple(_parse_entry(path, item) for item in data["entries"])
    return Glossary(entries=entries, path=str(path), version=glossary_version(raw))


def _parse_entry(path: Path, item: object) -> GlossaryEntry:
    if not isinstance(item, dict):
        raise GlossaryError(f"{path}: every entry must be a mapping, got {item!r}")
    line = item.get("__line__", 0)
    where = f"{path}:{line}"
    entry_id = item.get("id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise GlossaryError(f"{where}: entry has no id")
    canonical = item.get("canonical")
    if not isinstance(canonical, str) or not canonical.strip():
        raise GlossaryError(f"{where}: entry '{entry_id}' has no canonical form")
    category = item.get("category")
    if category not in CATEGORIES:
        raise GlossaryError(
            f"{where}: entry '{entry_id}' has category {category!r}; use one of {', '.join(CATEGORIES)}"
        )
    variants: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        values = item.get(lang) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise GlossaryError(f"{where}: entry '{entry_id}': '{lang}' must be a list of non-empty strings")
        variants[lang] = tuple(v.strip() for v in values)
    plural = item.get("plural")
    if plural is not None and (not isinstance(plural, str) or not plural.strip()):
        raise GlossaryError(f"{where}: entry '{entry_id}': 'plural' must be a non-empty string")
    match_english = item.get("match_english", True)
    if not isinstance(match_english, bool):
        raise GlossaryError(f"{where}: entry '{entry_id}': 'match_english' must be true or false")
    unknown = set(item) - {"id", "category", "canonical", "plural", "match_english", "note", "__line__", *LANGUAGES}
    if unknown:
        raise GlossaryError(f"{where}: entry '{entry_id}' has unknown keys: {', '.join(sorted(unknown))}")
    return GlossaryEntry(
        id=entry_id.strip(),
        category=category,
        canonical=canonical.strip(),
        variants=variants,
        plural=plural.strip() if plural else None,
        match_english=match_english,
        note=str(item.get("note") or ""),
        line=line,
    )
