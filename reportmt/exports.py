"""The corpus in the formats corpus and translation tools read: JSONL, TMX 1.4b, Moses, Parquet;
and ``EXPORTERS``, every format ``reportmt corpus export`` writes (these and the English
editions of reportmt.editions), each declaring its shape.

Every export is a pure function of the records, in doc_id order, with no timestamps,
so the same corpus always gives the same bytes. Records are streamed: an export holds at
most one Parquet row group in memory, whatever the corpus's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from lxml import etree

import reportmt

from .languages import TRANSLATED
from .records import RECORD_FIELDS
from .atomic import atomic_file
from .store import CorpusError, dumps

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PARQUET_ROW_GROUP = 5_000


def write_jsonl(records: Iterable[dict], handle: BinaryIO) -> None:
    for record in records:
        handle.write((dumps(record) + "\n").encode("utf-8"))


def write_tmx(records: Iterable[dict], handle: BinaryIO, srclang: str | None = None,
              notes: Mapping[str, list[str]] | None = None) -> None:
    """TMX 1.4b: one <tu> per German or French sentence, with the normalized English;
    ``notes``: reviewers' comments by record_id, each a <note>."""
    header = {
        "creationtool": "reportmt",
        "creationtoolversion": reportmt.__version__,
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": srclang or "*all*",
        "o-tmf": "reportmt-jsonl",
    }
    with etree.xmlfile(handle, encoding="UTF-8") as xml:
        xml.write_declaration()
        with xml.element("tmx", version="1.4"):
            xml.write("\n  ")
            xml.write(etree.Element("header", header))
            xml.write("\n  ")
            with xml.element("body"):
                for record in records:
                    if record["src_lang"] in TRANSLATED:
                        xml.write("\n    ")
                        try:
                            xml.write(_translation_unit(record, (notes or {}).get(record["record_id"], [])))
                        except ValueError as exc:  # lxml: a character XML cannot hold
                            raise CorpusError(f"record {record['record_id']} of {record['doc_id']} cannot be written as TMX "
                                              f"({exc}); `reportmt corpus validate` lists every such record") from exc
                xml.write("\n  ")
            xml.write("\n")
    handle.write(b"\n")


def _translation_unit(record: dict, notes: list[str]) -> etree._Element:
    tu = etree.Element("tu", tuid=record["record_id"], srclang=record["src_lang"])
    for note in notes:
        etree.SubElement(tu, "note").text = note
    props = [("x-doc-id", record["doc_id"]), ("x-seg-index", str(record["seg_index"])), ("x-block", record["block"])]
    if record["page"] is not None:
        props.append(("x-page", str(record["page"])))
    props += [("x-term", term) for term in record["terms"]]
    props += [("x-qa", flag) for flag in record["qa"]]
    if record["model"]:
        props.append(("x-model", record["model"]))
    review = record.get("review")
    if review:
        props.append(("x-review", review["status"] + (" (propagated)" if "propagated_from" in review else "")))
    for kind, value in props:
        etree.SubElement(tu, "prop", type=kind).text = value
    for lang, text in ((record["src_lang"], record["src_text"]), ("en", record["en_text"])):
        tuv = etree.SubElement(tu, "tuv", {_XML_LANG: lang})
        if lang == "en" and review:  # who settled the English, and when (TMX's own attributes)
            tuv.set("changeid", review["reviewer"])
            tuv.set("changedate", _tmx_date(review["time"]))
        etree.SubElement(tuv, "seg").text = text
    etree.indent(tu, space="  ", level=2)  # the layout a whole-tree pretty print gives
    return tu


def _tmx_date(iso: str) -> str:
    """TMX's date format, YYYYMMDDThhmmssZ, from an ISO 8601 time in UTC."""
    return datetime.fromisoformat(iso).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def write_moses(records: Iterable[dict], out_dir: Path) -> list[Path]:
    """Line-aligned plain text: de-en.de/de-en.en and fr-en.fr/fr-en.en (a pair's files are
    made when its first sentence comes)."""
    written: list[Path] = []
    with ExitStack() as files:
        sides: dict[str, tuple[BinaryIO, BinaryIO]] = {}
        for record in records:
            lang = record["src_lang"]
            if lang not in TRANSLATED:
                continue
            if lang not in sides:
                paths = (out_dir / f"{lang}-en.{lang}", out_dir / f"{lang}-en.en")
                sides[lang] = tuple(files.enter_context(atomic_file(path)) for path in paths)
                written += paths
            for handle, text in zip(sides[lang], (record["src_text"], record["en_text"])):
                handle.write((_one_line(text) + "\n").encode("utf-8"))
    return sorted(written)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_parquet(records: Iterable[dict], handle: BinaryIO) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    review = pa.struct([("status", pa.string()), ("reviewer", pa.string()), ("time", pa.string()),
                        ("edit_id", pa.int64()), ("propagated_from", pa.string())])
    types = {
        str: pa.string(),
        int: pa.int64(),
        list: pa.list_(pa.string()),
        dict: review,
    }
    schema = pa.schema([(name, types[kinds[0]]) for name, kinds in RECORD_FIELDS.items()])
    with pq.ParquetWriter(handle, schema) as writer:
        rows: list[dict] = []
        for record in records:
            rows.append({name: record[name] for name in RECORD_FIELDS})
            if len(rows) == PARQUET_ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows = []
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))


