"""Moving terminology in and out: TBX (ISO 30042) and two-column TSV.

TBX export is TBX-Basic in the ISO 30042:2008 ``martif`` form that CAT tools read; import
also reads TBX v3 (``tbx``/``conceptEntry``). The TSV form has one ``source<TAB>target``
row per variant and no header, which DeepL, Google (unidirectional glossaries) and OmegaT
read; with a header row of language codes it is Amazon Translate's custom terminology.

Importing merges into the YAML file with ruamel's round-trip mode, so the comments and
layout a terminologist wrote stay as they are; the merged file is checked before it
replaces the old one.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from lxml import etree
from ruamel.yaml import YAML

from .entries import CATEGORIES, LANGUAGES, Glossary, GlossaryError, load_glossary
from .folding import fold

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PREFERRED = "preferredTerm-admn-sts"
_ADMITTED = "admittedTerm-admn-sts"
_FLAG_NOTE = "reportmt:"


def to_tbx(glossary: Glossary) -> bytes:
    root = etree.Element("martif", {"type": "TBX-Basic", _XML_LANG: "en"})
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    etree.SubElement(etree.SubElement(file_desc, "titleStmt"), "title").text = "reportmt glossary"
    etree.SubElement(etree.SubElement(file_desc, "sourceDesc"), "p").text = f"glossary_version {glossary.version}"
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
            _tig(english, entry.plural, _PREFERRED, number="plural")
        for variant in entry.variants["en"]:
            _tig(english, variant, "deprecatedTerm-admn-sts")
        for lang in ("de", "fr"):
            if entry.variants[lang]:
                lang_set = etree.SubElement(term_entry, "langSet", {_XML_LANG: lang})
                for variant in entry.variants[lang]:
                    _tig(lang_set, variant, _ADMITTED)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _tig(parent, term: str, status: str, number: str | None = None) -> None:
    tig = etree.SubElement(parent, "tig")
    etree.SubElement(tig, "term").text = term
    etree.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    if number:
        etree.SubElement(tig, "termNote", {"type": "grammaticalNumber"}).text = number


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
                term = next((t.text for t in term_group.iter("{*}term") if t.text and t.text.strip()), None)
                if term is None:
                    continue
                notes_of = {n.get("type"): (n.text or "").strip() for n in term_group.iter("{*}termNote")}
                preferred = notes_of.get("administrativeStatus", "").startswith("preferred")
                plural = notes_of.get("grammaticalNumber") == "plural"
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
    """One ``variant<TAB>canonical`` row per source-language variant."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    if header:
        writer.writerow([source_lang, "en"])
    for entry in glossary.entries:
        for variant in entry.variants[source_lang]:
            writer.writerow([variant, entry.canonical])
    return buffer.getvalue()


def from_tsv(text: str, source_lang: str, default_category: str) -> list[dict]:
    rows = [row for row in csv.reader(io.StringIO(text), delimiter="\t") if row and any(cell.strip() for cell in row)]
    if rows and [cell.strip().lower() for cell in rows[0][:2]] == [source_lang, "en"]:
        rows = rows[1:]  # Amazon-style header of language codes
    entries: dict[str, dict] = {}
    for number, row in enumerate(rows, start=1):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise GlossaryError([f"TSV row {number}: expected source<TAB>target, got {row!r}"])
        source, target = row[0].strip(), row[1].strip()
        entry = entries.setdefault(target, {"id": slug(target), "category": default_category, "canonical": target})
        if fold(source)[0] != fold(target)[0]:
            entry.setdefault(source_lang, []).append(source)
    return list(entries.values())


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "term"


def merge_into_file(path: Path, imported: list[dict]) -> tuple[int, int]:
    """Add imported entries and variants to the YAML file; returns (entries added, variants added).

    An imported entry joins the existing entry with the same id or the same canonical form.
    """
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    document = yaml.load(path.read_text(encoding="utf-8"))
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
    candidate = path.with_name(f".{path.name}.import")
    candidate.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        load_glossary(candidate)  # raises with every problem; the original stays untouched
        candidate.replace(path)
    finally:
        candidate.unlink(missing_ok=True)
    return added_entries, added_variants

