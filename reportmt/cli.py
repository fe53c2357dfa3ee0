"""The `reportmt` command line. Parsing and printing only; the work is done elsewhere."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from . import progress, store
from .atomic import atomic_file, atomic_write_text
from .glossary import GlossaryError, Normalizer, load_glossary
from .summary import EXIT_FAILED, EXIT_USAGE, RunSummary

err = Console(stderr=True)
out = Console()


def _fail(message: str, code: int = EXIT_FAILED) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    sys.exit(code)


def _load_normalizer(glossary: str | None) -> Normalizer:
    try:
        return Normalizer(load_glossary(glossary))
    except GlossaryError as exc:
        _fail(str(exc), EXIT_USAGE)


@click.group()
@click.version_option(package_name="reportmt")
def main() -> None:
    """German and French reports into a glossary-normalized English parallel corpus, offline."""


models_dir_option = click.option(
    "--models-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Argos package folder [default: $ARGOS_PACKAGES_DIR, else ~/.local/share/argos-translate/packages].",
)
glossary_option = click.option(
    "--glossary", type=click.Path(dir_okay=False, exists=True), help="Glossary YAML [default: the bundled glossary]."
)


# --- run ------------------------------------------------------------------------------


@main.command()
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True, type=click.Path(file_okay=False, exists=True))
@click.option("--out", "out_dir", default="normalized", show_default=True, type=click.Path(file_okay=False))
@glossary_option
@models_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as one JSON object on stdout.")
@click.option("--beam-size", type=click.IntRange(1, 16), help="Beam size [default: 4].")
@click.option("--compute-type", type=click.Choice(["int8", "int8_float32", "float32", "auto"]), help="CTranslate2 compute type [default: int8].")
@click.option("--inter-threads", type=click.IntRange(1), help="Batches translated in parallel [default: 1].")
@click.option("--intra-threads", type=click.IntRange(0), help="Threads per batch [default: the CPU count].")
@click.option("--batch-tokens", "max_batch_tokens", type=click.IntRange(64), help="Token budget of one batch [default: 4096].")
@click.option("--runner", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: threads in this process; dask: prefect-dask's DaskTaskRunner.")
@click.option("--address", help="With --runner dask: the scheduler (tcp://HOST:PORT) [default: a local cluster, one worker per core].")
def run(
    corpus_dir: str,
    out_dir: str,
    glossary: str | None,
    models_dir: Path | None,
    as_json: bool,
    runner: str,
    address: str | None,
    **decoding,
) -> None:
    """Run the corpus flow once: read, segment, translate, normalize, write.

    Exit codes: 0 all documents done; 1 some files failed; 3 some documents wait for a
    model (the others were written); 2 bad usage or configuration.
    """
    _load_normalizer(glossary)  # a broken glossary stops the run before anything starts
    if address and runner != "dask":
        _fail("--address needs --runner dask", EXIT_USAGE)
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from reportmt.flows.corpus_run import corpus_run

    if runner == "dask":
        from reportmt.flows.scale import dask_run

        corpus_run, shards, decoding = dask_run(corpus_run, address, decoding)
    else:
        shards = 1

    kwargs = dict(
        corpus_dir=corpus_dir,
        out_dir=out_dir,
        glossary=glossary,
        models_dir=str(models_dir) if models_dir else None,
        decoding={key: value for key, value in decoding.items() if value is not None} or None,
        shards=shards,
    )
    with _progress_bars():
        if os.environ.get("PREFECT_API_URL"):
            summary = corpus_run(**kwargs)
        else:
            summary = _run_with_local_server(corpus_run, kwargs)
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, sort_keys=True))
    else:
        _print_summary(summary, out_dir)
    sys.exit(summary.exit_code)


@contextmanager
def _progress_bars() -> Iterator[None]:
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


def _run_with_local_server(corpus_run, kwargs: dict) -> RunSummary:
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME, temporary_settings

    from reportmt.flows.prefect_server import PrefectServerError, local_prefect_server

    log_file = Path(PREFECT_HOME.value()) / "reportmt-server.log"
    err.print(f"Starting a local Prefect API for this run (server log: {log_file})", highlight=False, soft_wrap=True)
    try:
        with local_prefect_server(log_file) as api_url, temporary_settings({PREFECT_API_URL: api_url}):
            return corpus_run(**kwargs)
    except PrefectServerError as exc:
        _fail(str(exc))


def _print_summary(summary: RunSummary, out_dir: str) -> None:
    table = Table(title=f"reportmt run: {out_dir}", show_lines=False)
    for column in ("document", "language", "records", "model", "status"):
        table.add_column(column, overflow="fold")
    for doc in summary.documents:
        table.add_row(doc["doc_id"], doc["language"], str(doc["records"]), doc["model"] or "-", doc["status"])
    for doc in summary.pending:
        table.add_row(doc["doc_id"], doc["language"], "-", f"needs {doc['pair']}", "[yellow]pending[/]")
    for doc in summary.failed:
        table.add_row(doc["file"], "-", "-", "-", "[red]failed[/]")
    for doc in summary.deferred:
        table.add_row(doc["file"], "-", "-", "-", "[yellow]deferred[/]")
    for doc in summary.duplicates:
        table.add_row(doc["file"], "-", "-", "-", "duplicate")
    for doc_id in summary.removed:
        table.add_row(doc_id, "-", "-", "-", "removed")
    out.print(table)
    out.print(
        f"{summary.new} new, {summary.changed} changed, {summary.unchanged} unchanged, {len(summary.removed)} removed; "
        f"{summary.sentences_translated} sentences translated, {summary.cache_hits} from the translation cache, "
        f"{summary.records_renormalized} records re-normalized; {summary.seconds:.1f}s"
    )
    _print_terms(summary.terms)
    for pair in summary.test_models:
        err.print(f"[bold yellow]warning:[/] {pair} used a TEST package with random weights; its output is meaningless.")
    for reason, command in sorted({(d["reason"], d["install_command"]) for d in summary.pending}):
        err.print(f"[yellow]pending:[/] {reason}; install a model with: {command}", highlight=False, soft_wrap=True)
    for failure in summary.failed:
        err.print(f"[red]failed:[/] {failure['file']} {failure['reason']}; {failure['action']}", highlight=False, soft_wrap=True)
    for item in summary.deferred + summary.duplicates:
        err.print(f"[yellow]skipped:[/] {item['file']} {item['reason']}; {item['action']}", highlight=False, soft_wrap=True)


def _print_terms(terms: dict) -> None:
    if not terms:
        return
    table = Table(title="glossary terms in the English side")
    for column in ("term", "occurrences", "variants replaced"):
        table.add_column(column, overflow="fold")
    for entry_id, stats in terms.items():
        replaced = ", ".join(f"{variant} ({count})" for variant, count in stats["replaced"].items())
        table.add_row(entry_id, str(stats["occurrences"]), replaced or "-")
    out.print(table)


@main.command()
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out_dir", default="normalized", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@glossary_option
@models_dir_option
def doctor(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: Path | None) -> None:
    """Check models, glossary, corpus and output folders, and the Prefect API; say what to fix."""
    from reportmt.translators.packages import packages_dir

    from .doctor import ERROR, WARNING, run_checks

    checks = run_checks(corpus_dir, out_dir, glossary, packages_dir(models_dir))
    marks = {"ok": "[green]ok[/]", WARNING: "[yellow]warning[/]", ERROR: "[red]error[/]"}
    for check in checks:
        out.print(f"{marks[check.status]:>8} {check.name}: {check.detail}", highlight=False, soft_wrap=True)
        if check.fix:
            out.print(f"         fix: {check.fix}", highlight=False, soft_wrap=True)
    if any(check.status == ERROR for check in checks):
        sys.exit(EXIT_FAILED)


# --- operations -----------------------------------------------------------------------


def _require_prefect_api(command: str) -> None:
    if not os.environ.get("PREFECT_API_URL"):
        _fail(
            f"`reportmt {command}` needs a running Prefect server: start one with `prefect server start` "
            "and set PREFECT_API_URL (for example http://127.0.0.1:4200/api)",
            EXIT_USAGE,
        )


@main.command()
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", "out_dir", default="normalized", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@glossary_option
@models_dir_option
@click.option("--cron", default="0 * * * *", show_default=True, help="Schedule of the full sync (cron, server time zone).")
def serve(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: Path | None, cron: str) -> None:
    """Register the scheduled and the file-triggered deployment and run their flow runs (blocks)."""
    _require_prefect_api("serve")
    _load_normalizer(glossary)
    from reportmt.flows.deployments import SCHEDULED, TRIGGERED, build_deployments, serve_corpus

    try:
        deployments = build_deployments(corpus_dir, out_dir, glossary, str(models_dir) if models_dir else None, cron)
    except ValueError as exc:
        _fail(f"--cron {cron!r}: {exc}", EXIT_USAGE)

    err.print(
        f"serving reportmt-corpus-run/{SCHEDULED} (cron {cron}) and reportmt-corpus-run/{TRIGGERED} "
        f"(on `reportmt watch` events) for {corpus_dir.resolve()} -> {out_dir.resolve()}; Ctrl+C stops",
        highlight=False,
        soft_wrap=True,
    )
    serve_corpus(deployments)


@main.command()
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--settle", default=2.0, show_default=True, help="Seconds a file must stop growing before it is reported.")
def watch(corpus_dir: Path, settle: float) -> None:
    """Watch the corpus folder and emit a Prefect event per new, changed or deleted file (blocks)."""
    _require_prefect_api("watch")
    from reportmt.flows.watch import watch_corpus

    err.print(f"watching {corpus_dir.resolve()}; Ctrl+C stops", highlight=False, soft_wrap=True)
    try:
        watch_corpus(corpus_dir, settle_seconds=settle, on_event=lambda path, kind: out.print(f"{kind}: {path}", highlight=False))
    except KeyboardInterrupt:
        pass


# --- models ---------------------------------------------------------------------------


@main.group()
def models() -> None:
    """Install, list and build Argos translation packages."""


@models.command("install")
@click.argument("targets", nargs=-1, required=True)
@models_dir_option
@click.option("--sha256", "expected_sha256", help="Expected sha256 of the archive (one target only).")
@click.option("--index-url", default=None,
              help="Argos package index (index.json) [default: $ARGOS_PACKAGE_INDEX + index.json, else the official argospm index].")
def models_install(targets: tuple[str, ...], models_dir: Path | None, expected_sha256: str | None, index_url: str | None) -> None:
    """Install packages: a pair such as de-en or an argospm code such as translate-de_en
    (downloaded from the index), or a local .argosmodel file."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    from reportmt.translators import packages as pk

    if expected_sha256 and len(targets) > 1:
        _fail("--sha256 checks one archive: give one target", EXIT_USAGE)
    directory = pk.packages_dir(models_dir)
    warn = lambda message: err.print(f"[bold yellow]warning:[/] {message}", highlight=False, soft_wrap=True)  # noqa: E731
    index = None
    for target in targets:
        try:
            if Path(target).suffix == ".argosmodel" or Path(target).is_file():
                installed = pk.install_archive(Path(target), directory, expected_sha256=expected_sha256, warn=warn)
            else:
                url = pk.index_url(index_url)
                if index is None:
                    index = pk.fetch_index(url)
                entry = pk.select_from_index(index, target)
                if not (expected_sha256 or pk.index_sha256(entry)):
                    warn(f"{url} gives no checksum for {pk.index_code(entry)}: the archive is not verified "
                         "(pass --sha256 to check it against a known value)")
                with Progress(*Progress.get_default_columns()[:1], BarColumn(), DownloadColumn(), TransferSpeedColumn(), console=err) as bar:
                    job = bar.add_task(f"{pk.index_code(entry)} {entry.get('package_version', '')}", total=None)
                    installed = pk.install_from_index(
                        entry, directory, expected_sha256=expected_sha256, warn=warn,
                        on_progress=lambda done, total: bar.update(job, completed=done, total=total),
                    )
        except pk.PackageError as exc:
            _fail(f"{exc}; nothing was installed")
        out.print(
            f"installed {installed.pair}: {installed.model} (sha256 {installed.archive_sha256}) in {installed.path}",
            highlight=False,
            soft_wrap=True,
        )
        if installed.test_package:
            err.print("[bold yellow]warning:[/] this is a TEST package with random weights; its output is meaningless.")


