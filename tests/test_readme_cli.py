"""The README's command synopsis says what the command line's own help says."""

from __future__ import annotations

import re
from pathlib import Path

import click

from timeline_pdf.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def synopsis() -> dict[str, str]:
    """The synopsis block of 'Command line': command -> its lines (continuations joined)."""
    block = README.split("## Command line", 1)[1].split("```", 2)[1]
    commands: dict[str, str] = {}
    current = ""
    for line in block.splitlines():
        if line.startswith("timeline-pdf "):
            current = line.split()[1]
            commands[current] = commands.get(current, "") + " " + line
        elif line.strip() and current:
            commands[current] += " " + line
    return commands


def options(command: click.Command) -> set[str]:
    return {opt for param in command.params if isinstance(param, click.Option) for opt in param.opts if opt.startswith("--")} - {"--help"}


def arguments(command: click.Command) -> list[str]:
    return [param.name for param in command.params if isinstance(param, click.Argument)]


def test_the_synopsis_lists_every_command_with_exactly_its_options():
    written = synopsis()
    assert set(written) - {"--version", "[--debug]"} == set(cli.commands)
    for name, command in cli.commands.items():
        assert set(re.findall(r"--[a-z][a-z-]*", written[name])) == options(command), name
        shown = re.findall(r"(?<![-\w])\[?([A-Z][A-Z_]*)\]?(?![\w])", written[name].split(name, 1)[1])
        positional = [word for word in shown if not any(f"{opt} {word}" in written[name] for opt in options(command))]
        assert len(positional) == len(arguments(command)), (name, positional, arguments(command))


def test_the_synopsis_shows_the_choices_the_options_take():
    written = synopsis()
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param, click.Option) and isinstance(param.type, click.Choice) and param.opts[0] != "--preset":
                assert "|".join(param.type.choices) in written[name], (name, param.opts[0])


def test_the_group_options_are_in_the_synopsis():
    text = " ".join(synopsis().values())
    for option in options(cli) | {"--help"}:
        assert option in text, option
