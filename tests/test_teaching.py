"""Teaching: the strategic form and credibility, backward induction step by step, handouts, comparison."""

from __future__ import annotations

from html import escape
import json

import numpy as np
import pytest

from model import ScenarioError, load_scenario, solve
from model.cli import main
from model.analyses.compare import compare
from model.analyses.normal_form import _mixed, normal_form
from model.text.report import handout_html, handout_markdown
from model.analyses.steps import backward_induction_steps

from .conftest import ROOT, SCENARIOS
from .test_textbook import entry_deterrence


def test_entry_deterrence_has_one_credible_and_one_non_credible_equilibrium():
    nf = normal_form(entry_deterrence())
    assert nf.payoffs.shape == (2, 2, 2)
    found = {(nf.labels[0][e.profile[0]], nf.labels[1][e.profile[1]]): e for e in nf.equilibria}
    assert set(found) == {("enter \u2192 stay out", "respond \u2192 fight"),
                          ("enter \u2192 enter", "respond \u2192 accommodate")}
    threat = found[("enter \u2192 stay out", "respond \u2192 fight")]
    assert not threat.subgame_perfect
    (t,) = threat.threats
    assert (t.node, t.action, t.better) == ("respond", "fight", "accommodate")
    assert "not credible" in t.sentence and "1.00 vs -1.00" in t.sentence
    assert found[("enter \u2192 enter", "respond \u2192 accommodate")].subgame_perfect


def test_the_cutoff_preset_finds_the_non_credible_cut_off():
    scenario = load_scenario(ROOT / "scenarios" / "cutoff_not_credible.toml")
    nf = normal_form(scenario)
    # reduced strategies, by hand: the US 2 x 2 after a conditional offer + 2 others = 6; Israel
    # (accept: keep or break = 2, reject: 2 x 2 replies = 4) x 2 after sharing x 2 without an offer = 24
    assert [len(x) for x in nf.labels] == [6, 24]
    spe = [e for e in nf.equilibria if e.subgame_perfect]
    assert len(spe) == 1
    sol = solve(scenario)
    chosen = dict(nf.strategies[0][spe[0].profile[0]] + nf.strategies[1][spe[0].profile[1]])
    assert all(sol.choice_map[node] == action for node, action in chosen.items())
    threats = [t for e in nf.equilibria for t in e.threats if t.node == "us_responds"]
    assert threats and all(t.action == "cut_off" and t.better == "tolerate" for t in threats)
    # when tolerating costs the US enough credibility (the default's 0.7), cutting off is credible and no
    # threat remains there
    nf = normal_form(scenario, values={"tolerate_credibility_cost": 0.7})
    assert not [t for e in nf.equilibria for t in e.threats if t.node == "us_responds" and t.action == "cut_off"]


def test_every_pure_equilibrium_is_a_nash_equilibrium_of_the_table(default_scenario):
    nf = normal_form(default_scenario, values={"p_detect": 0.3})
    A, B = nf.payoffs[:, :, 0], nf.payoffs[:, :, 1]
    for e in nf.equilibria:
        r, c = e.profile
        assert A[r, c] >= A[:, c].max() - 1e-9 and B[r, c] >= B[r, :].max() - 1e-9
    n_nash = sum(A[r, c] >= A[:, c].max() - 1e-9 and B[r, c] >= B[r, :].max() - 1e-9
                 for r in range(A.shape[0]) for c in range(A.shape[1]))
    assert n_nash == len(nf.equilibria)


def test_mixed_equilibria_of_a_non_degenerate_game_and_a_note_for_a_degenerate_one(default_scenario):
    pennies = np.zeros((2, 2, 2))
    pennies[:, :, 0] = [[1, -1], [-1, 1]]
    pennies[:, :, 1] = -pennies[:, :, 0]
    degenerate, mixed, _ = _mixed(pennies)
    assert not degenerate and len(mixed) == 1
    assert np.allclose(mixed[0].probabilities, [[0.5, 0.5], [0.5, 0.5]])
    nf = normal_form(default_scenario)
    assert nf.degenerate and "degenerate" in nf.mixed_note and not nf.mixed


