"""One-way, two-way (region map) and tornado sensitivity on a game whose every answer is known: the
ranges they cover, the other parameters they hold (at the given values), and the current point."""

from __future__ import annotations

import numpy as np
import pytest

from model import ScenarioError, one_way, region_map, solve, tornado

from .small_games import choose, end, param, scenario


def game():
    """Ann takes A when w + z > c (A: gain 1, cost 1, bonus 1; B: nothing): weights w on gain, c on
    cost, z on bonus; ``fixed`` has no range."""
    return scenario(
        players={"ann": ("Ann", {"gain": "w", "cost": "c", "bonus": "z", "other": "fixed"})},
        attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower"), "bonus": ("Bonus", "higher"),
                    "other": ("Other", "higher")},
        parameters={"w": param(0.6), "c": param(0.5), "z": param(0.0), "fixed": param(0.3, 0.3, 0.3)},
        root="pick",
        nodes={"pick": choose("ann", ("a", "oa"), ("b", "ob")), "oa": end(gain=1, cost=1, bonus=1, other=0),
               "ob": end(other=0)})


def play(sol):
    return tuple(sorted((s.node, s.action) for s in sol.path if s.action))


def test_one_way_covers_the_range_in_201_points_with_the_others_held_at_the_given_values():
    g = game()
    ow = one_way(g, parameter="w", values={"c": 0.7})
    assert ow.parameter == "w" and ow.players == ("ann",) and ow.current == 0.6
    assert len(ow.xs) == 201 and ow.xs[0] == 0.0 and ow.xs[-1] == 1.0
    (t,) = ow.thresholds
    assert t.value == pytest.approx(0.7) and (t.below, t.above) == ("b", "a")
    for j in (0, 100, 139, 141, 200):
        sol = solve(g, values={"w": ow.xs[j], "c": 0.7})
        assert tuple(sorted(ow.paths[ow.path[j]])) == play(sol)
        assert ow.utility[0, j] == pytest.approx(dict(sol.payoffs)["ann"])
    assert one_way(g, parameter="w", values={"w": 0.25}).current == 0.25


def test_region_map_labels_every_cell_and_the_current_point_with_the_others_held():
    g = game()
    rm = region_map(g, x="w", y="c", points=5, values={"z": 0.25, "w": 0.9, "c": 0.1})
    assert (rm.x, rm.y, rm.current) == ("w", "c", (0.9, 0.1))
    assert rm.path.shape == (5, 5) and list(rm.xs) == [0, 0.25, 0.5, 0.75, 1] and list(rm.ys) == list(rm.xs)
    for i, y in enumerate(rm.ys):
        for j, x in enumerate(rm.xs):
            assert tuple(sorted(rm.paths[rm.path[i, j]])) == play(solve(g, values={"w": x, "c": y, "z": 0.25}))
    assert tuple(sorted(rm.paths[rm.current_path])) == (("pick", "a"),)
    low = region_map(g, x="w", y="c", points=5, values={"w": 0.05, "c": 0.9})
    assert tuple(sorted(low.paths[low.current_path])) == (("pick", "b"),)
    a = [k for k, p in enumerate(rm.paths) if p == (("pick", "a"),)][0]  # a tie goes to A, listed first
    assert rm.share(a) == pytest.approx(np.mean([x + 0.25 >= y - 1e-9 for y in rm.ys for x in rm.xs]))
    assert region_map(g, x="w", y="c").path.shape == (200, 200)


def test_region_map_needs_two_different_parameters():
    with pytest.raises(ScenarioError) as err:
        region_map(game(), x="w", y="w")
    assert err.value.message == "pick two different parameters for a region map (both are 'w')"


def test_tornado_bars_are_each_ranged_parameter_at_both_ends_with_the_others_held():
    g = game()
    now = {"w": 0.45, "c": 0.5, "z": 0.0, "fixed": 0.3}
    tor = tornado(g, values={"w": 0.45})
    assert tor.players == ("ann",)
    base = solve(g, values=now)
    assert tor.base == pytest.approx((dict(base.payoffs)["ann"],))
    assert tuple(sorted(tor.paths[tor.base_path])) == play(base) == (("pick", "b"),)
    assert sorted(b.parameter for b in tor.bars) == ["c", "w", "z"]
    for bar in tor.bars:
        p = g.parameter(bar.parameter)
        low, high = (solve(g, values={**now, p.id: x}) for x in (p.min, p.max))
        assert (bar.low, bar.high) == (p.min, p.max)
        assert bar.utility_low == pytest.approx(tuple(v for _, v in low.payoffs))
        assert bar.utility_high == pytest.approx(tuple(v for _, v in high.payoffs))
        assert tuple(sorted(tor.paths[bar.path_low])) == play(low)
        assert tuple(sorted(tor.paths[bar.path_high])) == play(high)
        assert bar.changes_outcome == (play(low) != play(base) or play(high) != play(base))
    swings = [max(abs(s) for s in b.swing) for b in tor.bars]
    assert swings == sorted(swings, reverse=True)
    assert [b.parameter for b in tor.bars][0] in ("w", "c", "z")
