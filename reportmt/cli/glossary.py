"""`reportmt glossary` (check, export, import), `reportmt normalize` and `reportmt terms`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..atomic import atomic_write_text
from ..glossary import Normalizer
from ..languages import SUPPORTED
from ..summary import EXIT_FAILED
from . import render
from .common import (
    EXIT_USAGE, ReportmtGroup, err, fail, glossary_option, load_normalizer, normalized_option, out, user_errors, warn,
)


@click.group("glossary", cls=ReportmtGroup)
def glossary_group() -> None:
    """Check the glossary, and move terminology to and from TBX and TSV."""


@glossary_group.command("check")
@glossary_option
def check(glossary: str | None) -> None:
    """Report every problem with file, line and entry id; exit 1 if there is one."""
    from ..glossary.entries import cross_check, read_glossary

    parsed, problems = read_glossary(glossary)
    problems += cross_check(parsed)
    for problem in problems:
        err.print(f"[red]error:[/] {problem}", highlight=False, soft_wrap=True)
    if problems:
        sys.exit(EXIT_FAILED)
    normalizer = Normalizer(parsed)
    for lang in SUPPORTED:
        for conflict in normalizer.matcher(lang).conflicts:
            warn(f"{lang} form {conflict.form!r} is generated for '{conflict.first.id}' and "
                 f"'{conflict.second.id}'; '{conflict.first.id}' wins")
    out.print(f"{parsed.path}: {len(parsed.entries)} entries, glossary_version {parsed.version}", highlight=False, soft_wrap=True)


@glossary_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx", "tsv"]), required=True,
              help="tbx: TermBase eXchange (ISO 30042), for CAT tools; tsv: two columns, variant and canonical English.")
@click.option("--source", "source_lang", type=click.Choice(SUPPORTED), default="de", show_default=True,
              help="tsv: the language of the first column (variants); the second is canonical English.")
@click.option("--header", is_flag=True, help="tsv: first row of language codes (Amazon Translate custom terminology).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
@glossary_option
def export(fmt: str, source_lang: str, header: bool, out_file: Path | None, glossary: str | None) -> None:
    """Export as TBX-Basic, or as raw source<TAB>target lines for DeepL, Google, Amazon and OmegaT."""
    from ..glossary.interchange import to_tbx, to_tsv

    parsed = load_normalizer(glossary).glossary
    data = to_tbx(parsed).decode("utf-8") if fmt == "tbx" else to_tsv(parsed, source_lang, header=header)
    if out_file:
        atomic_write_text(out_file, data)
    else:
        sys.stdout.write(data)


@glossary_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tbx", "tsv", "yaml"]), required=True,
              help="yaml: entries in the glossary's own layout, as `reportmt glossary suggest --format yaml` writes them.")
@click.option("--source", "source_lang", type=click.Choice(SUPPORTED), default="de", show_default=True,
              help="tsv: the language of the first column.")
@click.option("--category", type=click.Choice(["body", "title", "phrase"]), default="body", show_default=True,
              help="Category of new entries the file does not categorise.")
@click.option("--into", "target", type=click.Path(dir_okay=False, path_type=Path), default=Path("glossary.yaml"),
              show_default=True,
              help="Glossary YAML to merge into; made from the bundled glossary when it does not exist (the bundled "
                   "file inside the installed package is never written).")
def import_terms(file: Path, fmt: str, source_lang: str, category: str, target: Path) -> None:
    """Merge terms from TBX, TSV or YAML into a glossary file; it is only replaced if the result checks out."""
    from ..glossary.entries import default_glossary_path
    from ..glossary.interchange import from_tbx, from_tsv, from_yaml, merge_into_file

    if not target.exists():
        atomic_write_text(target, default_glossary_path().read_text(encoding="utf-8"))
        out.print(f"{target}: made from the bundled glossary; runs use it with --glossary {target}", highlight=False,
                  soft_wrap=True)
    with user_errors(prefix=f"{file}: import refused, {target} is unchanged:\n"):
        if fmt == "tbx":
            imported = from_tbx(file.read_bytes(), category)
        elif fmt == "yaml":
            imported = from_yaml(file.read_text(encoding="utf-8"), category)
        else:
            imported = from_tsv(file.read_text(encoding="utf-8-sig"), source_lang, category)
        added_entries, added_variants = merge_into_file(target, imported)
    out.print(f"{target}: {added_entries} entries and {added_variants} variants added", highlight=False, soft_wrap=True)


@glossary_group.command("suggest")
@normalized_option
@glossary_option
@click.option("--min-count", type=click.IntRange(1), default=2, show_default=True, help="Records a suggestion must be found in.")
@click.option("--format", "fmt", type=click.Choice(["table", "tsv", "yaml"]), default="table", show_default=True,
              help="yaml: entries to edit and bring back with `reportmt glossary import FILE --format yaml`.")
@click.option("--limit", type=click.IntRange(1), help="Show the first N suggestions only.")
def suggest_terms(normalized_dir: Path, glossary: str | None, min_count: int, fmt: str, limit: int | None) -> None:
    """Propose what the glossary lacks: unregistered variants of its entries, new names of
    bodies and titles, and German or French renderings of its terms, found in the corpus."""
    from ..glossary.suggest import suggest, suggestions_tsv, suggestions_yaml
    from ..reader import Corpus

    normalizer = load_normalizer(glossary)
    corpus = Corpus(normalized_dir)
    if not any(entry["records"] for entry in corpus.documents):
        fail(f"{normalized_dir}: the corpus has no records yet; run `reportmt run` first", EXIT_USAGE)
    found = suggest(corpus.records(), normalizer.glossary, min_count=min_count)[:limit]
    if fmt == "tsv":
        sys.stdout.write(suggestions_tsv(found))
    elif fmt == "yaml":
        sys.stdout.write(suggestions_yaml(found, normalizer.glossary, f"{normalized_dir} ({'snapshot ' + corpus.snapshot.name})"))
    else:
        render.print_suggestions(found)


@click.command()
@glossary_option
def normalize(glossary: str | None) -> None:
    """Normalize English text from stdin to the glossary's canonical forms."""
    normalizer = load_normalizer(glossary)
    for line in sys.stdin:
        sys.stdout.write(normalizer.normalize(line).text)


@click.command()
@click.option("--lang", type=click.Choice(SUPPORTED), required=True, help="The language of the text on stdin.")
@glossary_option
def terms(lang: str, glossary: str | None) -> None:
    """Glossary matches in text from stdin, one JSON line each (offsets into stdin)."""
    normalizer = load_normalizer(glossary)
    for match in normalizer.find_terms(sys.stdin.read(), lang):
        click.echo(json.dumps(match.as_dict(), ensure_ascii=False))

