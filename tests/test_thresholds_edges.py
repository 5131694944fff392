"""Flip thresholds at the edges: flips inside the first and the last cell of the search grid, the
flips of one parameter, and the order of "nearest" flips (play-changing ones first, then by distance
in units of each slider's range)."""

from __future__ import annotations

import math

import pytest

from model import thresholds

from .small_games import choose, draw, end, param, scenario


def squared_odds(sure: float):
    """Ann gambles (win 1 with probability q * q) or takes ``s`` for sure: she gambles from q = sqrt(s)
    on. q enters squared, so its flip is found on a grid and refined by brentq."""
    return scenario(
        players={"ann": ("Ann", {"money": 1.0})}, attributes={"money": ("Money", "higher")},
        parameters={"q": param(0.5), "s": param(sure)}, root="pick",
        nodes={"pick": choose("ann", ("gamble", "coin"), ("sure", "o_sure")),
               "coin": draw(("win", "q * q", "o_win"), ("lose", "1 - q * q", "o_lose")),
               "o_win": end(money=1), "o_lose": end(money=0), "o_sure": end(money="s")})


@pytest.mark.parametrize("sure", [0.995, 0.00001, 0.25])
def test_a_flip_in_the_first_or_last_grid_cell_is_found(sure):
    found = thresholds(squared_odds(sure), parameters=["q"])
    (t,) = found
    assert (t.parameter, t.node, t.player, t.below, t.above, t.method) == ("q", "pick", "ann", "sure", "gamble", "brentq")
    assert t.value == pytest.approx(math.sqrt(sure), abs=1e-9) and t.path_changes


def four_flips():
    """Ann takes A when w >= c (flips of w at 0.5 and of c at 0.8, on the path). After B, Bob says yes
    when v - u + 1 >= 0 (off the path: v, range 0 to 2, flips at 0.3; u, range 1 to 2, at 1.5)."""
    return scenario(
        players={"ann": ("Ann", {"gain": "w", "cost": "c"}),
                 "bob": ("Bob", {"bob_pay": "v", "bob_cost": "u", "bob_base": 1.0})},
        attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower"), "bob_pay": ("Bob pay", "higher"),
                    "bob_cost": ("Bob cost", "lower"), "bob_base": ("Bob base", "higher")},
        parameters={"w": param(0.8), "c": param(0.5), "v": param(0.5, 0.0, 2.0), "u": param(1.3, 1.0, 2.0)},
        root="pick",
        nodes={"pick": choose("ann", ("a", "oa"), ("b", "reply")),
               "reply": choose("bob", ("yes", "oy"), ("no", "on")),
               "oa": end(gain=1, cost=1), "oy": end(bob_pay=1, bob_cost=1, bob_base=1), "on": end()})


def test_the_flips_of_one_parameter():
    found = thresholds(four_flips())
    assert [(t.parameter, t.below, t.above) for t in found.of("w")] == [("w", "b", "a")]
    assert [(t.parameter, t.below, t.above) for t in found.of("u")] == [("u", "yes", "no")]
    assert [round(t.value, 9) for t in found] == [0.5, 0.8, 0.3, 1.5]
    assert [t.path_changes for t in found] == [True, True, False, False]


@pytest.mark.parametrize("now, order", [
    ({"w": 0.9, "v": 0.31}, ["c", "w", "v", "u"]),  # play-changing flips first, even when farther
    ({"v": 0.5, "u": 1.8}, ["w", "c", "v", "u"]),  # v: 0.2 of a range of 2 = 0.1; u: 0.3
    ({"v": 0.6, "u": 1.7}, ["w", "c", "v", "u"]),  # v: 0.15; u: 0.2 (range 1, from 1 to 2)
    ({"v": 0.05, "u": 1.4}, ["w", "c", "u", "v"]),  # v: 0.125; u: 0.1
])
def test_the_nearest_flips_change_play_first_then_are_nearest_in_units_of_each_range(now, order):
    found = thresholds(four_flips())
    assert [t.parameter for t in found.nearest(four_flips(), values=now)] == order


def two_grid_parameters():
    """Ann gambles (win 1 with probability q * q) or takes r * r for sure; both parameters enter
    squared, so both are searched on a grid: q flips at r, and r at q."""
    return scenario(
        players={"ann": ("Ann", {"money": 1.0})}, attributes={"money": ("Money", "higher")},
        parameters={"q": param(0.5), "r": param(0.3)}, root="pick",
        nodes={"pick": choose("ann", ("gamble", "coin"), ("sure", "o_sure")),
               "coin": draw(("win", "q * q", "o_win"), ("lose", "1 - q * q", "o_lose")),
               "o_win": end(money=1), "o_lose": end(money=0), "o_sure": end(money="r * r")})


