"""The analyses: one module each, ``name(scenario, /, *, values=None, ...)`` returning a frozen result
that records its method and renders itself (``to_json``; ``to_csv`` where tabular; ``to_text`` for
the command line).

A module that declares ``COMMAND`` (a ``Command``) is a ``python -m model`` sub-command as well:
the CLI finds it here (``commands()``), so a new analysis with a command is one new module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


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


def commands() -> tuple[Command, ...]:
    """Every analysis module's ``COMMAND``, in ``order``."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        command = getattr(module, "COMMAND", None)
        if isinstance(command, Command):
            found.append(command)
    return tuple(sorted(found, key=lambda c: (c.order, c.name)))
