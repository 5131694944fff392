"""``montecarlo`` on a scenario with private types: each draw's perfect Bayesian equilibrium set (one batched
solve), each set's share with its 95% Wilson interval; the prior held unless ``--draw-prior``, a type's parameters
never drawn; known answers when only the prior is drawn (screening switches at 0.375, beer-quiche at 1/2)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from model import ScenarioError, load_scenario
from model.analyses.bayesian_montecarlo import bayesian_monte_carlo
from model.analyses.bayesian_sweep import bayesian_sweep
from model.analyses.montecarlo import draw_rows, wilson
from model.core.game import ONE

from .conftest import ROOT
from .typed_cli import BEER_QUICHE, SCREENING, cli_json, run, strategies


def mc_json(capsys, *argv):
    return cli_json(capsys, "montecarlo", *argv)


def holding_all_but(path, keep):
    """``--set`` every parameter of the file but ``keep`` at its current value."""
    return [a for p in load_scenario(path).parameters if p.id != keep for a in ("--set", f"{p.id}={p.default}")]


def test_the_prior_is_held_by_default_and_a_types_parameter_is_never_drawn(capsys):
    data = mc_json(capsys, SCREENING, "--draws", "500")
    assert "p_high" not in data["parameters"] and "w_il_deterrence" not in data["parameters"]
    assert set(data["parameters"]) == {"w_us_sharing", "w_us_civilian", "w_il_intelligence", "w_il_civilian",
                                       "limited_size", "hold_cost"}
    data = mc_json(capsys, SCREENING, "--draws", "500", "--draw-prior")
    assert "p_high" in data["parameters"] and "w_il_deterrence" not in data["parameters"]
    assert bayesian_monte_carlo(load_scenario(SCREENING), draws=500).parameters == tuple(
        mc_json(capsys, SCREENING, "--draws", "500")["parameters"])


def test_drawing_only_the_prior_of_screening_separates_exactly_the_draws_below_0375(capsys):
    """Every draw of p_high below 0.375 holds the separating equilibrium (limited package), every draw above it
    the pooling one (full package): the counts are those of the draws themselves, and the interval of the
    separating share holds 0.375, the share of the prior's range below the switch."""
    data = mc_json(capsys, SCREENING, "--draws", "20000", "--seed", "4", "--draw-prior",
                   *holding_all_but(SCREENING, "p_high"))
    assert data["parameters"] == ["p_high"]
    drawn = draw_rows(load_scenario(SCREENING), names=["p_high"], now={"p_high": 0.3}, draws=20000, seed=4)[0]
    by_set = {frozenset(strategies(s)): s for s in data["sets"]}
    sep = by_set[frozenset({("separating", (("us_offer", "limited"),))})]
    pool = by_set[frozenset({("pooling", (("us_offer", "full"),))})]
    assert sep["count"] == int((drawn < 0.375).sum()) and pool["count"] == int((drawn > 0.375).sum())
    assert sep["ci_low"] < 0.375 < sep["ci_high"]
    assert (sep["ci_low"], sep["ci_high"]) == wilson(sep["count"], 20000)
    assert data["importance"][0]["parameter"] == "p_high" and data["importance"][0]["first_order"] > 0.9


def test_drawing_only_the_prior_of_beer_quiche_gives_the_two_pooling_equilibria_below_a_half(capsys):
    data = mc_json(capsys, BEER_QUICHE, "--draws", "5000", "--draw-prior")
    drawn = draw_rows(load_scenario(BEER_QUICHE), names=["p_weak"], now={"p_weak": 0.1}, draws=5000, seed=0)[0]
    two = {("pooling", (("after_beer", "not"), ("after_quiche", "duel"))),
           ("pooling", (("after_beer", "duel"), ("after_quiche", "not")))}
    (both,) = [s for s in data["sets"] if strategies(s) == two]
    (none,) = [s for s in data["sets"] if not s["equilibria"]]
    assert both["count"] == int((drawn < 0.5).sum()) and none["count"] == int((drawn > 0.5).sum())
    assert none["label"] == "no pure-strategy perfect Bayesian equilibrium"


