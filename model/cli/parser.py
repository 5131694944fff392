"""Argument parsing for ``python -m model``: one sub-command per ``Command``, and running it.

Every sub-command takes ``PATH`` (a scenario, or a Gambit game) and, unless it says otherwise,
``--set NAME=VALUE`` (repeatable); commands offer ``--json`` and ``--csv`` as their results do.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import TextIO

from ..analyses import Command, commands
from ..core.scenario import Scenario, check_values
from ..errors import ScenarioError
from ..files.formats import allowed
from ..files.scenario_io import load_scenario
from ..text.explanations import NOTE
from .files_commands import COMMANDS

SHORT = {"--output": "-o"}  # short spellings of some options


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump
        raise ScenarioError(f"{message} (see {self.prog} --help)")


def overrides(pairs: Sequence[str] | None) -> dict[str, str]:
    """``--set NAME=VALUE`` pairs as a dict (values still text: ``check_values`` reads them)."""
    out = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ScenarioError(f"--set {pair!r} must look like NAME=VALUE")
        out[name.strip()] = value.strip()
    return out


def load(path: str, sets: Sequence[str] | None = None) -> Scenario:
    """The scenario at ``path`` with the ``--set`` values applied (each error names ``--set``)."""
    scenario = load_scenario(path)
    values = overrides(sets)
    if values:
        try:
            scenario = scenario.with_values(check_values(scenario, values))
        except ScenarioError as err:
            raise err.at(file="--set") from None
    return scenario


def all_commands() -> tuple[Command, ...]:
    return tuple(sorted(COMMANDS + commands(), key=lambda c: (c.order, c.name)))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m model", description="The conditional-offer simulator's model. " + NOTE)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    sub.required = True
    for command in all_commands():
        p = sub.add_parser(command.name, help=command.help, description=command.help, epilog=command.epilog)
        p.add_argument("path", metavar="PATH", help=f"the file to read: {allowed()}")
        if command.set_help:
            p.add_argument("--set", action="append", metavar="NAME=VALUE", help=command.set_help)
        for option in command.options:
            flags = [option.flag] + ([SHORT[option.flag]] if option.flag in SHORT else [])
            p.add_argument(*flags, dest=option.dest, **option.settings)
        if "csv" in command.outputs:
            group = p.add_mutually_exclusive_group()
            group.add_argument("--json", action="store_true", help="print one JSON object")
            group.add_argument("--csv", action="store_true", help="print CSV")
        elif "json" in command.outputs:
            p.add_argument("--json", action="store_true", help="print one JSON object")
        p.set_defaults(command_spec=command)
    return parser


def run(args: argparse.Namespace, *, out: TextIO) -> str | None:
    """Run the parsed command: the text to print, or None when CSV was written to ``out`` already."""
    command: Command = args.command_spec
    sets = getattr(args, "set", None)
    scenario = load(args.path, sets)
    options = {o.dest: getattr(args, o.dest) for o in command.options}
    options.update(path=args.path, fixed=tuple(overrides(sets)), csv=getattr(args, "csv", False))
    result = command.run(scenario, options)
    if isinstance(result, str):
        return result
    if getattr(args, "csv", False):
        result.to_csv(out)
        return None
    if getattr(args, "json", False):
        return json.dumps(result.to_json(), indent=None if getattr(result, "compact_json", False) else 2)
    return result.to_text(scenario)
