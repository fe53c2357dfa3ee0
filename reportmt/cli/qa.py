"""`reportmt qa`: the translation checks on translations made anywhere."""

from __future__ import annotations

import json
import sys

import click

from ..qa.tsv import checked_lines
from .common import ReportmtGroup, fail, warn


@click.group(cls=ReportmtGroup)
def qa() -> None:
    """Check translations for what machine translation gets wrong."""


@qa.command("check")
@click.argument("source", default="-", type=click.Path(dir_okay=False, allow_dash=True))
def check(source: str) -> None:
    """Check TSV lines `src_lang<TAB>source<TAB>english` from SOURCE (a file, or - for stdin).

    Prints one JSON object per line, in order, with its `flags` (each family with its
    evidence after a colon: see `reportmt corpus export --help` for the families), or an
    `error` for a line that cannot be checked. The input is UTF-8; a byte order mark is
    allowed. Exits 0 when every line could be read, 1 when SOURCE cannot be read or a line
    is not UTF-8 (its byte offset is named).
    """
    name = "stdin" if source == "-" else source
    lines, undecodable = 0, None
    try:
        with open(source, "rb") if source != "-" else open(sys.stdin.fileno(), "rb", closefd=False) as raw:
            for result in checked_lines(raw):
                lines += 1
                undecodable = undecodable or (result.error if result.undecodable else None)
                click.echo(json.dumps(result.as_json(), ensure_ascii=False))
    except OSError as exc:
        fail(f"{name}: cannot be read ({exc.strerror})", action="name a readable TSV file, or - for stdin")
    if lines == 0:
        warn(f"{name} is empty: there is nothing to check")
    if undecodable:
        fail(f"{name}: a line is {undecodable}", action="save it as UTF-8 and check it again")