def test_json_agrees_with_the_batched_sweep_of_the_same_draws(capsys):
    data = mc_json(capsys, SCREENING, "--draws", "3000", "--seed", "9", "--draw-prior")
    scenario = load_scenario(SCREENING)
    names = tuple(data["parameters"])
    rows = draw_rows(scenario, names=names, now=scenario.values, draws=3000, seed=9)
    result = bayesian_sweep(scenario, rows=(names + (ONE,), rows), validate=False)
    counts = np.bincount(result.set_index, minlength=len(result.sets))
    order = np.argsort(-counts, kind="stable")
    assert data["counts"] == counts[order].tolist() and sum(data["counts"]) == 3000 and len(data["counts"]) >= 4
    assert [s["label"] for s in data["sets"]] == [result.sets[k].words for k in order]
    assert [s["in_words"] for s in data["sets"]] == [list(result.sets[k].lines) for k in order]
    assert data["shares"] == [c / 3000 for c in data["counts"]]
    assert list(zip(data["ci_low"], data["ci_high"])) == [wilson(c, 3000) for c in data["counts"]]
    assert [(s["ci_low"], s["ci_high"], s["count"]) for s in data["sets"]] == list(
        zip(data["ci_low"], data["ci_high"], data["counts"]))
    assert {"solution", "informed", "draws", "seed", "mode", "spread", "concentration", "parameters", "sets",
            "counts", "shares", "ci_low", "ci_high", "importance", "method"} == set(data)
    assert data["solution"] == "perfect Bayesian equilibria in pure strategies" and data["informed"] == "israel"
    assert mc_json(capsys, SCREENING, "--draws", "3000", "--seed", "9", "--draw-prior") == data  # the seed reproduces


def test_human_table_and_csv(capsys):
    code, out, err = run(capsys, "montecarlo", SCREENING, "--draws", "4000", "--seed", "2")
    assert code == 0 and not err
    mc = bayesian_monte_carlo(load_scenario(SCREENING), draws=4000, seed=2)
    assert "4,000 draws (seed 2) of 6 parameters" in out and "perfect Bayesian equilibria in pure strategies" in out
    assert "The prior is held: p_high = 0.30." in out and "Equilibrium outcomes" not in out
    lines = out.splitlines()
    for s, c, lo, hi in zip(mc.sets, mc.counts, mc.ci_low, mc.ci_high):
        k = next(k for k, line in enumerate(lines) if line.endswith(f"{c:,}  {s.words}"))
        assert f"{100 * lo:.1f}% \u2013 {100 * hi:.1f}%" in lines[k]
        assert [line.strip() for line in lines[k + 1:k + 1 + len(s.lines)]] == [line.strip() for line in s.lines]
    code, out, err = run(capsys, "montecarlo", SCREENING, "--draws", "4000", "--seed", "2", "--csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["set", "equilibria", "count", "share", "ci_low", "ci_high"]
    assert [(r[0], int(r[2]), float(r[4]), float(r[5])) for r in rows[1:]] == [
        (s.words, c, lo, hi) for s, c, lo, hi in zip(mc.sets, mc.counts, mc.ci_low, mc.ci_high)]
    assert [r[1] for r in rows[1:]] == [" | ".join(s.lines) for s in mc.sets]


@pytest.mark.parametrize("argv, words", [
    (["montecarlo", BEER_QUICHE], "nothing to draw"),  # every parameter is the prior's or a type's
    (["montecarlo", str(ROOT / "scenarios" / "default.toml"), "--draw-prior"], "--draw-prior applies only to"),
    (["montecarlo", SCREENING, "--draws", "0"], "--draws"),
])
def test_what_it_cannot_do_is_one_error_line(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1 and words in err, err


def test_a_types_parameter_asked_for_is_refused():
    with pytest.raises(ScenarioError, match="is set by the types"):
        bayesian_monte_carlo(load_scenario(SCREENING), draws=10, parameters=["w_il_deterrence"])