@models.command("list")
@models_dir_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per package on stdout.")
def models_list(models_dir: Path | None, as_json: bool) -> None:
    """Installed packages: pair, version, archive sha256, and which one serves each pair."""
    from reportmt.translators import packages as pk

    directory = pk.packages_dir(models_dir)
    installed = pk.list_installed(directory)
    used = pk.serving(installed)
    argos_used = pk.argostranslate_choice(directory, installed)
    if as_json:
        for package in installed:
            click.echo(json.dumps({
                "pair": package.pair, "package": package.name, "version": package.version, "path": str(package.path),
                "sha256": package.archive_sha256, "type": package.package_type, "status": _package_status(package, used),
                "serves": used.get(package.pair) == package, "argostranslate_uses": argos_used.get(package.pair) == package,
                "test_package": package.test_package,
            }))
        return
    if not installed:
        err.print(f"no packages in {directory}; install one with `reportmt models install de-en`", highlight=False)
        return
    table = Table(title=str(directory))
    for column in ("pair", "package", "version", "sha256", "status"):
        table.add_column(column, overflow="fold")
    for package in installed:
        table.add_row(package.pair, package.name, package.version, package.archive_sha256 or "unknown", _package_status(package, used))
    out.print(table)
    for pair, package in sorted(argos_used.items()):
        ours = used.get(pair)
        if ours is not None and ours.name != package.name:
            err.print(
                f"[bold yellow]warning:[/] for {pair} argostranslate uses {package.name} (the first it finds) and reportmt "
                f"uses {ours.name}; remove the one you do not want with `reportmt models remove PACKAGE`",
                highlight=False, soft_wrap=True,
            )


