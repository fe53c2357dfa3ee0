"""`reportmt --help` as a newcomer reads it: commands under headings, whole descriptions,
where to start; and help for every option of every command."""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner

from reportmt.cli import SECTIONS, main


def every_command(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def test_the_top_level_help_groups_commands_and_says_where_to_start():
    shown = CliRunner().invoke(main, ["--help"], terminal_width=80).output
    headings = [line for line in shown.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings == ["Options:", "Pipeline:", "Models:", "Corpus:", "Review:", "Glossary:", "Quality checks:"]
    assert "Start here: `make demo`" in shown
    assert "..." not in shown.split("Pipeline:")[1]  # no description cut mid-phrase
    assert max(len(line) for line in shown.splitlines()) <= 80
    listed = {command.name for _, commands in SECTIONS for command in commands}
    assert listed == set(main.commands)  # every command under a heading, once


def test_every_option_has_help():
    bare = [(name, option.opts[0]) for name, command in every_command(main) for option in command.params
            if isinstance(option, click.Option) and not option.hidden and not option.help]
    assert bare == []
