"""`reportmt qa`: the translation checks on translations made anywhere."""

from __future__ import annotations

import json
import sys

import click

from .common import fail


@click.group()
def qa() -> None:
    """Check translations for what machine translation gets wrong."""


@qa.command("check")
@click.argument("source", default="-", type=click.Path(dir_okay=False, allow_dash=True))
def check(source: str) -> None:
    """Check TSV lines `src_lang<TAB>source<TAB>english` from SOURCE (a file, or - for stdin).

    Prints one JSON object per line, in order, with its `flags` (number_mismatch,
    name_missing, repetition, untranslated, omission, each with its evidence after a colon),
    or an `error` for a line that cannot be checked. Exits 0 unless SOURCE cannot be read.
    """
    from ..qa.tsv import checked_lines

    name = "stdin" if source == "-" else source
    try:
        with (open(source, encoding="utf-8", newline="") if source != "-" else
              open(sys.stdin.fileno(), encoding="utf-8", newline="", closefd=False)) as lines:
            for result in checked_lines(lines):
                click.echo(json.dumps(result, ensure_ascii=False))
    except UnicodeDecodeError as exc:
        fail(f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})", action="save it as UTF-8 and check it again")
    except OSError as exc:
        fail(f"{name}: cannot be read ({exc.strerror})", action="name a readable TSV file, or - for stdin")
