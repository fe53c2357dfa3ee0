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


@click.group(cls=ReportmtGroup)
@click.version_option(package_name="reportmt")
def main() -> None:
    """German and French reports into a glossary-normalized English parallel corpus, offline."""


for command in (run, doctor, serve, watch, review, reviewers, models, corpus, glossary_group, normalize, terms, qa):
    main.add_command(command)
