"""What the tests of the commands on the two presets with private types share: their paths, an in-process run of
``python -m model`` and the reading of a JSON equilibrium set."""

from __future__ import annotations

import json

from .conftest import ROOT

SCREENING = str(ROOT / "scenarios" / "screening.toml")
BEER_QUICHE = str(ROOT / "scenarios" / "beer_quiche.toml")


def run(capsys, *argv):
    """``python -m model *argv`` in this process: (exit status, stdout, stderr)."""
    from model.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli_json(capsys, *argv):
    """``python -m model *argv --json``, which must succeed in silence on stderr, parsed."""
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0 and not err, err
    return json.loads(out)


def strategies(equilibrium_set: dict) -> set:
    """A JSON equilibrium set as a set of (label, uninformed strategy) pairs."""
    return {(e["kind"], tuple(sorted(e["strategy"].items()))) for e in equilibrium_set["equilibria"]}
