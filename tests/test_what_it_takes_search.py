"""What would it take, by search (a probability unlocked), on a game whose answer is known: the
smallest move lands on the flip, in units of the slider's range; parameters that do not matter are
left where they are; locked parameters stay at the given values; the same seed gives the same answer."""

from __future__ import annotations

import pytest

from model import what_it_takes

from .small_games import choose, draw, end, param, scenario


def gamble():
    """Ann gambles (win 1 with probability p, else lose 1) or takes 0.2 + bonus for sure: she gambles
    when 2p - 1 >= 0.2 + bonus, so from p = 0.6 on (bonus 0). p's slider runs from 0.1 to 0.9 (a range
    of 0.8); q weighs an attribute both choices share."""
    return scenario(
        players={"ann": ("Ann", {"money": 1.0, "same": "q", "extra": "bonus"})},
        attributes={"money": ("Money", "higher"), "same": ("Same", "higher"), "extra": ("Extra", "higher")},
        parameters={"p": param(0.3, 0.1, 0.9), "q": param(0.5), "bonus": param(0.0)},
        root="pick",
        nodes={"pick": choose("ann", ("gamble", "coin"), ("sure", "o_sure")),
               "coin": draw(("win", "p", "o_win"), ("lose", "1 - p", "o_lose")),
               "o_win": end(money=1, same=1), "o_lose": end(money=-1, same=1), "o_sure": end(money=0.2, same=1, extra=1)})


TARGET = (("pick", "gamble"),)


def test_the_search_moves_the_probability_to_the_flip_and_measures_it_in_ranges():
    w = what_it_takes(gamble(), target=TARGET, unlocked=["p", "q"])
    assert w.feasible and not w.already and w.method == "search (approximate)"
    assert [name for name, _, _ in w.changes] == ["p"]
    assert w.new_values["p"] == pytest.approx(0.6, abs=2e-3) and w.new_values["p"] >= 0.6 - 1e-9
    assert w.distance == pytest.approx(0.3 / 0.8, abs=3e-3)


def test_locked_parameters_stay_at_the_values_given():
    w = what_it_takes(gamble(), target=TARGET, unlocked=["p"], values={"bonus": 0.2})
    assert w.new_values["p"] == pytest.approx(0.7, abs=2e-3)
    assert w.distance == pytest.approx(0.4 / 0.8, abs=3e-3)


def test_the_same_seed_gives_the_same_answer():
    first = what_it_takes(gamble(), target=TARGET, unlocked=["p", "q"], seed=7)
    again = what_it_takes(gamble(), target=TARGET, unlocked=["p", "q"], seed=7)
    assert first == again


def audited():
    """Ann gambles (always worth it) into a check: half the time nothing happens, half the time she is
    audited and complies (honesty 1, weighed by h) or cheats (money 0.5): she complies from h = 0.5 on."""
    return scenario(
        players={"ann": ("Ann", {"money": 1.0, "honesty": "h"})},
        attributes={"money": ("Money", "higher"), "honesty": ("Honesty", "higher")},
        parameters={"h": param(0.1)}, root="pick",
        nodes={"pick": choose("ann", ("gamble", "check"), ("sure", "o_sure")),
               "check": draw(("pass", 0.5, "inner"), ("audit", 0.5, "after")),
               "inner": draw(("x", 0.5, "o_x"), ("y", 0.5, "o_y")),
               "after": choose("ann", ("comply", "o_c"), ("cheat", "o_ch")),
               "o_c": end(honesty=1), "o_ch": end(money=0.5), "o_x": end(money=0.4), "o_y": end(money=0.4),
               "o_sure": end(money=0.1)})


def test_the_exact_route_follows_every_branch_of_a_chance_node():
    """Weights unlocked: the linear program finds the smallest move (h to 0.5, 0.4 of its range) for a
    target play that runs through a chance node into a decision after another chance node."""
    w = what_it_takes(audited(), target=(("pick", "gamble"), ("after", "comply")), unlocked=["h"])
    assert w.feasible and w.method == "linear program (exact)"
    assert w.new_values["h"] == pytest.approx(0.5, abs=1e-5) and w.distance == pytest.approx(0.4, abs=1e-5)


def test_the_default_seed_is_0():
    assert what_it_takes(gamble(), target=TARGET, unlocked=["p", "q"]) == what_it_takes(
        gamble(), target=TARGET, unlocked=["p", "q"], seed=0)