def _package_status(package, used: dict) -> str:
    if package.package_type != "translate":
        return f"not a translation package (type {package.package_type})"
    if package.problem:
        return f"unusable: {package.problem}"
    serving = used[package.pair]
    status = f"serves {package.pair}" if serving.name == package.name else f"shadowed by {serving.name}"
    return status + ("; TEST: meaningless output" if package.test_package else "")


@models.command("remove")
@click.argument("target")
@models_dir_option
def models_remove(target: str, models_dir: Path | None) -> None:
    """Remove an installed package by folder name, or every package of a pair (de-en)."""
    from reportmt.translators import packages as pk

    try:
        removed = pk.remove(pk.packages_dir(models_dir), target)
    except pk.PackageError as exc:
        _fail(str(exc))
    for package in removed:
        out.print(f"removed {package.pair}: {package.model} ({package.path})", highlight=False, soft_wrap=True)


@models.command("make-tiny")
@click.argument("pair")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--corpus", "corpus_dir", default="corpus", show_default=True, type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--tokenizer", type=click.Choice(["sentencepiece", "bpe"]), default="sentencepiece", show_default=True,
              help="sentencepiece.model, or Moses + subword-nmt bpe.model (as converted OPUS-MT packages).")
def models_make_tiny(pair: str, out_file: Path, corpus_dir: Path, tokenizer: str) -> None:
    """Build a tiny Argos-format TEST package offline (random weights: meaningless output)."""
    from reportmt.translators.tiny import WARNING, build_tiny_package

    from .documents import discover_sources

    lines = (line for path in discover_sources(corpus_dir) for line in path.read_text(errors="replace").splitlines())
    try:
        build_tiny_package(pair, lines, out_file, tokenizer=tokenizer)
    except ValueError as exc:
        _fail(str(exc), EXIT_USAGE)
    out.print(f"wrote {out_file}", highlight=False)
    err.print(f"[bold yellow]warning:[/] {WARNING}")


