"""``sweep`` and ``montecarlo`` with private types on a small deterrence game solved by hand: which sets of perfect
Bayesian equilibria hold where, each set's equilibria in words (numbered, with the replies off the path), what is
held and what the types set, the range checks, and the Monte Carlo shares of the draws.

The game (``deterrence``): A goes, probes or stays home; after go (node "B's reply to go") or probe (node "third",
no label) B, tough or soft, fights or yields. B's utility: taste t for a fight minus loss l: fighting gives
t - 0.5 l, yielding -0.2 l. The tough type (t = 2, l = 1) fights (1.5 > -0.2), the soft one (t = 0, l = 1) yields
(-0.5 < -0.2), at both nodes. The prior of the tough type is p r (r = 1 by default).

A's utility: g x gain - e x effort; war: gain -1, peace after go: gain 1, peace after probe: gain 0.5; going or
probing costs effort 1. So, with q = p r: go gives g (1 - 2q) - e, probe g (0.5 - 1.5 q) - e (never more than go:
their difference is 0.5 g (1 - q) >= 0), stay 0. A goes when g (1 - 2q) > e, stays when it is below, and both are
equilibria when they are equal. At g = 1, e = 0: go below q = 1/2, stay above, both at 1/2.
"""

from __future__ import annotations

import numpy as np
import pytest

from model import ScenarioError, load_scenario
from model.analyses import bayesian_sweep as bayesian_sweep_module
from model.analyses.bayesian_montecarlo import bayesian_monte_carlo
from model.analyses.bayesian_sweep import bayesian_sweep
from model.analyses.montecarlo import draw_rows, wilson
from model.analyses.sweep import Grid
from model.core.game import ONE

from .small_games import choose, draw, end, param, scenario
from .typed_cli import BEER_QUICHE

GO = "A: Go (separating: Tough: Fight; Soft: Yield)"
STAY = "A: Stay (pooling: both types: no move)"
Q = "\u201c{}\u201d".format


def deterrence(coin: bool = False):
    """The game of the module docstring; with ``coin``, a chance move first starts it with probability c (else it
    ends at once)."""
    nodes = {"first": choose("a", ("go", "second"), ("probe", "third"), ("stay", "home"), label="A's move"),
             "second": choose("b", ("fight", "war"), ("yield", "peace"), label="B's reply to go"),
             "third": choose("b", ("fight", "war2"), ("yield", "peace2")),
             "war": end(gain=-1.0, effort=1.0, fight_taste=1.0, loss=0.5),
             "peace": end(gain=1.0, effort=1.0, loss=0.2),
             "war2": end(gain=-1.0, effort=1.0, fight_taste=1.0, loss=0.5),
             "peace2": end(gain=0.5, effort=1.0, loss=0.2), "home": end()}
    if coin:
        nodes |= {"coin": draw(("on", "c", "first"), ("off", "1 - c", "away")), "away": end()}
    return scenario(
        players={"a": ("A", {"gain": "g", "effort": "e"}), "b": ("B", {"fight_taste": "t", "loss": "l"})},
        attributes={"gain": ("A's gain", "higher"), "effort": ("A's effort", "lower"),
                    "fight_taste": ("taste for a fight", "higher"), "loss": ("B's loss", "lower")},
        parameters={"g": param(1.0), "e": param(0.0), "t": param(0.0, 0.0, 2.0, 0.5), "l": param(1.0, 0.0, 2.0),
                    "p": param(0.4), "r": param(1.0), **({"c": param(1.0)} if coin else {})},
        root="coin" if coin else "first", nodes=nodes,
        uncertainty={"player": "b", "types": {
            "tough": {"label": "Tough", "prior": "p * r", "values": {"t": 2.0, "l": 1.0}},
            "soft": {"label": "Soft", "prior": "1 - p * r", "values": {"t": 0.0, "l": 1.0}}}})


