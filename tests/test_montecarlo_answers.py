"""What ``montecarlo`` prints, on the small game of ``decided_by_w`` (Ann takes A exactly when w > 0.5; the file
has four parameters: w, z, spare and fixed): the heading (how many draws of how many parameters, how drawn, how
many held), the table's head, "what decides", the JSON names of the importance, and the order of tied outcomes."""

from __future__ import annotations

import numpy as np
import pytest

from model import monte_carlo
from model.analyses.montecarlo import Importance, importance_lines, ranked

from .small_games import param
from .test_monte_carlo_draws_and_importance import decided_by_w

TABLE_HEAD = [
    "Equilibrium outcomes: the share of the slider box (of the draws) where each holds, with a 95% Wilson interval "
    "for that share. It is a share of the assumptions' ranges, not a probability that the outcome happens.",
    "   share  95% interval           draws  equilibrium play",
]
DECIDES = ("What decides whether the most common outcome occurs (share of its variance explained by the parameter "
           "alone; correlation):")


def heading(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("Monte Carlo: "))


@pytest.mark.parametrize("kw, said", [
    # the file's four parameters less the drawn ones are held
    ({"draws": 2000, "seed": 1}, "Monte Carlo: 2,000 draws (seed 1) of 2 parameters, uniform over each range; "
                                 "2 held at their current values."),
    ({"draws": 300, "parameters": ["w"], "mode": "spread", "spread": 0.25},
     "Monte Carlo: 300 draws (seed 0) of 1 parameter, within \u00b10.25 of each range around the current value; "
     "3 held at their current values."),
    ({"draws": 300, "parameters": ["w", "z", "spare"], "concentration": 2.0},
     "Monte Carlo: 300 draws (seed 0) of 3 parameters, uniform over each range; each side's weights from a "
     "Dirichlet around its current weights (concentration 2); 1 held at its current value."),
    ({"draws": 300, "parameters": ["w", "z", "spare", "fixed"]},
     "Monte Carlo: 300 draws (seed 0) of 4 parameters, uniform over each range; none held fixed."),
])
def test_the_heading_says_how_many_draws_of_what_how_drawn_and_how_many_held(kw, said):
    game = decided_by_w()
    assert heading(monte_carlo(game, **kw).to_text(game)) == said


def test_the_table_head_and_what_decides_the_most_common_outcome():
    """Drawing w, z and fixed: w alone decides (its index 1: the switch at 0.5 is a bin edge), z changes nothing
    (a small positive index from noise), fixed does not move (index 0: not listed)."""
    game = decided_by_w()
    mc = monte_carlo(game, draws=20_000, seed=3, parameters=["w", "z", "fixed"])
    lines = mc.to_text(game).splitlines()
    k = lines.index(TABLE_HEAD[0])
    assert lines[k:k + 2] == TABLE_HEAD
    assert [line.endswith(f"  {w}") for line, w in zip(lines[k + 2:k + 4], mc.words)] == [True, True]
    k = lines.index(DECIDES)
    assert lines[k - 1] == "" and len(lines) == k + 3
    w, z = lines[k + 1:]
    assert w.split() == ["w", "1.00", "corr", f"{mc.importance[0].correlation:+.2f}", "a", "parameter"]
    assert abs(mc.importance[0].correlation) == pytest.approx(np.sqrt(3) / 2, abs=0.02)
    assert z.startswith("  z ") and z.endswith("  a parameter")


def test_at_most_five_parameters_are_said_to_decide():
    """Six drawn parameters, each with a positive index (w decides, the five others by noise): five lines."""
    extra = {name: param(0.5) for name in ("a1", "a2", "a3")}
    game = decided_by_w(**extra)
    mc = monte_carlo(game, draws=2000, seed=0, parameters=["w", "z", "spare", *extra])
    assert len(mc.importance) == 6 and all(i.first_order > 0 for i in mc.importance)
    lines = mc.to_text(game).splitlines()
    listed = lines[lines.index(DECIDES) + 1:]
    assert [line.split()[0] for line in listed] == [i.parameter for i in mc.importance[:5]]


def test_when_every_draw_ends_the_same_way_nothing_decides():
    game = decided_by_w()
    lines = monte_carlo(game, draws=300, parameters=["z"]).to_text(game).splitlines()
    assert lines[lines.index(DECIDES):] == [DECIDES, "  nothing: every draw ends the same way"]


def test_when_the_outcomes_differ_but_no_parameter_alone_explains_any_of_it():
    """The sentence for several outcomes and no parameter with a positive index (``same`` is then "")."""
    game = decided_by_w()
    for importance in ((), (Importance("w", 0.0, 0.0),)):
        assert importance_lines(game, importance, what="A is chosen", same="") == [
            "", "What decides whether A is chosen (share of its variance explained by the parameter alone; "
                "correlation):", "  no single parameter"]


def test_the_json_names_each_parameters_correlation_and_index():
    game = decided_by_w()
    mc = monte_carlo(game, draws=2000, seed=1)
    assert mc.to_json()["importance"] == [
        {"parameter": i.parameter, "correlation": i.correlation, "first_order": i.first_order} for i in mc.importance]
    assert [i.parameter for i in mc.importance] == ["w", "z"] and mc.importance[0].first_order == 1.0


def test_outcomes_with_the_same_count_keep_their_order():
    """Counts 1, 1, 2, 1, 1, 2 of six outcomes: most common first, and among equals the lower index first."""
    index = np.array([0, 1, 2, 2, 3, 4, 5, 5])
    counts, order, cis = ranked(index, 6)
    assert counts.tolist() == [1, 1, 2, 1, 1, 2]
    assert order.tolist() == [2, 5, 0, 1, 3, 4]
    assert len(cis) == 6
