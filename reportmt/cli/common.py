"""What every command shares: the two consoles, the options declared once, error exits
(the command group that turns a ReportmtError into its line and exit code)."""

from __future__ import annotations

import errno
import functools
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
    """Any ReportmtError in the block ends the command with its message and what to do.
    ReportmtGroup does this for every command, with exit code 1; a block says it itself
    only for another code (EXIT_USAGE: the input given was wrong) or a prefix."""
    try:
        yield
    except ReportmtError as exc:
        fail(f"{prefix}{exc}", code, exc.action)


class ReportmtGroup(click.Group):
    """A command group under which a ReportmtError ends any command with its line (and what
    to do) and exit code 1, never a traceback: each command need not say so. The top group
    and every sub-group are of this class, so a group invoked alone behaves the same."""

    def invoke(self, ctx: click.Context) -> Any:
        with user_errors():
            return super().invoke(ctx)


@contextmanager
def run_failures(out_dir: Path) -> Iterator[None]:
    """A run that fails for a reason outside reportmt (a full disk) or by a fault of its own
    ends in one line: what happened, that the previous corpus is still in force, what to do."""
    try:
        yield
    except ReportmtError:
        raise
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            fail(f"the run failed: {exc}; the previous corpus in {out_dir} is still in force", EXIT_FAILED,
                 "check the file named, then run again")
        fail(no_space_message(out_dir, exc.filename), EXIT_FAILED, "free the space, then run again")
    except sqlite3.OperationalError as exc:
        if "full" not in str(exc):
            raise
        fail(no_space_message(out_dir, str(out_dir / "cache")), EXIT_FAILED, "free the space, then run again")
    except Exception as exc:  # a fault of reportmt's: one line here, the traceback in the run's logs
        fail(f"the run failed: {exc.__class__.__name__}: {exc}; the previous corpus in {out_dir} is still in force",
             EXIT_FAILED, "see the flow run's logs (Prefect UI or the server log named above) and report the fault")


def no_space_message(out_dir: Path, filename: str | None) -> str:
    device = mount_point(Path(filename or out_dir))
    need = corpus_megabytes(out_dir)
    return (f"no space left on {device} while writing {filename or out_dir}; the previous corpus is still in force; "
            f"free about {need} MB and run again")


def mount_point(path: Path) -> Path:
    path = path.resolve()
    while not os.path.ismount(path) and path != path.parent:
        path = path.parent
    return path


def corpus_megabytes(out_dir: Path) -> int:
    """What a new snapshot may take: the size of the one in force (at least 1 MB)."""
    total = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file()) if out_dir.is_dir() else 0
    return max(1, -(-total // 1_000_000))


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
