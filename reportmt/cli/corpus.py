"""`reportmt corpus`: read, export and check the normalized corpus."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..exports import EXPORTERS, Target
from ..languages import SUPPORTED
from ..summary import EXIT_FAILED, EXIT_USAGE
from .common import (
    ReportmtGroup, err, fail, glossary_option, json_option, load_normalizer, normalized_option, out, user_errors,
)
from .render import print_document, print_stats


@click.group(cls=ReportmtGroup)
def corpus() -> None:
    """Read the normalized corpus."""


def _open(normalized_dir: Path):
    from ..reader import Corpus

    return Corpus(normalized_dir)


def _names(kind: str) -> str:
    chosen = {"records": lambda e: not e.pairs_only and not e.edition, "pairs": lambda e: e.pairs_only,
              "editions": lambda e: e.edition}[kind]
    return ", ".join(name for name, exporter in EXPORTERS.items() if chosen(exporter))


FORMATS_HELP = (f"Every record: {_names('records')}; translation pairs only: {_names('pairs')}; "
                f"whole documents in English: {_names('editions')}.")


@corpus.command("export")
@click.option("--format", "fmt", type=click.Choice(list(EXPORTERS)), default="jsonl", show_default=True,
              help=FORMATS_HELP)
@normalized_option
@click.option("--lang", type=click.Choice(SUPPORTED), help="Only records whose source is in this language.")
@click.option("--out", "out_path", type=click.Path(path_type=Path),
              help="File to write (a folder for moses); jsonl and tmx go to stdout without it.")
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="With --format docx: the reports, so that a Word report's edition is its original with the English in place.")
@click.option("--exclude-qa", "exclude_qa", metavar="all|FAMILY[,FAMILY]",
              help="Leave out records carrying QA flags of these families (all: any flag), for training-ready pairs.")
def export(fmt: str, normalized_dir: Path, lang: str | None, out_path: Path | None, corpus_dir: Path | None,
           exclude_qa: str | None) -> None:
    """Export records: jsonl (all fields), tmx (TMX 1.4b), moses (aligned text), parquet;
    or the English edition: markdown, text, html or docx, one document per report in --out DIR.

    tmx and moses hold the German and French pairs; the others every record.
    """
    from ..exports import ExportContext, export as write_export
    from ..qa.exclusion import Exclusion

    exporter = EXPORTERS[fmt]
    if exporter.pairs_only and lang == "en":
        fail(f"{fmt} holds translation pairs, and English reports have none (they are not translated); "
             "use --lang de or fr, or --format jsonl|parquet for English records", EXIT_USAGE)
    if exclude_qa and exporter.edition:
        fail(f"--exclude-qa leaves holes in an edition; it is for {_listed(e.name for e in EXPORTERS.values() if not e.edition)}",
             EXIT_USAGE)
    with user_errors(EXIT_USAGE):
        exclusion = Exclusion.parse(exclude_qa) if exclude_qa else None
    opened = _open(normalized_dir)
    records = exclusion.kept(opened.records(lang=lang)) if exclusion else opened.records(lang=lang)
    if out_path is None and not exporter.to_stdout:
        fail(f"--out is required for {fmt} ({exporter.needs})", EXIT_USAGE)
    context = ExportContext(normalized_dir, lang, opened.metadata, corpus_dir)
    with _reporting(exclusion):
        written = write_export(exporter, records, out_path, context, stdout=sys.stdout.buffer)
        if out_path is None:
            sys.stdout.flush()
        elif exporter.target is Target.FOLDER:
            for path in written:
                err.print(f"wrote {path}", highlight=False, soft_wrap=True)


def _listed(names: Iterable[str]) -> str:
    """"a, b and c"."""
    *others, last = names
    return f"{', '.join(others)} and {last}" if others else last


@contextmanager
def _reporting(exclusion) -> Iterator[None]:
    """Once the export is written, say how many records it left out."""
    yield
    if exclusion:
        err.print(exclusion.summary(), highlight=False, soft_wrap=True)


@corpus.command("stats")
@normalized_option
@json_option
def stats(normalized_dir: Path, as_json: bool) -> None:
    """Documents, sentences and words per language, glossary terms, QA flags."""
    numbers = _open(normalized_dir).stats()
    if as_json:
        click.echo(json.dumps(numbers, ensure_ascii=False, indent=2))
    else:
        print_stats(numbers)


@corpus.command("list")
@normalized_option
@click.option("--lang", type=click.Choice(sorted(SUPPORTED)), help="Only documents in this language.")
@click.option("--flag", "family", metavar="FAMILY", help="Only documents with records flagged FAMILY (e.g. number_mismatch).")
@json_option
def list_documents(normalized_dir: Path, lang: str | None, family: str | None, as_json: bool) -> None:
    """The documents' ids, one a line, with their language and sentences (and flagged sentences)."""
    listed = [entry for entry in _open(normalized_dir).documents
              if (lang is None or entry["language"] == lang)
              and (family is None or (entry.get("stats") or {}).get("qa_flags", {}).get(family))]
    if as_json:
        click.echo(json.dumps([{"doc_id": e["doc_id"], "language": e["language"], "sentences": e["records"]}
                               for e in listed], ensure_ascii=False, indent=2))
        return
    for entry in listed:
        flagged = (entry.get("stats") or {}).get("qa_flags", {}).get(family) if family else None
        click.echo(f"{entry['doc_id']}\t{entry['language']}\t{entry['records']} sentences"  # tabs: for cut and awk
                   + (f"\t{flagged} flagged {family}" if flagged else ""))


@corpus.command("show")
@click.argument("doc_id")
@normalized_option
def show(doc_id: str, normalized_dir: Path) -> None:
    """A document's source and English side by side."""
    opened = _open(normalized_dir)
    print_document(doc_id, opened.metadata(doc_id), opened.records(doc=doc_id))  # an unknown id: DocumentNotFound's line


@corpus.command("validate")
@normalized_option
@glossary_option
def validate(normalized_dir: Path, glossary: str | None) -> None:
    """Check schema, catalog against files and hashes, no empty side, no glossary variant left."""
    from ..reader import validate as find_problems

    problems = find_problems(normalized_dir, load_normalizer(glossary))
    for problem in problems:
        err.print(f"[red]invalid:[/] {problem}", highlight=False, soft_wrap=True)
    if problems:
        sys.exit(EXIT_FAILED)
    out.print(f"{normalized_dir}: valid", highlight=False)