# --- corpus ---------------------------------------------------------------------------


@main.group()
def corpus() -> None:
    """Read the normalized corpus."""


corpus_dir_option = click.option(
    "--corpus-dir", default="normalized", show_default=True, type=click.Path(file_okay=False, path_type=Path),
    help="The normalized corpus to read.",
)


def _open_corpus(corpus_dir: Path):
    from .reader import Corpus

    try:
        return Corpus(corpus_dir)
    except store.CorpusError as exc:
        _fail(str(exc))


@corpus.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "tmx", "moses", "parquet"]), default="jsonl", show_default=True)
@corpus_dir_option
@click.option("--lang", type=click.Choice(["de", "fr", "en"]), help="Only records whose source is in this language.")
@click.option("--out", "out_path", type=click.Path(path_type=Path),
              help="File to write (a folder for moses); jsonl and tmx go to stdout without it.")
def corpus_export(fmt: str, corpus_dir: Path, lang: str | None, out_path: Path | None) -> None:
    """Export records: jsonl (all fields), tmx (TMX 1.4b), moses (aligned text), parquet.

    tmx and moses hold the German and French pairs; jsonl and parquet every record.
    """
    from . import exports

    if fmt in ("tmx", "moses") and lang == "en":
        _fail(f"{fmt} holds translation pairs, and English reports have none (they are not translated); "
              "use --lang de or fr, or --format jsonl|parquet for English records", EXIT_USAGE)
    corpus = _open_corpus(corpus_dir)
    if fmt in ("moses", "parquet") and out_path is None:
        _fail(f"--out is required for {fmt} ({'a folder' if fmt == 'moses' else 'a .parquet file'})", EXIT_USAGE)
    records = corpus.records(lang=lang)
    try:
        if fmt == "moses":
            for path in exports.write_moses(records, out_path):
                err.print(f"wrote {path}", highlight=False, soft_wrap=True)
            return
        write = {
            "jsonl": exports.write_jsonl,
            "tmx": lambda records, handle: exports.write_tmx(records, handle, lang),
            "parquet": exports.write_parquet,
        }[fmt]
        if out_path:
            with atomic_file(out_path) as handle:
                write(records, handle)
        else:
            write(records, sys.stdout.buffer)
            sys.stdout.flush()
    except store.CorpusError as exc:
        _fail(str(exc))


