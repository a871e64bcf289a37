"""The README stays true: every `vidpack` command line it shows names real commands and options,
and every command of the tool appears in it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from vidpack.cli.main import cli

README = Path(__file__).resolve().parents[2] / "README.md"


def _command_lines() -> list[tuple[int, str]]:
    """(line number, command) of every `vidpack ...` line inside the README's code blocks,
    continuation lines joined, the prompt, pipes, redirections and comments cut off."""
    out: list[tuple[int, str]] = []
    in_block, pending, start = False, "", 0
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            in_block, pending = not in_block, ""
            continue
        if not in_block:
            continue
        text = line.removeprefix("$ ").strip()
        if pending:
            text, pending = pending + " " + text, ""
        elif not text.startswith("vidpack ") and text != "vidpack":
            continue
        else:
            start = number
        if text.endswith("\\"):
            pending = text[:-1].strip()
            continue
        text = re.split(r"\s(?:\||>|2>|#)\s?", text, maxsplit=1)[0]
        out.append((start, text))
    return out


def _resolve(words: list[str]) -> tuple[click.Command, list[str]]:
    command: click.Command = cli
    rest = words[1:]
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.commands.get(rest[0])
        if sub is None:
            break
        command, rest = sub, rest[1:]
    return command, rest


LINES = _command_lines()


def test_the_readme_shows_command_lines() -> None:
    assert len(LINES) >= 15


@pytest.mark.parametrize(("number", "line"), LINES, ids=[f"README:{n}" for n, _ in LINES])
def test_every_command_line_names_real_commands_and_options(number: int, line: str) -> None:
    words = shlex.split(line)
    command, rest = _resolve(words)
    if isinstance(command, click.Group) and command is not cli:
        pytest.fail(f"README line {number}: {line!r} names no subcommand of {command.name}")
    known = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}
    known |= {"--help"}
    for word in rest:
        if word.startswith("--"):
            name = word.split("=", 1)[0]
            assert name in known, f"README line {number}: {command.name} has no option {name}"


def test_every_command_appears_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"vidpack {name}" in text, f"`vidpack {name}` is not in the README"
        if isinstance(command, click.Group):
            for sub in command.commands:
                assert f"vidpack {name} {sub}" in text, f"`vidpack {name} {sub}` not in README"


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
        else:
            found.append((" ".join((*path, name)), command))
    return found


def test_every_command_has_examples_in_its_help() -> None:
    lacking = [name for name, command in _commands(cli) if "Example" not in (command.help or "")]
    assert lacking == []


def test_every_option_appears_in_the_readme() -> None:
    """Each visible option of each command is named somewhere in the README (its long name, or
    its short one in a command line)."""
    text = README.read_text(encoding="utf-8")
    missing = [
        f"{name} {param.opts[0]}"
        for name, command in _commands(cli)
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden
        and not any(re.search(rf"{re.escape(o)}\b", text) for o in param.opts)
    ]  # fmt: skip
    assert missing == []
