"""`reportmt run` and `reportmt doctor`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..flows.console_logs import log_lines_without_tracebacks
from ..documents import discover_sources
from ..snapshots import retention_seconds
from ..summary import EXIT_FAILED, EXIT_USAGE
from .common import (
    corpus_option, err, fail, glossary_option, json_option, load_normalizer, models_dir_option, out_option, run_failures,
    user_errors, warn,
)
from .render import print_checks, print_summary, progress_bars


@click.command()
@corpus_option()
@out_option
@glossary_option
@models_dir_option
@json_option
@click.option("--beam-size", type=click.IntRange(1, 16), help="Beam size [default: 4].")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), help="Where CTranslate2 runs; auto: CUDA when a GPU is seen "
              "(on Dask, by each worker) [default: auto].")
@click.option("--compute-type", type=click.Choice(["int8", "int8_float32", "int8_float16", "float16", "float32", "auto"]),
              help="CTranslate2 compute type [default: int8 on CPU, int8_float16 on CUDA].")
@click.option("--inter-threads", type=click.IntRange(1), help="Batches translated in parallel [default: 1].")
@click.option("--intra-threads", type=click.IntRange(0), help="Threads per batch [default: the CPU count].")
@click.option("--batch-tokens", "max_batch_tokens", type=click.IntRange(64), help="Token budget of one batch [default: 4096].")
@click.option("--runner", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: threads in this process; dask: prefect-dask's DaskTaskRunner.")
@click.option("--address", help="With --runner dask: the scheduler (tcp://HOST:PORT) [default: a local cluster, one worker per core].")
@click.option("--no-propagate", "propagate", is_flag=True, flag_value=False, default=True,
              help="Apply a reviewer's English only to the record it was made on, not to the same sentence elsewhere.")
@click.option("--verify", is_flag=True,
              help="Hash every report again, also those whose size, modification time and inode have not changed.")
@click.option("--rebuild", is_flag=True,
              help="Make the corpus again from the reports, the translation cache and the saved edits (after damage to --out).")
@click.option("--documents", "every_document", is_flag=True,
              help="List every document of the run, also past 20 (pending, failed and removed ones are always listed).")
@click.option("--changes-only", is_flag=True,
              help="Read only the files `reportmt watch` noted as changed since the last run (every file when the "
                   "glossary, models or edits changed).")
def run(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: Path | None, as_json: bool, runner: str,
        address: str | None, propagate: bool, verify: bool, rebuild: bool, changes_only: bool, every_document: bool,
        **decoding) -> None:
    """Run the corpus flow once: read, segment, translate, normalize, write.

    Exit codes: 0 all documents done; 1 some files failed; 3 some documents wait for a
    model (the others were written); 2 bad usage or configuration; 130 interrupted.
    """
    load_normalizer(glossary)  # a broken glossary stops the run before anything starts
    _check_before_any_work(corpus_dir, out_dir)
    if address and runner != "dask":
        fail("--address needs --runner dask", EXIT_USAGE)
    if decoding.get("device") == "cuda" and runner == "local":
        import ctranslate2

        if ctranslate2.get_cuda_device_count() == 0:
            fail("--device cuda: CTranslate2 sees no CUDA device on this machine; use --device auto or cpu", EXIT_USAGE)
    from ..flows.run_once import run_once
    from ..run_options import Decoding, RunOptions

    options = RunOptions(corpus_dir=str(corpus_dir), out_dir=str(out_dir), glossary=glossary,
                         models_dir=str(models_dir) if models_dir else None, decoding=Decoding(**decoding),
                         propagate=propagate, verify=verify, rebuild=rebuild, changes_only=changes_only)
    with interrupted_says_so(out_dir), progress_bars(), log_lines_without_tracebacks(), \
            run_failures(out_dir):
        summary = run_once(
            options, runner=runner, address=address,
            on_local_server=lambda log: err.print(f"Starting a local Prefect API for this run (server log: {log})",
                                                  highlight=False, soft_wrap=True),
        )
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, sort_keys=True))
    else:
        print_summary(summary, str(out_dir), every_document)
    sys.exit(summary.exit_code)


EXIT_INTERRUPTED = 130  # as a shell reports a command ended by Ctrl+C


@contextmanager
def interrupted_says_so(out_dir: Path) -> Iterator[None]:
    """Ctrl+C: one line on what it means for the corpus, and the shell's exit code for it."""
    try:
        yield
    except KeyboardInterrupt:
        err.print(f"interrupted: {out_dir} holds the last corpus committed, whole (a run commits all at once or not at "
                  "all); run again to complete it", highlight=False, soft_wrap=True)
        sys.exit(EXIT_INTERRUPTED)


def _check_before_any_work(corpus_dir: Path, out_dir: Path) -> None:
    """Mistakes said at once, not after the work: an output folder inside the corpus (the
    run would read its own files as reports), a setting that is not valid, an empty corpus."""
    corpus, out = corpus_dir.resolve(), out_dir.resolve()
    if out == corpus or corpus in out.parents:
        fail(f"--out {out_dir} is inside --corpus {corpus_dir}: the run would read its own files as reports", EXIT_USAGE,
             f"write the corpus elsewhere, e.g. --out {corpus.parent / 'normalized'}")
    with user_errors(EXIT_USAGE):
        retention_seconds()
        if not discover_sources(corpus_dir):
            warn(f"{corpus_dir} holds no reports (text, PDF, Word, OpenDocument or HTML files): nothing to translate; "
                 "the corpus written will be empty")


@click.command()
@corpus_option(must_exist=False)
@out_option
@glossary_option
@models_dir_option
def doctor(corpus_dir: Path, out_dir: Path, glossary: str | None, models_dir: Path | None) -> None:
    """Check models, glossary, corpus and output folders, and the Prefect API; say what to fix."""
    from .doctor_checks import ERROR, run_checks
    from ..translators.packages import packages_dir

    checks = run_checks(corpus_dir, out_dir, glossary, packages_dir(models_dir))
    print_checks(checks)
    if any(check.status == ERROR for check in checks):
        sys.exit(EXIT_FAILED)