# each type's play in words when A goes, and when A stays (both nodes of B then off the path)
GO_PLAY = [f"Tough: A: Go, B: Fight (off its path: {Q('third')} \u2192 Fight)",
           f"Soft: A: Go, B: Yield (off its path: {Q('third')} \u2192 Yield)"]
STAY_PLAY = [f"Tough: A: Stay (off its path: {Q(chr(66) + chr(39) + 's reply to go')} \u2192 Fight; "
             f"{Q('third')} \u2192 Fight)",
             f"Soft: A: Stay (off its path: {Q(chr(66) + chr(39) + 's reply to go')} \u2192 Yield; "
             f"{Q('third')} \u2192 Yield)"]


def test_over_the_prior_a_goes_below_one_half_stays_above_and_both_are_equilibria_at_one_half():
    s = deterrence()
    grid = Grid(0.25, 0.75, 3, "p")
    r = bayesian_sweep(s, vary={"p": grid}, grids=(grid,))
    assert r.set_index.tolist() == [0, 1, 2] and r.counts.tolist() == [1, 1, 1]
    assert [x.words for x in r.sets] == [GO, f"{GO}; {STAY}", STAY]
    assert [list(x.lines) for x in r.sets] == [
        GO_PLAY,
        [f"1. separating: Go at {Q(chr(65) + chr(39) + 's move')}", *("   " + line for line in GO_PLAY),
         f"2. pooling: Stay at {Q(chr(65) + chr(39) + 's move')}", *("   " + line for line in STAY_PLAY)],
        STAY_PLAY]
    data = r.to_json()
    assert [(x["count"], x["share"], x["first_point"]) for x in data["sets"]] == [
        (1, 1 / 3, {"p": 0.25}), (1, 1 / 3, {"p": 0.5}), (1, 1 / 3, {"p": 0.75})]
    assert [x["in_words"] for x in data["sets"]] == [list(x.lines) for x in r.sets]


def test_each_set_is_numbered_by_its_first_point_and_shown_there():
    r = bayesian_sweep(deterrence(), vary={"p": [0.75, 0.25, 0.8, 0.5, 0.1]})
    assert [x.words for x in r.sets] == [STAY, GO, f"{GO}; {STAY}"]
    assert [(x.first, x.at) for x in r.sets] == [(0, (("p", 0.75),)), (1, (("p", 0.25),)), (3, (("p", 0.5),))]
    assert r.set_index.tolist() == [0, 1, 0, 2, 1]


def test_a_type_whose_play_reaches_no_move_is_said_to_make_none():
    """With the chance move c = 0 the game ends at once: no type moves, both of B's nodes are off the path (in
    every equilibrium of the set, whatever A would do)."""
    s = deterrence(coin=True)
    r = bayesian_sweep(s, vary={"c": [0.0]}, values={"p": 0.25})
    (only,) = r.sets
    assert {line.strip() for line in only.lines if not line[0].isdigit()} == {
        "Tough: (no move) (off its path: " + STAY_PLAY[0].split("(off its path: ")[1],
        "Soft: (no move) (off its path: " + STAY_PLAY[1].split("(off its path: ")[1]}


@pytest.mark.parametrize("vary, said", [
    ({"p": Grid(0.25, 0.75, 3, "p")}, ["The prior is held: r = 1.00."]),
    ({"e": Grid(0.0, 0.5, 2, "e")}, ["The prior is held: p = 0.40, r = 1.00."]),
    ({"p": Grid(0.25, 0.75, 2, "p"), "r": Grid(0.5, 1.0, 2, "r")}, ["The prior is varied: p, r."]),
])
def test_the_text_says_what_is_held_and_what_the_types_set(vary, said):
    s = deterrence()
    grids = tuple(vary.values())
    if len(grids) > 1:  # two grids multiply: every pair of values
        pts = np.meshgrid(*(g.values() for g in grids), indexing="ij")
        r = bayesian_sweep(s, rows=((*vary, ONE), np.vstack([*(x.ravel() for x in pts), np.ones(pts[0].size)])),
                           grids=grids)
    else:
        r = bayesian_sweep(s, vary=vary, grids=grids)
    lines = r.to_text(s).splitlines()
    k = lines.index("Every other parameter at its current value.")
    assert lines[k + 1:k + 3] == [*said, "Set by the types (their sliders are not used): l, t."]


