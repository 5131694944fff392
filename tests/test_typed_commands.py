"""Issue 11's rule for every command on a scenario with private types: it answers with the types (its output says
"perfect Bayesian" and does not hold its answer on the same game with the types taken out), or it exits 2 with one
``error:`` line. Never the full-information answer in silence. A new command must be added here."""

from __future__ import annotations

import json
import tomllib

import pytest

from model.cli.parser import all_commands

from .typed_cli import BEER_QUICHE, SCREENING, run

ARGS = {  # what each command needs besides the scenario; {prior} is the preset's prior parameter, {out} a file
    "solve": [], "thresholds": [], "nash": [], "range": [], "claims": [],
    "sweep": ["--vary", "{prior}=0:1:5"],
    "montecarlo": ["--draws", "300", "--draw-prior"],
    "report": ["-o", "{out}"],
}
NOT_ANSWERS = {"validate", "export"}  # they check or convert the file; export writes the types into the .efg
PRIOR = {SCREENING: "p_high", BEER_QUICHE: "p_weak"}


def test_every_command_is_covered():
    assert {c.name for c in all_commands()} == set(ARGS) | NOT_ANSWERS


def without_types(path: str, tmp_path) -> str:
    """The same scenario with its [uncertainty] section (and the claims, which name the types) taken out."""
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    doc.pop("uncertainty")
    doc.pop("claims", None)
    out = tmp_path / "no_types.json"
    out.write_text(json.dumps(doc))
    return str(out)


def answer(capsys, command: str, path: str, *, prior: str, out) -> tuple[int, str, str]:
    args = [a.format(prior=prior, out=out) for a in ARGS[command]]
    code, stdout, err = run(capsys, command, path, *args)
    if command == "report" and code == 0:
        stdout = out.read_text()
    return code, stdout, err


@pytest.mark.parametrize("path", [SCREENING, BEER_QUICHE], ids=["screening", "beer_quiche"])
@pytest.mark.parametrize("command", sorted(ARGS))
def test_a_command_answers_with_the_types_or_refuses_in_one_line(capsys, tmp_path, command, path):
    code, out, err = answer(capsys, command, path, prior=PRIOR[path], out=tmp_path / "typed.md")
    if code == 2:
        assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err
        return
    assert code == 0 and not err, err
    assert "perfect bayesian" in out.lower(), f"{command} does not say it solved for the types"
    code_full, out_full, _ = answer(capsys, command, without_types(path, tmp_path), prior=PRIOR[path],
                                    out=tmp_path / "full.md")
    body = {line for line in out_full.splitlines()[2:] if line.strip()}  # below the title and the note
    assert code_full != 0 or not body <= set(out.splitlines()), f"{command} gives the full-information answer"
