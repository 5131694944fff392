"""The file formats, declared once: suffix -> reader and writer.

Loading, saving, ``python -m model export`` (its ``--to`` choices) and the app's upload and
download labels all read this table, so a new format is one ``Format`` row and its module.
A reader turns text into a ``Scenario`` (``name`` is the file name, for messages); a writer turns a
scenario, at its current parameter values, into text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.scenario import Scenario
from ..errors import ScenarioError
from .document import read_json, read_toml, write_json, write_toml
from .efg import parse_efg, to_efg


@dataclass(frozen=True)
class Format:
    """One file format: its suffix, what a reader calls it, its reader, writer and MIME type."""

    suffix: str
    label: str
    read: Callable[..., Scenario]
    write: Callable[[Scenario], str]
    mime: str
    scenario: bool = True  # a full scenario (parameters, labels) rather than a game at fixed values


FORMATS: tuple[Format, ...] = (
    Format(".toml", "a .toml scenario", read_toml, write_toml, "application/toml"),
    Format(".json", "a .json scenario", read_json, write_json, "application/json"),
    Format(".efg", "a Gambit .efg game", parse_efg, lambda scenario: to_efg(scenario), "text/plain", scenario=False),
)


def suffixes() -> tuple[str, ...]:
    """Every suffix the tool reads and writes, e.g. ``(".toml", ".json", ".efg")``."""
    return tuple(f.suffix for f in FORMATS)


def allowed() -> str:
    """The formats in words, for messages and labels: ".toml or .json scenarios, or a Gambit .efg game"."""
    scenarios = " or ".join(f.suffix for f in FORMATS if f.scenario) + " scenarios"
    return ", or ".join([scenarios] + [f.label for f in FORMATS if not f.scenario])


def format_of(name: str) -> Format:
    """The format of a file called ``name``, from its suffix (any case), or ScenarioError naming the file."""
    suffix = Path(name).suffix.lower()
    for f in FORMATS:
        if f.suffix == suffix:
            return f
    raise ScenarioError(f"unsupported file type {suffix or '(none)'!r}; allowed: {allowed()}", file=name)