@corpus.command("stats")
@corpus_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def corpus_stats(corpus_dir: Path, as_json: bool) -> None:
    """Documents, sentences and words per language, glossary terms, QA flags."""
    stats = _open_corpus(corpus_dir).stats()
    if as_json:
        click.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    out.print(f"{stats['documents']} documents {stats['documents_by_language']}, "
              f"{stats['pending']} pending, {stats['failed']} failed; glossary {stats['glossary_version']}", highlight=False)
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


@corpus.command("show")
@click.argument("doc_id")
@corpus_dir_option
def corpus_show(doc_id: str, corpus_dir: Path) -> None:
    """A document's source and English side by side."""
    corpus = _open_corpus(corpus_dir)
    try:
        metadata = corpus.metadata(doc_id)
    except KeyError as exc:
        _fail(exc.args[0])
    out.print(f"[bold]{doc_id}[/] ({metadata['language']}, {metadata['encoding']}, sha256 {metadata['source_sha256'][:12]})")
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right")
    table.add_column(f"source ({metadata['language']})", ratio=1, overflow="fold")
    table.add_column("English", ratio=1, overflow="fold")
    table.add_column("QA", overflow="fold")
    for record in corpus.records(doc=doc_id):
        table.add_row(str(record["seg_index"]), record["src_text"], record["en_text"], "\n".join(record["qa"]))
    out.print(table)
    for item in metadata["furniture"]:
        out.print(f"[dim]furniture line {item['line']}: {item['kind']}: {item['text']}[/]", highlight=False)


@corpus.command("validate")
@corpus_dir_option
@glossary_option
def corpus_validate(corpus_dir: Path, glossary: str | None) -> None:
    """Check schema, manifest against files and hashes, no empty side, no glossary variant left."""
    from .reader import validate

    normalizer = _load_normalizer(glossary)
    problems = validate(corpus_dir, normalizer)
    for problem in problems:
        err.print(f"[red]invalid:[/] {problem}", highlight=False, soft_wrap=True)
    if problems:
        sys.exit(EXIT_FAILED)
    out.print(f"{corpus_dir}: valid", highlight=False)


# --- glossary tools -------------------------------------------------------------------


