"""What every command shares: the two consoles, the options declared once, error exits."""

from __future__ import annotations

import functools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console

from ..errors import ReportmtError
from ..glossary import Normalizer, load_glossary
from ..summary import EXIT_FAILED, EXIT_USAGE

err = Console(stderr=True)
out = Console()


def fail(message: str, code: int = EXIT_FAILED, action: str = "") -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    if action:
        err.print(f"  what to do: {action}", highlight=False, soft_wrap=True)
    sys.exit(code)


def warn(message: str) -> None:
    err.print(f"[bold yellow]warning:[/] {message}", highlight=False, soft_wrap=True)


@contextmanager
def user_errors(code: int = EXIT_FAILED, prefix: str = "") -> Iterator[None]:
    """Any ReportmtError in the block ends the command with its message and what to do."""
    try:
        yield
    except ReportmtError as exc:
        fail(f"{prefix}{exc}", code, exc.action)


def load_normalizer(glossary: str | None) -> Normalizer:
    with user_errors(EXIT_USAGE):
        return Normalizer(load_glossary(glossary))


def corpus_option(*, must_exist: bool = True):
    """The folder of reports to read (the user's `corpus/`)."""
    return click.option(
        "--corpus", "corpus_dir", default="corpus", show_default=True,
        type=click.Path(file_okay=False, exists=must_exist, path_type=Path), help="The folder of reports.",
    )


out_option = click.option(
    "--out", "out_dir", default="normalized", show_default=True, type=click.Path(file_okay=False, path_type=Path),
    help="The normalized corpus this command writes.",
)


def normalized_option(command):
    """The normalized corpus a command reads: ``--normalized`` (``--corpus-dir``, its old
    name, still works for this release and says so)."""

    @click.option("--corpus-dir", "old_name", type=click.Path(file_okay=False, path_type=Path), hidden=True)
    @click.option("--normalized", "normalized_dir", default="normalized", show_default=True,
                  type=click.Path(file_okay=False, path_type=Path), help="The normalized corpus to read.")
    @functools.wraps(command)
    def with_normalized(*args, old_name: Path | None, normalized_dir: Path, **kwargs):
        if old_name is not None:
            warn("--corpus-dir is deprecated and goes in the next release: use --normalized")
            normalized_dir = old_name
        return command(*args, normalized_dir=normalized_dir, **kwargs)

    return with_normalized


models_dir_option = click.option(
    "--models-dir", type=click.Path(file_okay=False, path_type=Path),
    help="Argos package folder [default: $ARGOS_PACKAGES_DIR, else argostranslate's settings.json, "
         "else ~/.local/share/argos-translate/packages].",
)
glossary_option = click.option(
    "--glossary", type=click.Path(dir_okay=False, exists=True), help="Glossary YAML [default: the bundled glossary]."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout instead of tables.")
