"""The `reportmt` command line: the top layer. It parses options and prints; the work is
done by the core (reportmt), the flows and the translators. One module per command group;
options shared by several commands are declared once in ``common``, terminal drawing lives
in ``render``."""

from __future__ import annotations

import click

from .common import ReportmtGroup
from .corpus import corpus
from .glossary import glossary_group, normalize, terms
from .models import models
from .operations import serve, watch
from .qa import qa
from .review import review, reviewers
from .run import doctor, run


# The top-level help lists the commands by what they are for, in the order a newcomer meets them.
SECTIONS: tuple[tuple[str, tuple[click.Command, ...]], ...] = (
    ("Pipeline", (run, doctor, serve, watch)),
    ("Models", (models,)),
    ("Corpus", (corpus,)),
    ("Review", (review, reviewers)),
    ("Glossary", (glossary_group, normalize, terms)),
    ("Quality checks", (qa,)),
)
START_HERE = ("Start here: `make demo` shows the whole path with small test packages; then `reportmt run "
              "--corpus corpus --out normalized` and `reportmt corpus stats`. Guides: docs/ (README.md links them).")


class SectionedGroup(ReportmtGroup):
    """Commands under headings, each with its whole first sentence (click would cut it at 45 characters)."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        for title, commands in SECTIONS:
            rows = [(command.name or "", _first_sentence(command)) for command in commands if not command.hidden]
            with formatter.section(title):
                formatter.write_dl(rows)


def _first_sentence(command: click.Command) -> str:
    text = " ".join((command.help or "").split())
    end = text.find(". ")
    return text if end < 0 else text[:end + 1]


@click.group(cls=SectionedGroup, epilog=START_HERE)
@click.version_option(package_name="reportmt")
def main() -> None:
    """German and French reports into a glossary-normalized English parallel corpus, offline."""


for _, commands in SECTIONS:
    for command in commands:
        main.add_command(command)