def test_each_grid_parameter_gets_its_own_flip():
    found = thresholds(two_grid_parameters())
    assert [(t.parameter, t.below, t.above, t.method) for t in found] == [
        ("q", "sure", "gamble", "brentq"), ("r", "gamble", "sure", "brentq")]
    assert found[0].value == pytest.approx(0.3, abs=1e-9) and found[1].value == pytest.approx(0.5, abs=1e-9)


def window():
    """Ann gambles when 0.04 - (x - 0.5)^2 >= 0 (x within 0.2 of 0.5, entering squared): a choice that
    flips twice, out and back, at 0.3 and 0.7."""
    return scenario(
        players={"ann": ("Ann", {"money": 1.0})}, attributes={"money": ("Money", "higher")},
        parameters={"x": param(0.0)}, root="pick",
        nodes={"pick": choose("ann", ("gamble", "o_g"), ("sure", "o_sure")),
               "o_g": end(money="0.04 - (x - 0.5) * (x - 0.5)"), "o_sure": end(money=0)})


def test_a_choice_that_flips_out_and_back_has_both_flips():
    found = thresholds(window())
    assert [(t.below, t.above) for t in found] == [("sure", "gamble"), ("gamble", "sure")]
    assert [t.value for t in found] == [pytest.approx(0.3, abs=1e-9), pytest.approx(0.7, abs=1e-9)]


def test_a_flip_exactly_on_a_grid_point_is_found_there():
    """q * q against 0.25: the flip at q = 0.5 is a point of the 257-point grid over [0, 1]."""
    (t,) = thresholds(squared_odds(0.25), parameters=["q"])
    assert t.value == 0.5 and (t.below, t.above) == ("sure", "gamble")


def test_a_tie_at_a_single_point_flips_in_and_out_of_the_tie_band():
    """Ann's gamble is worth -(x - 0.5)^2 against 0: the two tie (within the 1e-9 tolerance) only for
    |x - 0.5| <= sqrt(1e-9), and there the tie goes to "gamble", listed first. The solver's choice
    really changes at both edges of that band, so both are reported, and nothing else."""
    game = scenario(
        players={"ann": ("Ann", {"money": 1.0})}, attributes={"money": ("Money", "higher")},
        parameters={"x": param(0.0)}, root="pick",
        nodes={"pick": choose("ann", ("gamble", "o_g"), ("sure", "o_sure")),
               "o_g": end(money="-(x - 0.5) * (x - 0.5)"), "o_sure": end(money=0)})
    found = thresholds(game)
    band = 1e-9 ** 0.5
    assert [(t.below, t.above) for t in found] == [("sure", "gamble"), ("gamble", "sure")]
    assert [t.value for t in found] == pytest.approx([0.5 - band, 0.5 + band], abs=1e-6)


def test_the_result_says_how_the_flips_were_found():
    from model.analyses.thresholds import METHOD

    assert thresholds(squared_odds(0.25)).method == METHOD
    assert "closed form" in METHOD and "brentq" in METHOD


def test_a_single_point_tie_does_not_hide_another_nodes_flip_in_the_same_grid_cell():
    """Chance sends play to Ann or to Bob. Ann gambles only in a tie band around x = 0.5; Bob's choice
    flips at x = 0.498, in the grid cell that ends at Ann's tie, and is found."""
    game = scenario(
        players={"ann": ("Ann", {"money": 1.0}), "bob": ("Bob", {"bob_money": 1.0})},
        attributes={"money": ("Money", "higher"), "bob_money": ("Bob's money", "higher")},
        parameters={"x": param(0.0)}, root="coin",
        nodes={"coin": draw(("heads", 0.5, "ann_node"), ("tails", 0.5, "bob_node")),
               "ann_node": choose("ann", ("gamble", "o_g"), ("sure", "o_s")),
               "bob_node": choose("bob", ("up", "o_u"), ("down", "o_d")),
               "o_g": end(money="-(x - 0.5) * (x - 0.5)"), "o_s": end(),
               "o_u": end(bob_money="x - 0.498"), "o_d": end()})
    (t,) = [t for t in thresholds(game) if t.node == "bob_node"]
    assert (t.node, t.below, t.above) == ("bob_node", "down", "up")
    assert t.value == pytest.approx(0.498, abs=1e-6)