@main.group("glossary")
def glossary_group() -> None:
    """Check the glossary, and move terminology to and from TBX and TSV."""


@glossary_group.command("check")
@glossary_option
def glossary_check(glossary: str | None) -> None:
    """Report every problem with file, line and entry id; exit 1 if there is one."""
    from .glossary.entries import cross_check, read_glossary

    try:
        parsed, problems = read_glossary(glossary)
    except GlossaryError as exc:
        _fail(str(exc))
    problems += cross_check(parsed)
    for problem in problems:
        err.print(f"[red]error:[/] {problem}", highlight=False, soft_wrap=True)
    if problems:
        sys.exit(EXIT_FAILED)
    normalizer = Normalizer(parsed)
    for lang in ("en", "de", "fr"):
        for conflict in normalizer.matcher(lang).conflicts:
            err.print(
                f"[yellow]warning:[/] {lang} form {conflict.form!r} is generated for '{conflict.first.id}' and "
                f"'{conflict.second.id}'; '{conflict.first.id}' wins",
                highlight=False,
                soft_wrap=True,
            )
    out.print(f"{parsed.path}: {len(parsed.entries)} entries, glossary_version {parsed.version}", highlight=False, soft_wrap=True)


@glossary_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["tbx", "tsv"]), required=True)
@click.option("--source", "source_lang", type=click.Choice(["de", "fr", "en"]), default="de", show_default=True,
              help="tsv: the language of the first column (variants); the second is canonical English.")
@click.option("--header", is_flag=True, help="tsv: first row of language codes (Amazon Translate custom terminology).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
@glossary_option
def glossary_export(fmt: str, source_lang: str, header: bool, out_file: Path | None, glossary: str | None) -> None:
    """Export as TBX-Basic, or as source<TAB>target rows for DeepL, Google, Amazon and OmegaT."""
    from .glossary.interchange import to_tbx, to_tsv

    parsed = _load_normalizer(glossary).glossary
    data = to_tbx(parsed).decode("utf-8") if fmt == "tbx" else to_tsv(parsed, source_lang, header=header)
    if out_file:
        atomic_write_text(out_file, data)
    else:
        sys.stdout.write(data)


@glossary_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tbx", "tsv"]), required=True)
@click.option("--source", "source_lang", type=click.Choice(["de", "fr", "en"]), default="de", show_default=True,
              help="tsv: the language of the first column.")
@click.option("--category", type=click.Choice(["body", "title", "phrase"]), default="body", show_default=True,
              help="Category of new entries the file does not categorise.")
@click.option("--into", "target", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Glossary YAML to merge into [default: the bundled glossary].")
def glossary_import(file: Path, fmt: str, source_lang: str, category: str, target: Path | None) -> None:
    """Merge terms from TBX or TSV into the glossary; the file is only replaced if the result checks out."""
    from .glossary.entries import default_glossary_path
    from .glossary.interchange import from_tbx, from_tsv, merge_into_file

    target = target or default_glossary_path()
    try:
        if fmt == "tbx":
            imported = from_tbx(file.read_bytes(), category)
        else:
            imported = from_tsv(file.read_text(encoding="utf-8-sig"), source_lang, category)
        added_entries, added_variants = merge_into_file(target, imported)
    except GlossaryError as exc:
        _fail(f"{file}: import refused, {target} is unchanged:\n{exc}")
    out.print(f"{target}: {added_entries} entries and {added_variants} variants added", highlight=False, soft_wrap=True)


@main.command()
@glossary_option
def normalize(glossary: str | None) -> None:
    """Normalize English text from stdin to the glossary's canonical forms."""
    normalizer = _load_normalizer(glossary)
    for line in sys.stdin:
        sys.stdout.write(normalizer.normalize(line).text)


@main.command()
@click.option("--lang", type=click.Choice(["de", "fr", "en"]), required=True)
@glossary_option
def terms(lang: str, glossary: str | None) -> None:
    """Glossary matches in text from stdin, one JSON line each (offsets into stdin)."""
    normalizer = _load_normalizer(glossary)
    text = sys.stdin.read()
    for match in normalizer.find_terms(text, lang):
        click.echo(json.dumps(match.as_dict(), ensure_ascii=False))
