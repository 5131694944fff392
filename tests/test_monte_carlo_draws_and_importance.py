"""Monte Carlo: which parameters are drawn and how (ranges, spread windows, Dirichlet weights), the
options it refuses, the Wilson intervals, and "what matters most" on games whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from model import MAX_DRAWS, ScenarioError, monte_carlo
from model.analyses.montecarlo import BINS, draw_rows, wilson

from .small_games import choose, end, param, scenario


def decided_by_w(**extra_parameters):
    """Ann takes A exactly when w > 0.5; z weighs an attribute both outcomes share (it is used, and
    changes nothing); ``spare`` is used by nothing; ``fixed`` is used but has no range."""
    return scenario(
        players={"ann": ("Ann", {"gain": "w", "cost": 0.5, "same": "z", "other": "fixed"})},
        attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower"), "same": ("Same", "higher"),
                    "other": ("Other", "higher")},
        parameters={"w": param(0.3), "z": param(0.5), "spare": param(0.5), "fixed": param(0.4, 0.4, 0.4),
                    **extra_parameters},
        root="pick",
        nodes={"pick": choose("ann", ("a", "oa"), ("b", "ob")), "oa": end(gain=1, cost=1, same=1, other=0),
               "ob": end(gain=0, cost=0, same=1, other=0)})


def test_by_default_every_used_parameter_with_a_range_is_drawn_100000_times_with_seed_0():
    game = decided_by_w()
    mc = monte_carlo(game)
    assert mc.parameters == ("w", "z")
    assert (mc.draws, mc.seed, mc.mode, mc.concentration) == (100_000, 0, "uniform", None)
    assert mc.samples is None and mc.path is None
    again = monte_carlo(game, draws=100_000, seed=0)
    assert mc.counts == again.counts and mc.importance == again.importance


def test_one_parameter_that_alone_decides_the_outcome_explains_all_of_it():
    """w decides (A when w > 0.5, on a bin edge), z changes nothing: w's first-order index is 1 and its
    correlation with the modal outcome sqrt(3)/2 in size; z's are close to 0; w comes first."""
    mc = monte_carlo(decided_by_w(), draws=20_000, seed=3)
    first, second = mc.importance
    assert first.parameter == "w" and second.parameter == "z"
    assert first.first_order == pytest.approx(1.0, abs=1e-9)
    assert abs(first.correlation) == pytest.approx(np.sqrt(3) / 2, abs=0.02)
    assert second.first_order < 0.01 and abs(second.correlation) < 0.03
    assert sum(mc.counts) == 20_000 and mc.shares[0] >= mc.shares[1]


def test_the_first_order_index_is_the_variance_of_the_bin_means_over_the_variance():
    """The documented estimator: the draws of a parameter cut into 20 equal-width bins from the smallest
    to the largest draw; the share of the indicator's variance that the bin means explain."""
    mc = monte_carlo(decided_by_w(), draws=60, seed=5, keep_samples=True)
    y = (mc.path == 0).astype(float)
    by_name = {i.parameter: i for i in mc.importance}
    for j, name in enumerate(mc.parameters):
        x = mc.samples[j]
        b = np.minimum(np.floor((x - x.min()) / (x.max() - x.min()) * BINS), BINS - 1).astype(int)
        means = np.array([y[b == k].mean() if (b == k).any() else 0.0 for k in range(BINS)])
        counts = np.array([(b == k).sum() for k in range(BINS)])
        expected = np.sum(counts * (means - y.mean()) ** 2) / len(y) / y.var()
        assert by_name[name].first_order == pytest.approx(min(1.0, expected), rel=1e-9)
        assert by_name[name].correlation == pytest.approx(np.corrcoef(x, y)[0, 1], rel=1e-9)
    assert [i.first_order for i in mc.importance] == sorted((i.first_order for i in mc.importance), reverse=True)


def test_nothing_matters_when_every_draw_ends_the_same_way_or_a_parameter_does_not_move():
    game = decided_by_w()
    same = monte_carlo(game, draws=500, parameters=["z"])
    assert [(i.parameter, i.correlation, i.first_order) for i in same.importance] == [("z", 0.0, 0.0)]
    assert len(same.paths) == 1
    mixed = monte_carlo(game, draws=2000, parameters=["fixed", "w", "z"])
    fixed = next(i for i in mixed.importance if i.parameter == "fixed")
    assert (fixed.correlation, fixed.first_order) == (0.0, 0.0)
    assert [i.parameter for i in mixed.importance][0] == "w" and len(mixed.importance) == 3


def test_parameters_that_are_not_drawn_are_held_at_the_given_values():
    game = decided_by_w()
    assert monte_carlo(game, draws=300, parameters=["z"], values={"w": 0.9}).words == ("Ann: A",)
    assert monte_carlo(game, draws=300, parameters=["z"], values={"w": 0.1}).words == ("Ann: B",)
    with pytest.raises(ScenarioError, match="outside the range"):
        monte_carlo(game, draws=10, values={"w": 2.0})