def test_the_text_names_the_prior_at_the_values_given_not_the_scenarios():
    """Called with the prior's p at 0.25 (its default is 0.4), the sweep and the Monte Carlo say they hold p
    at 0.25, the value they solved at."""
    s = deterrence()
    sweep_text = bayesian_sweep(s, values={"p": 0.25}, vary={"e": Grid(0.0, 0.5, 2, "e")}).to_text(s)
    assert "The prior is held: p = 0.25, r = 1.00." in sweep_text.splitlines()
    mc_text = bayesian_monte_carlo(s, draws=200, values={"p": 0.25}).to_text(s)
    assert "The prior is held: p = 0.25, r = 1.00." in mc_text.splitlines()


def words_at_each_point(r) -> list[str]:
    return [r.sets[k].words for k in r.set_index]


def test_values_hold_the_other_parameters_when_the_points_come_as_rows():
    """e = 0.5: A goes only while 1 - 2p > 0.5, i.e. p < 1/4: at p = 0.1 it goes, at p = 0.4 it stays (at e = 0, the
    file's value, it goes at both)."""
    s = deterrence()
    rows = (("p", ONE), np.array([[0.1, 0.4], [1.0, 1.0]]))
    assert words_at_each_point(bayesian_sweep(s, values={"e": 0.5}, rows=rows)) == [GO, STAY]
    assert words_at_each_point(bayesian_sweep(s, rows=rows)) == [GO, GO]


def test_without_a_grid_it_solves_the_current_point():
    r = bayesian_sweep(deterrence())  # p r = 0.4 < 1/2: A goes
    assert r.n == 1 and r.parameters == () and words_at_each_point(r) == [GO]


def test_values_outside_a_range_are_refused_unless_the_caller_vouches_for_them():
    """e's range is 0 to 1: e = 1.5 is refused, as rows or as an array; with ``validate=False`` (the caller drew
    the points inside the ranges itself) the points are solved as given: at p r = 0.4 A stays when e > 0.2."""
    s = deterrence()
    rows = (("e", ONE), np.array([[0.5, 1.5], [1.0, 1.0]]))
    for kw in ({"rows": rows}, {"vary": {"e": [0.5, 1.5]}}):
        with pytest.raises(ScenarioError, match="to 1.5 are outside the range"):
            bayesian_sweep(s, **kw)
        assert words_at_each_point(bayesian_sweep(s, validate=False, **kw)) == [STAY, STAY]


def test_at_most_max_cells_points_times_strategies_are_solved_at_once(monkeypatch):
    """A has 3 pure strategies (go, probe, stay): with a limit of 6, two points are solved, three refused."""
    monkeypatch.setattr(bayesian_sweep_module, "MAX_CELLS", 6)
    assert bayesian_sweep(deterrence(), vary={"p": [0.25, 0.75]}).n == 2
    with pytest.raises(ScenarioError) as err:
        bayesian_sweep(deterrence(), vary={"p": [0.25, 0.5, 0.75]})
    assert str(err.value) == ("3 points x 3 pure strategies of the uninformed side = 9; the perfect Bayesian sweep "
                              "solves at most 6 at once (use fewer points)")


# -- montecarlo -------------------------------------------------------------------------------------------------


def go_count(mc) -> int:
    return dict(zip((s.words for s in mc.sets), mc.counts)).get(GO, 0)