# The registry: what each format writes and holds, so that the command line takes its
# choices and its checks from here, not from a list of names of its own.


class Target(Enum):
    FILE = "file"  # one file: its writer takes a binary handle
    FOLDER = "folder"  # files in a folder: its writer takes the folder and returns the files written


@dataclass(frozen=True)
class ExportContext:
    """What some formats need besides the records: the corpus (for reviewers' comments), the
    language asked for, each document's metadata, the reports (a DOCX edition)."""
    normalized: Path
    lang: str | None = None
    metadata: Callable[[str], dict] | None = None
    reports: Path | None = None


FileWriter = Callable[[Iterable[dict], BinaryIO, ExportContext], None]
FolderWriter = Callable[[Iterable[dict], Path, ExportContext], list[Path]]


@dataclass(frozen=True)
class Exporter:
    name: str
    target: Target
    pairs_only: bool  # only German and French records with their English: no English report's
    write: FileWriter | FolderWriter  # as its target says
    to_stdout: bool = False  # without an output path, written to standard output
    edition: bool = False  # whole documents in English: no record may be left out

    @property
    def needs(self) -> str:
        """What its output path is, in words."""
        return "a folder" if self.target is Target.FOLDER else f"a .{self.name} file"


def _tmx(records: Iterable[dict], handle: BinaryIO, context: ExportContext) -> None:
    write_tmx(records, handle, context.lang, comment_notes(context.normalized))


def comment_notes(normalized: Path) -> dict[str, list[str]]:
    """Reviewers' comments, by record, as TMX notes."""
    from .comments import read_comments

    return {record_id: [comment.note() for comment in comments] for record_id, comments in read_comments(normalized).items()}


def _edition(fmt: str) -> FolderWriter:
    def write(records: Iterable[dict], folder: Path, context: ExportContext) -> list[Path]:
        from .editions import write_edition

        if context.metadata is None:
            raise ValueError("an edition needs the documents' metadata")  # a caller's fault, not the user's
        return write_edition(records, context.metadata, folder, fmt, context.reports)

    return write


def _registry() -> dict[str, Exporter]:
    exporters = [
        Exporter("jsonl", Target.FILE, False, lambda records, handle, _: write_jsonl(records, handle), to_stdout=True),
        Exporter("tmx", Target.FILE, True, _tmx, to_stdout=True),
        Exporter("moses", Target.FOLDER, True, lambda records, folder, _: write_moses(records, folder)),
        Exporter("parquet", Target.FILE, False, lambda records, handle, _: write_parquet(records, handle)),
        # the English editions (reportmt.editions.SUFFIXES), one document per report
        *(Exporter(fmt, Target.FOLDER, False, _edition(fmt), edition=True) for fmt in ("markdown", "text", "html", "docx")),
    ]
    return {exporter.name: exporter for exporter in exporters}


EXPORTERS = _registry()


def export(exporter: Exporter, records: Iterable[dict], out: Path | None, context: ExportContext,
           stdout: BinaryIO | None = None) -> list[Path]:
    """Write ``records`` as ``exporter`` says: into the folder ``out``, into the file ``out``
    (whole or not at all), or to ``stdout`` when ``out`` is None. Returns the files written
    (none for standard output)."""
    if exporter.target is Target.FOLDER:
        if out is None:
            raise ValueError(f"{exporter.name} writes {exporter.needs}")  # the caller checks first
        return exporter.write(records, out, context)
    if out is None:
        if stdout is None or not exporter.to_stdout:
            raise ValueError(f"{exporter.name} writes {exporter.needs}")
        exporter.write(records, stdout, context)
        return []
    with atomic_file(out) as handle:
        exporter.write(records, handle, context)
    return [out]
