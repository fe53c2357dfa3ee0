"""Everything the command line draws on a terminal: tables, progress bars, check lines."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.table import Table
from rich.text import Text

from .. import progress
from ..summary import RunSummary, summary_sections
from .common import err, out


@contextmanager
def progress_bars() -> Iterator[None]:
    """A bar per phase of the run (reading, translating, writing), when stderr is a terminal."""
    if not err.is_terminal:
        yield
        return
    from prefect.logging.handlers import PrefectConsoleHandler
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    bars = Progress(
        TextColumn("{task.description:<16}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=err,
    )
    # Prefect's log handler writes to the stream it found at start-up; while the bars are
    # live it writes through their console instead, so its lines print above the bars.
    loggers = [logging.root, *logging.root.manager.loggerDict.values()]  # placeholders have no handlers
    handlers = {h for logger in loggers for h in getattr(logger, "handlers", [])}
    prefect_consoles = [h.console for h in handlers if isinstance(h, PrefectConsoleHandler)]
    streams = [console.file for console in prefect_consoles]
    with bars, progress.shown_on(bars):
        for console in prefect_consoles:
            console.file = sys.stderr  # the live display's proxy
        try:
            yield
        finally:
            for console, stream in zip(prefect_consoles, streams):
                console.file = stream


def download_bar(description: str):
    """A byte-counting bar for one download; returns (bar context, progress callback)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    bar = Progress(*Progress.get_default_columns()[:1], BarColumn(), DownloadColumn(), TransferSpeedColumn(), console=err)
    job = bar.add_task(description, total=None)
    return bar, lambda done, total: bar.update(job, completed=done, total=total)


DOCUMENT_ROWS = 20  # a run over more documents lists them only when asked (--documents)


def print_summary(summary: RunSummary, out_dir: str, every_document: bool = False) -> None:
    """A table of the run's documents (of the pending, failed and removed ones only, past
    DOCUMENT_ROWS written documents unless ``every_document``), then the counts."""
    table = Table(title=f"reportmt run: {out_dir}", show_lines=False)
    for column in ("document", "language", "records", "model", "status"):
        table.add_column(column, overflow="fold")
    listed = every_document or len(summary.documents) <= DOCUMENT_ROWS
    for doc in summary.documents if listed else []:
        table.add_row(doc["doc_id"], doc["language"], str(doc["records"]), doc["model"] or "-", doc["status"])
    for doc in summary.pending:
        table.add_row(doc["doc_id"], doc["language"], "-", f"needs {doc['pair']}", "[yellow]pending[/]")
    for kind, items in (("[red]failed[/]", summary.failed), ("[yellow]deferred[/]", summary.deferred), ("duplicate", summary.duplicates)):
        for doc in items:
            table.add_row(doc["file"], "-", "-", "-", kind)
    for doc_id in summary.removed:
        table.add_row(doc_id, "-", "-", "-", "removed")
    if table.row_count:
        out.print(table)
    if not listed:
        out.print(f"{len(summary.documents)} documents written, not listed: `reportmt run --documents` lists them, "
                  f"`reportmt corpus list --normalized {out_dir}` lists the corpus", highlight=False, soft_wrap=True)
    out.print(summary.counts_line(), highlight=False)
    print_terms(summary.terms)
    for title, lines in summary_sections(summary):
        if title in ("Pending", "Failed", "Deferred", "Duplicates", "Test packages (meaningless output)"):
            for line in lines:
                err.print(f"[yellow]{title.lower()}:[/] {line}", highlight=False, soft_wrap=True)


def print_terms(terms: dict) -> None:
    if not terms:
        return
    table = Table(title="glossary terms in the English side")
    for column in ("term", "occurrences", "variants replaced"):
        table.add_column(column, overflow="fold")
    for entry_id, stats in terms.items():
        replaced = ", ".join(f"{variant} ({count})" for variant, count in stats["replaced"].items())
        table.add_row(entry_id, str(stats["occurrences"]), replaced or "-")
    out.print(table)


def print_checks(checks) -> None:
    from .doctor_checks import ERROR, WARNING

    marks = {"ok": "[green]ok[/]", WARNING: "[yellow]warning[/]", ERROR: "[red]error[/]"}
    for check in checks:
        out.print(f"{marks[check.status]:>8} {check.name}: {check.detail}", highlight=False, soft_wrap=True)
        if check.fix:
            out.print(f"         fix: {check.fix}", highlight=False, soft_wrap=True)


def print_packages(title: str, rows: list[tuple[str, str, str, str, str]]) -> None:
    table = Table(title=title)
    for column in ("pair", "package", "version", "sha256", "status"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*row)
    out.print(table)


def print_stats(stats: dict) -> None:
    by_language = ", ".join(f"{lang} {count}" for lang, count in sorted(stats["documents_by_language"].items()))
    out.print(f"{stats['documents']} documents ({by_language or 'none'}), "
              f"{stats['pending']} pending, {stats['failed']} failed; {stats['reviewed_share']:.1%} of sentences reviewed; "
              f"glossary {stats['glossary_version']}", highlight=False)
    table = Table(title="per source language")
    for column in ("language", "sentences", "source words", "English words"):
        table.add_column(column)
    for lang, counts in stats["languages"].items():
        table.add_row(lang, str(counts["sentences"]), str(counts["source_words"]), str(counts["english_words"]))
    out.print(table)
    for title, values in (("terms", stats["terms"]), ("QA flags", stats["qa_flags"])):
        table = Table(title=title)
        table.add_column(title[:-1] if title == "terms" else "flag", overflow="fold")
        table.add_column("records")
        for name, count in values.items():
            table.add_row(name, str(count))
        out.print(table)


def print_document(doc_id: str, metadata: dict, records) -> None:
    out.print(f"[bold]{doc_id}[/] ({metadata['language']}, {metadata['encoding']}, sha256 {metadata['source_sha256'][:12]})")
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right")
    table.add_column(f"source ({metadata['language']})", ratio=1, overflow="fold")
    table.add_column("English", ratio=1, overflow="fold")
    table.add_column("QA", overflow="fold")
    for record in records:
        # Text objects, not markup: the corpus's text is shown as it is (no styles, no terminal links)
        where = f"{record['seg_index']}" + (f"\np. {record['page']}" if record.get("page") else "")
        table.add_row(where, Text(record["src_text"]), Text(record["en_text"]), Text("\n".join(record["qa"])))
    out.print(table)
    for item in metadata["furniture"]:
        out.print(Text(f"furniture line {item['line']}: {item['kind']}: {item['text']}", style="dim"), highlight=False)



def print_suggestions(suggestions) -> None:
    if not suggestions:
        out.print("No suggestions: every name found is in the glossary (or too rare; see --min-count).")
        return
    table = Table("kind", "entry", "lang", "text", "score", "records", "examples")
    for s in suggestions:
        table.add_row(s.kind, s.entry_id or "", s.lang, s.text, f"{s.score:g}", str(s.count), ", ".join(s.examples))
    out.print(table)
