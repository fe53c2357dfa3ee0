"""Moving terminology in and out: TBX (ISO 30042) and two-column TSV.

TBX export is TBX-Basic in the ISO 30042:2008 ``martif`` form that CAT tools read, with
only TBX-Basic's data categories (an English plural is a ``variant`` term marked by a
note); import also reads TBX v3 (``tbx``/``conceptEntry``). The TSV form has one raw
``source<TAB>target`` line per variant, no quoting and no header, as DeepL, Google
(unidirectional glossaries) and OmegaT read it; with a header row of language codes it is
Amazon Translate's custom terminology.

Importing merges into the YAML file with ruamel's round-trip mode, so the comments and
layout a terminologist wrote stay as they are; the merged file is checked before it
replaces the old one.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

from lxml import etree
from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.util import load_yaml_guess_indent

from ..atomic import atomic_write_text
from ..languages import TRANSLATED
from .entries import CATEGORIES, LANGUAGES, Glossary, GlossaryError, load_glossary
from .folding import fold

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PREFERRED = "preferredTerm-admn-sts"
_ADMITTED = "admittedTerm-admn-sts"
_FLAG_NOTE = "reportmt:"
_PLURAL_NOTE = "reportmt:plural"
XCS_FILE = "TBXBasicXCSV02.xcs"  # TBX-Basic's constraint specification, named in every export


def to_tbx(glossary: Glossary) -> bytes:
    root = etree.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    etree.SubElement(etree.SubElement(file_desc, "titleStmt"), "title").text = "reportmt glossary"
    etree.SubElement(etree.SubElement(file_desc, "sourceDesc"), "p").text = f"glossary_version {glossary.version}"
    etree.SubElement(etree.SubElement(header, "encodingDesc"), "p", type="XCSURI").text = XCS_FILE
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for entry in glossary.entries:
        term_entry = etree.SubElement(body, "termEntry", {"id": entry.id})
        etree.SubElement(term_entry, "descrip", {"type": "subjectField"}).text = entry.category
        if entry.note:
            etree.SubElement(term_entry, "note").text = entry.note
        for flag, value in (("case_sensitive", entry.case_sensitive), ("match_english", entry.match_english)):
            if value != (flag == "match_english"):
                etree.SubElement(term_entry, "note").text = f"{_FLAG_NOTE}{flag}={str(value).lower()}"
        english = etree.SubElement(term_entry, "langSet", {_XML_LANG: "en"})
        _tig(english, entry.canonical, _PREFERRED)
        if entry.plural:
            _tig(english, entry.plural, _PREFERRED, plural=True)
        for variant in entry.variants["en"]:
            _tig(english, variant, "deprecatedTerm-admn-sts")
        for lang in TRANSLATED:
            if entry.variants[lang]:
                lang_set = etree.SubElement(term_entry, "langSet", {_XML_LANG: lang})
                for variant in entry.variants[lang]:
                    _tig(lang_set, variant, _ADMITTED)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _tig(parent: etree._Element, term: str, status: str, plural: bool = False) -> None:
    tig = etree.SubElement(parent, "tig")
    etree.SubElement(tig, "term").text = term
    if plural:  # TBX-Basic has no grammatical number: a variant of the term, said in a note
        etree.SubElement(tig, "termNote", {"type": "termType"}).text = "variant"
    etree.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    if plural:
        etree.SubElement(tig, "note").text = _PLURAL_NOTE


def from_tbx(data: bytes, default_category: str) -> list[dict]:
    """Entries (as glossary mappings) from TBX 2008 (martif) or TBX v3."""
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise GlossaryError([f"TBX is not well-formed XML: {exc}"]) from exc
    entries = []
    for concept in root.iter("{*}termEntry", "{*}conceptEntry"):
        entry: dict = {"category": default_category}
        notes = []
        for child in concept:
            tag = etree.QName(child).localname
            if tag == "descrip" and child.get("type") == "subjectField" and (child.text or "").strip() in CATEGORIES:
                entry["category"] = child.text.strip()
            elif tag == "note" and child.text:
                text = child.text.strip()
                if text.startswith(_FLAG_NOTE):
                    key, _, value = text[len(_FLAG_NOTE) :].partition("=")
                    entry[key] = value == "true"
                else:
                    notes.append(text)
        if notes:
            entry["note"] = " ".join(notes)
        for lang_set in concept.iter("{*}langSet", "{*}langSec"):
            lang = (lang_set.get(_XML_LANG) or "").split("-")[0].lower()
            if lang not in LANGUAGES:
                continue
            for term_group in lang_set.iter("{*}tig", "{*}termSec", "{*}ntig"):
                for element in term_group.iter("{*}term"):
                    entity = next((child for child in element.iter() if isinstance(child, etree._Entity)), None)
                    if entity is not None:  # its text would be cut at the reference
                        name = concept.get("id") or "".join(element.itertext()).strip()
                        raise GlossaryError([f"TBX entry '{name}': the term {''.join(element.itertext()).strip()!r} holds "
                                             f"the entity reference {entity.text}, which is not expanded; write its text instead"])
                term = next((text for t in term_group.iter("{*}term") if (text := "".join(t.itertext())).strip()), None)
                if term is None:
                    continue
                notes_of = {n.get("type"): (n.text or "").strip() for n in term_group.iter("{*}termNote")}
                preferred = notes_of.get("administrativeStatus", "").startswith("preferred")
                plural = notes_of.get("grammaticalNumber") == "plural" or any(
                    (n.text or "").strip() == _PLURAL_NOTE for n in term_group.iter("{*}note")
                )
                if lang == "en" and preferred and plural and "plural" not in entry:
                    entry["plural"] = term.strip()
                elif lang == "en" and "canonical" not in entry and (preferred or not entry.get("en")):
                    entry["canonical"] = term.strip()
                else:
                    entry.setdefault(lang, []).append(term.strip())
        if "canonical" not in entry and entry.get("en"):
            entry["canonical"] = entry["en"].pop(0)
        if "canonical" not in entry:
            continue  # no English side: nothing to normalize to
        entry["id"] = concept.get("id") or slug(entry["canonical"])
        entries.append(entry)
    return entries


def to_tsv(glossary: Glossary, source_lang: str, *, header: bool = False) -> str:
    """One raw ``variant<TAB>canonical`` line per source-language variant (no quoting: a
    quote is part of the term, as DeepL reads it)."""
    lines = [f"{source_lang}\ten"] if header else []
    problems = []
    for entry in glossary.entries:
        for variant in entry.variants[source_lang]:
            bad = [text for text in (variant, entry.canonical) if any(c in text for c in "\t\r\n")]
            if bad:
                problems.append(f"entry '{entry.id}': {bad[0]!r} holds a tab or a line break, which TSV cannot carry")
            lines.append(f"{variant}\t{entry.canonical}")
    if problems:
        raise GlossaryError(problems)
    return "".join(line + "\n" for line in lines)


def from_tsv(text: str, source_lang: str, default_category: str) -> list[dict]:
    """Raw ``source<TAB>target`` lines, read as DeepL reads them (quotes are text)."""
    rows = [line.split("\t") for line in text.splitlines() if line.strip()]
    if rows and [cell.strip().lower() for cell in rows[0][:2]] == [source_lang, "en"]:
        rows = rows[1:]  # Amazon-style header of language codes
    entries: dict[str, dict] = {}
    for number, row in enumerate(rows, start=1):
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise GlossaryError([f"TSV line {number}: expected source<TAB>target, got {row!r}"])
        source, target = row[0].strip(), row[1].strip()
        entry = entries.setdefault(target, {"id": slug(target), "category": default_category, "canonical": target})
        if fold(source)[0] != fold(target)[0]:
            entry.setdefault(source_lang, []).append(source)
    return list(entries.values())


def from_yaml(text: str, default_category: str) -> list[dict]:
    """Entries in the glossary's own layout (an ``entries`` list), as `reportmt glossary
    suggest --format yaml` writes them: ``id`` and ``canonical``, ``category``, and lists of
    ``en``, ``de``, ``fr`` variants."""
    try:
        document = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise GlossaryError([f"not valid YAML ({exc})"]) from exc
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise GlossaryError(["not a list of glossary entries (a YAML file with an 'entries' list)"])
    entries, problems = [], []
    for number, item in enumerate(document["entries"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("canonical"), str) or not isinstance(item.get("id"), str):
            problems.append(f"entry {number}: needs 'id' and 'canonical'")
            continue
        unknown = set(item) - {"id", "canonical", "category", "plural", "note", *LANGUAGES}
        if unknown:
            problems.append(f"entry {number} ('{item['id']}'): unknown keys {sorted(unknown)}")
        entry = {"id": item["id"], "category": item.get("category", default_category), "canonical": item["canonical"]}
        for lang in LANGUAGES:
            variants = item.get(lang) or []
            if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
                problems.append(f"entry {number} ('{item['id']}'): '{lang}' must be a list of strings")
            elif variants:
                entry[lang] = list(variants)
        entries.append(entry)
    if problems:
        raise GlossaryError(problems)
    return entries


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "term"


def merge_into_file(path: Path, imported: list[dict]) -> tuple[int, int]:
    """Add imported entries and variants to the YAML file; returns (entries added, variants added).

    An imported entry joins the existing entry with the same id or the same canonical form.
    The file keeps its comments and its indentation; it is replaced only if the merged
    glossary passes every check.
    """
    if not path.is_file():
        raise GlossaryError([f"{path}: not a glossary file (a YAML file with an 'entries' list)"])
    text = path.read_text(encoding="utf-8")
    try:
        document, indent, sequence_offset = load_yaml_guess_indent(text)
    except YAMLError as exc:
        raise GlossaryError([f"{path}: not valid YAML ({exc})"]) from exc
    if not isinstance(document, dict) or not isinstance(document.get("entries"), list):
        raise GlossaryError([f"{path}: not a glossary file (a YAML file with an 'entries' list)"])
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    # ruamel guesses the sequence indent and the dash's offset in it; the keys of a list
    # item line up after its dash, which gives the mapping indent of the usual layouts.
    sequence, offset = indent or 2, sequence_offset or 0
    yaml.indent(mapping=sequence - offset if offset else sequence, sequence=sequence, offset=offset)
    existing = document["entries"]
    by_key = {}
    for item in existing:
        by_key[("id", item["id"])] = item
        by_key[("canonical", fold(item["canonical"])[0])] = item
    added_entries = added_variants = 0
    for entry in imported:
        target = by_key.get(("id", entry["id"])) or by_key.get(("canonical", fold(entry["canonical"])[0]))
        if target is None:
            existing.append(entry)
            by_key[("id", entry["id"])] = entry
            by_key[("canonical", fold(entry["canonical"])[0])] = entry
            added_entries += 1
            continue
        for lang in LANGUAGES:
            known = {fold(v)[0] for v in target.get(lang) or []} | {fold(target["canonical"])[0]}
            for variant in entry.get(lang) or []:
                if fold(variant)[0] not in known:
                    target.setdefault(lang, []).append(variant)
                    known.add(fold(variant)[0])
                    added_variants += 1
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    with tempfile.TemporaryDirectory() as scratch:
        candidate = Path(scratch) / path.name
        candidate.write_text(buffer.getvalue(), encoding="utf-8")
        load_glossary(candidate)  # raises with every problem; the original stays untouched
    atomic_write_text(path, buffer.getvalue())
    return added_entries, added_variants
