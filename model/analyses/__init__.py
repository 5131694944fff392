"""The analyses: one module each, ``name(scenario, /, *, values=None, ...)`` returning a frozen result
that records its method and renders itself (``to_json``; ``to_csv`` where tabular; ``to_text`` for
the command line).

A module that declares ``COMMAND`` (a ``Command``) is a ``python -m model`` sub-command as well:
the CLI finds it here (``commands()``), so a new analysis with a command is one new module. A module that
declares ``TYPED`` (a ``Typed``) answers a command for scenarios with private types (an ``[uncertainty]``
section): the command then runs it on such a scenario, never its full-information answer.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import ScenarioError


@dataclass(frozen=True)
class Option:
    """One command-line option: its flag and the ``argparse.add_argument`` keywords (help, type, ...)."""

    flag: str
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class Command:
    """A sub-command of ``python -m model``: ``run(scenario, options)`` returns a result that has
    ``to_text(scenario)``, and ``to_json()`` / ``to_csv()`` for the ``outputs`` it offers.

    ``options`` holds the parsed option values by ``Option.dest``, plus ``fixed``: the parameters
    held by ``--set``. ``set_help`` says what ``--set`` means for this command."""

    name: str
    help: str
    run: Callable[..., Any]
    options: tuple[Option, ...] = ()
    outputs: tuple[str, ...] = ("text", "json")
    set_help: str = "move a parameter (repeatable)"
    epilog: str | None = None
    order: int = 50  # place in ``python -m model --help``


@dataclass(frozen=True)
class Typed:
    """How the command named ``command`` answers a scenario with private types: ``run(scenario, options)``;
    ``options`` of its own are added to the command's (and refused on a scenario without types); ``help`` is
    added to the command's."""

    command: str
    run: Callable[..., Any]
    help: str
    options: tuple[Option, ...] = ()


def with_types(command: Command, typed: Typed) -> Command:
    """``command`` answering a scenario with an ``[uncertainty]`` section by ``typed.run``, any other by its own."""
    def run(scenario, options: Mapping[str, Any]):
        if scenario.uncertainty is not None:
            return typed.run(scenario, options)
        for option in typed.options:
            if options.get(option.dest) not in (None, False, option.settings.get("default")):
                raise ScenarioError(f"{option.flag} applies only to a scenario with private types (an [uncertainty] "
                                    "section)")
        return command.run(scenario, options)

    return replace(command, run=run, options=command.options + typed.options, help=f"{command.help}; {typed.help}")


def commands() -> tuple[Command, ...]:
    """Every analysis module's ``COMMAND``, in ``order``, each with its ``TYPED`` answer where a module gives one."""
    found: dict[str, Command] = {}
    typed: list[Typed] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        command = getattr(module, "COMMAND", None)
        if isinstance(command, Command):
            found[command.name] = command
        if isinstance(getattr(module, "TYPED", None), Typed):
            typed.append(module.TYPED)
    for t in typed:
        found[t.command] = with_types(found[t.command], t)
    return tuple(sorted(found.values(), key=lambda c: (c.order, c.name)))