def test_steps_solve_every_node_once_bottom_up(default_scenario):
    steps = backward_induction_steps(default_scenario)
    inner = [n.id for n in default_scenario.nodes if n.kind != "outcome"]
    assert steps[0].kind == "outcomes" and len(steps) == 1 + len(inner)
    assert sorted(s.node for s in steps[1:]) == sorted(inner)
    assert steps[-1].node == default_scenario.root
    for s in steps[1:]:
        spec = default_scenario.node(s.node)
        below = {a.next for a in spec.actions}
        assert below <= set(steps[s.index - 1].solved)  # everything below was solved before
    chance = next(s for s in steps if s.kind == "chance")
    # by hand: the US at a cut-off 0.03 - 0.1275 - 0.1146 - 0.2865 - 0.66 + 0.1 = -1.0586; at an unconfirmed
    # breach 0.1 - 0.425 - 0.102 - 0.255 + 0.1 = -0.582; 0.6 x -1.0586 + 0.4 x -0.582 = -0.868
    assert "0.60 \u00d7 -1.06 + 0.40 \u00d7 -0.58 = -0.87" in chance.lines[0]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_handouts_for_every_shipped_scenario(path):
    scenario = load_scenario(path)
    if scenario.uncertainty is not None:  # the handout of a game with types: its perfect Bayesian equilibria
        html = handout_html(scenario)
        assert escape(scenario.title) in html and "Perfect Bayesian equilibria in pure strategies" in html
        assert 'class="infoset"' in html and "Belief: " in html and "Equilibrium play" not in html
        md, files = handout_markdown(scenario, figure="fig.svg")
        assert "(fig.svg)" in md and b'class="infoset"' in files["fig.svg"]
        return
    html = handout_html(scenario)
    assert scenario.title in html and "illustrative assumption" in html and "<svg" in html
    assert "Equilibrium play" in html and "Where equilibrium play changes" in html
    md, files = handout_markdown(scenario, figure="fig.svg")
    assert "![Game tree" in md and "(fig.svg)" in md and files["fig.svg"].startswith(b"<svg")
    if scenario.teaches:  # the preset's lesson in one sentence, in both handouts
        assert f"**In one sentence:** {scenario.teaches}" in md
        assert "<strong>In one sentence:</strong>" in html


def test_cli_nash_and_report(tmp_path, capsys):
    default = str(ROOT / "scenarios" / "default.toml")
    assert main(["nash", default]) == 0
    out = capsys.readouterr().out
    assert "Pure Nash equilibria: 4; subgame perfect: 1" in out and "not credible" in out
    assert main(["nash", default, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sum(e["subgame_perfect"] for e in data["pure_equilibria"]) == 1
    assert main(["report", default, "-o", str(tmp_path / "h.html")]) == 0
    assert (tmp_path / "h.html").read_text().startswith("<!doctype html>")
    assert main(["report", default, "-o", str(tmp_path / "h.md"), "--set", "p_detect=0.2"]) == 0
    assert "**US: No offer \u2192 Israel: Operate without the intelligence**" in (tmp_path / "h.md").read_text() and (tmp_path / "h-tree.svg").exists()
    assert main(["report", default, "-o", str(tmp_path / "h.pdf")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_compare_names_what_differs(default_scenario):
    other = load_scenario(ROOT / "scenarios" / "cutoff_not_credible.toml")
    c = compare(default_scenario, other=other)
    assert {pid for pid, *_ in c.changed} == {"tolerate_credibility_cost"}
    assert not c.same_path and "No offer" in c.path_b
    assert ("A breach is confirmed: what does the US do?", "US", "Cut the rest of the package off",
            "Tolerate the breach") in c.choices
    c = compare(default_scenario, other=default_scenario.with_values({"w_us_mediator": 0.7}))
    assert {pid for pid, *_ in c.changed} == {"w_us_mediator"} and c.same_path
    c = compare(default_scenario, other=load_scenario(ROOT / "scenarios" / "share_anyway.toml"))
    assert not c.same_path and "Share anyway" in c.path_b
