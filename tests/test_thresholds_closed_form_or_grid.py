"""Which flips get the exact closed form: a parameter whose every action value is affine between flips
(a plain or scaled weight, an affine level, one probability factor on a path) is stepped in closed
form; one that enters squared (as a weight times a level, two probabilities on one path, a
probability times a level or a weight, a non-affine expression) is found on a grid and refined by
brentq. Either way the flip is in the right place; the record says which method found it."""

from __future__ import annotations

import pytest

from model import thresholds

from .small_games import choose, draw, end, param, scenario

ATTRS = {"money": ("Money", "higher"), "cost": ("Cost", "lower"), "base": ("Base", "higher")}


def game(weights, nodes, **parameters):
    """Ann chooses at "pick" between "gamble" (the given subtree) and "sure" (leaf "o_sure")."""
    return scenario(players={"ann": ("Ann", weights)}, attributes=ATTRS, parameters=parameters, root="pick",
                    nodes={"pick": choose("ann", ("gamble", "g"), ("sure", "o_sure")), **nodes})


# Each case is built inside its test (a lambda): a scenario keeps its compiled game, and which
# parameters have a closed form is worked out once per scenario and kept with it.
CASES = {
    # u(gamble) = w^2 - 0.25, u(sure) = 0: flip at w = 0.5
    "weight squared": lambda: (game({"money": "w * w", "cost": 0.25}, {"g": end(money=1, cost=1), "o_sure": end()},
                            w=param(0.2)), "w", 0.5, "brentq"),
    # u(gamble) = 0.5 w - 0.25: flip at w = 0.5
    "weight scaled": lambda: (game({"money": "0.5 * w", "cost": 0.25}, {"g": end(money=1, cost=1), "o_sure": end()},
                           w=param(0.2)), "w", 0.5, "closed form"),
    # u(gamble) = max(x, 0) - 0.25 on x in [-1, 1]: flip at x = 0.25
    "level through max": lambda: (game({"money": 1.0, "cost": 0.25}, {"g": end(money="max(x, 0)", cost=1), "o_sure": end()},
                               x=param(0.0, -1.0, 1.0)), "x", 0.25, "brentq"),
    # u(gamble) = x - 0.25 on x in [-1, 1] (a range centred on 0): flip at x = 0.25
    "level on a symmetric range": lambda: (game({"money": 1.0, "cost": 0.25}, {"g": end(money="x", cost=1), "o_sure": end()},
                                        x=param(0.0, -1.0, 1.0)), "x", 0.25, "closed form"),
    # weight w times level w: u(gamble) = w^2 - 0.25
    "weight times level": lambda: (game({"money": "w", "cost": 0.25}, {"g": end(money="w", cost=1), "o_sure": end()},
                                w=param(0.2)), "w", 0.5, "brentq"),
    # two chance nodes with probability q on one path: win with q^2 against 0.25 for sure
    "two probabilities": lambda: (game({"money": 1.0}, {
        "g": draw(("on", "q", "g2"), ("off", "1 - q", "lose1")), "g2": draw(("win", "q", "win"), ("lose", "1 - q", "lose2")),
        "win": end(money=1), "lose1": end(), "lose2": end(), "o_sure": end(money=0.25)}, q=param(0.2)), "q", 0.5, "brentq"),
    # a probability q times a level q: q^2 against 0.25
    "probability times level": lambda: (game({"money": 1.0}, {
        "g": draw(("win", "q", "win"), ("lose", "1 - q", "lose")), "win": end(money="q"), "lose": end(),
        "o_sure": end(money=0.25)}, q=param(0.2)), "q", 0.5, "brentq"),
    # a probability q times the weight q: q^2 against 0.5 q (equal at q = 0, where the tie goes to
    # "gamble", listed first: a flip to "sure" right there, and back at 0.5)
    "probability times weight": lambda: (game({"money": "q"}, {
        "g": draw(("win", "q", "win"), ("lose", "1 - q", "lose")), "win": end(money=1), "lose": end(),
        "o_sure": end(money=0.5)}, q=param(0.2)), "q", (0.0, 0.5), "brentq"),
    # one probability factor: q against 0.25
    "one probability": lambda: (game({"money": 1.0}, {
        "g": draw(("win", "q", "win"), ("lose", "1 - q", "lose")), "win": end(money=1), "lose": end(),
        "o_sure": end(money=0.25)}, q=param(0.1)), "q", 0.25, "closed form"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_flip_is_in_its_place_and_found_by_the_method_that_fits(case):
    scenario_, name, values, method = CASES[case]()
    *before, t = thresholds(scenario_, parameters=[name])
    assert t.value == pytest.approx(values[-1] if isinstance(values, tuple) else values, abs=1e-9)
    assert (t.below, t.above, t.method) == ("sure", "gamble", method)
    if isinstance(values, tuple):
        (first,) = before
        assert (first.value, first.below, first.above, first.method) == (values[0], "gamble", "sure", method)
    else:
        assert before == []


def test_a_parameter_without_a_range_has_no_flips():
    g = game({"money": "w", "cost": "fixed"}, {"g": end(money=1, cost=1), "o_sure": end()},
             w=param(0.2), fixed=param(0.25, 0.25, 0.25))
    found = thresholds(g)
    assert [(t.parameter, round(t.value, 9)) for t in found] == [("w", 0.25)]
    assert found.of("fixed") == ()