@pytest.mark.parametrize("kw, field, words", [
    ({"mode": "gaussian"}, "mode", "unknown mode 'gaussian'; allowed: 'uniform', 'spread'"),
    ({"draws": 0}, "draws", f"draws must be between 1 and {MAX_DRAWS:,}; got 0"),
    ({"draws": MAX_DRAWS + 1}, "draws", f"got {MAX_DRAWS + 1}"),
    ({"spread": -0.1}, "spread", "spread must be between 0 and 1 (a share of each range); got -0.1"),
    ({"spread": 1.5}, "spread", "got 1.5"),
    ({"concentration": 0.0}, "concentration", "the Dirichlet concentration must be positive; got 0.0"),
])
def test_bad_options_are_refused_naming_the_option(kw, field, words):
    with pytest.raises(ScenarioError) as err:
        monte_carlo(decided_by_w(), **kw)
    assert err.value.field == field and words in str(err.value)


def test_the_limits_of_the_options_themselves_are_allowed():
    game = decided_by_w()
    rows = draw_rows(game, names=["w"], now=game.values, draws=MAX_DRAWS, seed=1)
    assert rows.shape == (2, MAX_DRAWS) and (rows[-1] == 1.0).all()
    assert monte_carlo(game, draws=1).draws == 1
    for spread in (0.0, 1.0):
        monte_carlo(game, draws=5, mode="spread", spread=spread)
    monte_carlo(game, draws=5, concentration=0.5)


def test_spread_draws_fill_the_window_around_the_current_value_cut_to_the_range():
    """With ``spread`` s, a parameter is drawn uniformly within its current value +- s x its range
    (here a range of 2, from 1 to 3), cut to the range; a zero spread holds it at its value."""
    game = decided_by_w(v=param(2.0, 1.0, 3.0), u=param(1.05, 1.0, 3.0))
    rows = draw_rows(game, names=["v", "u"], now=game.values, draws=20_000, seed=0, mode="spread", spread=0.1)
    v, u = rows[0], rows[1]
    assert 1.8 <= v.min() < 1.801 and 2.199 < v.max() <= 2.2
    assert 1.0 <= u.min() < 1.001 and 1.249 < u.max() <= 1.25
    held = draw_rows(game, names=["v"], now=game.values, draws=50, seed=0, mode="spread", spread=0.0)
    assert (held[0] == 2.0).all()


def two_sided_weights(**lows):
    """Ann weighs gain and cost with w1 = 0.2 and w2 = 0.6 (total 0.8); Bob's two weights are 0."""
    lo = lows.get("lo", 0.0)
    return scenario(
        players={"bob": ("Bob", {"gain": "b1", "cost": "b2"}), "ann": ("Ann", {"gain": "w1", "cost": "w2"})},
        attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower")},
        parameters={"w1": param(0.2, lo), "w2": param(0.6, lo), "b1": param(0.0), "b2": param(0.0)},
        root="pick",
        nodes={"pick": choose("ann", ("a", "oa"), ("b", "ob")), "oa": end(gain=1, cost=1), "ob": end(gain=0, cost=0)})


def test_dirichlet_weights_keep_each_sides_total_and_spread_as_the_concentration_says():
    """Shares ~ Dir(k w / sum w) scaled to the current total: each draw's weights sum to 0.8, their mean
    is the current weights, and a share's standard deviation is total x sqrt(m (1 - m) / (k + 1)). A side
    whose weights are all 0 has no shares to keep: its weights are drawn over their ranges."""
    game = two_sided_weights()
    k = 10.0
    mc = monte_carlo(game, draws=100_000, seed=2, concentration=k, keep_samples=True)
    names = list(mc.parameters)
    w1, w2 = mc.samples[names.index("w1")], mc.samples[names.index("w2")]
    assert np.allclose(w1 + w2, 0.8)
    assert w1.mean() == pytest.approx(0.2, abs=0.003) and w2.mean() == pytest.approx(0.6, abs=0.003)
    assert w1.std() == pytest.approx(0.8 * np.sqrt(0.25 * 0.75 / (k + 1)), rel=0.03)
    b1 = mc.samples[names.index("b1")]
    assert b1.min() < 0.01 and b1.max() > 0.99 and b1.mean() == pytest.approx(0.5, abs=0.01)


def test_dirichlet_weights_stay_inside_the_sliders_and_leave_held_weights_alone():
    game = two_sided_weights(lo=0.1)
    mc = monte_carlo(game, draws=20_000, seed=0, concentration=0.5, keep_samples=True)
    for j, name in enumerate(mc.parameters):
        p = game.parameter(name)
        assert p.min <= mc.samples[j].min() and mc.samples[j].max() <= p.max
    assert (mc.samples[list(mc.parameters).index("w1")] == 0.1).any()
    # w2 held: Ann's one drawn weight forms no group and is drawn over its range
    held = monte_carlo(game, draws=20_000, seed=0, concentration=1000.0, parameters=["w1"], keep_samples=True)
    assert held.samples[0].min() < 0.11 and held.samples[0].max() > 0.99


def test_wilson_intervals_at_the_edges():
    """No draws: the whole [0, 1]; every draw (or none) in one outcome: the interval touches 1 (or 0)."""
    assert wilson(0, 0) == (0.0, 1.0)
    assert wilson(1, 1) == (pytest.approx(0.20654931437723745), 1.0)
    assert wilson(16, 16)[1] == 1.0 and wilson(0, 16)[0] == 0.0
    low, high = wilson(5, 20)
    assert low == pytest.approx(0.11186, abs=1e-5) and high == pytest.approx(0.46870, abs=1e-5)
