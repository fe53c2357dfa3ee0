"""The corpus in the formats corpus and translation tools read: JSONL, TMX 1.4b, Moses, Parquet.

Every export is a pure function of the records, in manifest order, with no timestamps,
so the same corpus always gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

import reportmt

from .records import RECORD_FIELDS
from .store import atomic_write_bytes, atomic_write_text, dumps

TRANSLATED = ("de", "fr")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def to_jsonl(records: Iterable[dict]) -> str:
    return "".join(dumps(record) + "\n" for record in records)


def to_tmx(records: Iterable[dict], srclang: str | None = None) -> bytes:
    """TMX 1.4b: one <tu> per German or French sentence, with the normalized English."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="reportmt",
        creationtoolversion=reportmt.__version__,
        datatype="plaintext",
        segtype="sentence",
        adminlang="en",
        srclang=srclang or "*all*",
        **{"o-tmf": "reportmt-jsonl"},
    )
    body = etree.SubElement(root, "body")
    for record in records:
        if record["src_lang"] not in TRANSLATED:
            continue
        tu = etree.SubElement(body, "tu", tuid=record["record_id"], srclang=record["src_lang"])
        props = [("x-doc-id", record["doc_id"]), ("x-seg-index", str(record["seg_index"]))]
        props += [("x-term", term) for term in record["terms"]]
        props += [("x-qa", flag) for flag in record["qa"]]
        if record["model"]:
            props.append(("x-model", record["model"]))
        for kind, value in props:
            etree.SubElement(tu, "prop", type=kind).text = value
        for lang, text in ((record["src_lang"], record["src_text"]), ("en", record["en_text"])):
            tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
            etree.SubElement(tuv, "seg").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_moses(records: Iterable[dict], out_dir: Path) -> list[Path]:
    """Line-aligned plain text: de-en.de/de-en.en and fr-en.fr/fr-en.en."""
    lines: dict[str, tuple[list[str], list[str]]] = {lang: ([], []) for lang in TRANSLATED}
    for record in records:
        if record["src_lang"] in lines:
            source, target = lines[record["src_lang"]]
            source.append(_one_line(record["src_text"]))
            target.append(_one_line(record["en_text"]))
    written = []
    for lang, (source, target) in lines.items():
        if not source:
            continue
        for suffix, side in ((lang, source), ("en", target)):
            path = out_dir / f"{lang}-en.{suffix}"
            atomic_write_text(path, "".join(line + "\n" for line in side))
            written.append(path)
    return written


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_parquet(records: Iterable[dict], path: Path) -> None:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        str: pa.string(),
        int: pa.int64(),
        list: pa.list_(pa.string()),
    }
    schema = pa.schema([(name, types[kinds[0]]) for name, kinds in RECORD_FIELDS.items()])
    rows = list(records)
    table = pa.Table.from_pylist([{name: row[name] for name in RECORD_FIELDS} for row in rows], schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    atomic_write_bytes(path, buffer.getvalue())