def test_by_default_100000_draws_with_seed_0_of_g_and_e_with_the_prior_held():
    """Drawn: g and e (p and r are the prior's, t and l the types'). At p r = 0.4 A goes when 0.2 g > e; with g and
    e uniform on [0, 1] that is a share of the integral of 0.2 g over g, 0.1."""
    mc = bayesian_monte_carlo(deterrence())
    assert (mc.draws, mc.seed, mc.mode, mc.parameters) == (100_000, 0, "uniform", ("g", "e"))
    assert [s.words for s in mc.sets] == [STAY, GO] and sum(mc.counts) == 100_000
    assert mc.ci_low[1] < 0.1 < mc.ci_high[1] and (mc.ci_low[1], mc.ci_high[1]) == wilson(mc.counts[1], 100_000)


@pytest.mark.parametrize("kw, goes, share", [
    # p = 0.25 held: A goes when 0.5 g > e, a share 0.25
    ({"values": {"p": 0.25}}, lambda g, e: 0.5 * g > e, 0.25),
    # g from 0.7 to 1 and e from 0 to 0.3 (1 and 0 +- 0.3): 0.2 g > e on a share 0.2 x 0.85 / 0.3 of the box
    ({"mode": "spread", "spread": 0.3}, lambda g, e: 0.2 * g > e, 0.2 * 0.85 / 0.3),
    # A's weights from a Dirichlet around (1, 0): g + e = 1, and 0.2 (1 - e) > e while e < 1/6: nearly always
    ({"concentration": 10.0}, lambda g, e: 0.2 * g > e, None),
])
def test_the_draws_are_solved_as_drawn(kw, goes, share):
    s = deterrence()
    mc = bayesian_monte_carlo(s, draws=20_000, seed=5, **kw)
    g, e, _ = draw_rows(s, names=("g", "e"), now={**s.values, **kw.get("values", {})}, draws=20_000, seed=5,
                        **{k: v for k, v in kw.items() if k != "values"})
    assert go_count(mc) == int(goes(g, e).sum())
    k = [x.words for x in mc.sets].index(GO)
    if share is not None:
        assert mc.ci_low[k] < share < mc.ci_high[k]
    else:
        assert np.allclose(g + e, 1.0) and mc.shares[k] > 0.95 and mc.concentration == 10.0
        assert "Dirichlet around its current weights (concentration 10)" in mc.to_text(s)


def test_what_decides_the_most_common_set_is_the_prior():
    """Drawing p alone, e = 0.5: A goes only while p < 1/4, so the most common set is A staying (3/4 of the draws),
    held exactly when p > 1/4: p explains all of it, and its correlation with it is
    cov / (sd_p sd) = (15/32 - 3/8) / (sqrt(1/12) sqrt(3/16)) = 0.75."""
    mc = bayesian_monte_carlo(deterrence(), draws=20_000, seed=2, parameters=["p"], values={"e": 0.5})
    assert mc.sets[0].words == STAY and mc.ci_low[0] < 0.75 < mc.ci_high[0]
    (p,) = mc.importance
    assert p.parameter == "p" and p.first_order > 0.95 and p.correlation == pytest.approx(0.75, abs=0.02)


def test_an_uninformed_strategy_at_several_nodes_is_listed_node_by_node():
    """Beer-quiche at a prior of a weak sender below 1/2 (the textbook's two pooling equilibria): the receiver
    does not duel after the breakfast both types eat and duels after the other one."""
    s = load_scenario(BEER_QUICHE)
    (only,) = bayesian_sweep(s, vary={"p_weak": [0.1, 0.2]}).sets
    beer, quiche = Q("Having seen beer: duel?"), Q("Having seen quiche: duel?")
    numbered = [line for line in only.lines if line[0].isdigit()]
    assert [line[:3] for line in numbered] == ["1. ", "2. "]
    assert sorted(line[3:] for line in numbered) == [
        f"pooling: Do not duel at {beer}, Duel at {quiche}", f"pooling: Duel at {beer}, Do not duel at {quiche}"]
