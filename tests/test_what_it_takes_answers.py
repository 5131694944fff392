"""What would it take, on a game whose answers are known: the exact smallest move up or down (in units
of each slider's range, inside the ranges), every kind of answer it can give (already, nothing
unlocked, out of reach, not a play), and the parameters it holds."""

from __future__ import annotations

import pytest

from model import ScenarioError, what_it_takes
from model.analyses.what_it_takes import MARGIN

from .small_games import choose, end, param, scenario


def contest():
    """Ann takes A (worth w - c) or B (worth 0): A from w = c on. w's slider runs from 1 to 2.4 (a range
    of 1.4), c's from 1 to 2.5 (1.5); now w = 1.5 and c = 2, so Ann takes B. z weighs an attribute both
    outcomes share."""
    return scenario(
        players={"ann": ("Ann", {"gain": "w", "cost": "c", "same": "z"})},
        attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower"), "same": ("Same", "higher")},
        parameters={"w": param(1.5, 1.0, 2.4, label="Ann's weight on gain"),
                    "c": param(2.0, 1.0, 2.5, label="Ann's weight on cost"), "z": param(0.5, label="Same"),
                    "k": param(0.3, 0.3, 0.3, label="Fixed")},
        root="pick",
        nodes={"pick": choose("ann", ("a", "oa"), ("b", "ob")), "oa": end(gain=1, cost=1, same=1),
               "ob": end(same=1)})


A, B = (("pick", "a"),), (("pick", "b"),)


def test_the_smallest_move_up_is_measured_in_units_of_the_sliders_range():
    w = what_it_takes(contest(), target=A, unlocked=["w", "z"])
    assert (w.target, w.feasible, w.already, w.method) == (A, True, False, "linear program (exact)")
    assert [name for name, _, _ in w.changes] == ["w"]
    # the answer clears the flip by the margin, so that the target is the equilibrium there, not a tie
    assert w.new_values["w"] == pytest.approx(2.0 + MARGIN, abs=1e-10)
    assert w.distance == pytest.approx((0.5 + MARGIN) / 1.4, abs=1e-10)
    assert w.sentence.startswith("Ann: A becomes the equilibrium if Ann's weight on gain from 1.5 to 2")


def test_the_smallest_move_down_is_measured_in_units_of_the_sliders_range():
    w = what_it_takes(contest(), target=A, unlocked=["c"])
    assert w.new_values["c"] == pytest.approx(1.5 - MARGIN, abs=1e-10)
    assert w.distance == pytest.approx((0.5 + MARGIN) / 1.5, abs=1e-10)


def test_the_cheaper_of_two_sliders_is_moved():
    """w must rise by 0.5 (0.36 of its range) or c fall by 0.5 (0.33 of its range)."""
    w = what_it_takes(contest(), target=A, unlocked=["w", "c"])
    assert [name for name, _, _ in w.changes] == ["c"] and w.distance == pytest.approx(0.5 / 1.5, abs=1e-5)


def test_locked_sliders_stay_at_the_values_given():
    w = what_it_takes(contest(), target=A, unlocked=["w"], values={"c": 2.2})
    assert w.new_values["w"] == pytest.approx(2.2, abs=1e-5) and w.distance == pytest.approx(0.7 / 1.4, abs=1e-5)


def test_a_move_beyond_a_sliders_range_is_out_of_reach():
    w = what_it_takes(contest(), target=A, unlocked=["c"], values={"w": 1.0, "c": 2.5})
    assert (w.target, w.unlocked, w.feasible, w.already, w.distance, w.changes, w.method) == (
        A, ("c",), False, False, float("inf"), (), "linear program (exact)")
    assert w.sentence == ("No change within the ranges of the unlocked sliders (Ann's weight on cost) makes this "
                          "the equilibrium: Ann: A.")
    up = what_it_takes(contest(), target=A, unlocked=["w"], values={"c": 2.45})
    assert (up.feasible, up.changes) == (False, ())
    both = what_it_takes(contest(), target=A, unlocked=["z", "c"], values={"w": 1.0, "c": 2.5})
    assert both.sentence == ("No change within the ranges of the unlocked sliders (Same, Ann's weight on cost) "
                             "makes this the equilibrium: Ann: A.")


def test_a_target_that_already_is_the_equilibrium_needs_nothing():
    w = what_it_takes(contest(), target=B, unlocked=["w"])
    assert (w.target, w.unlocked, w.feasible, w.already, w.distance, w.changes, w.method) == (
        B, ("w",), True, True, 0.0, (), "none needed")
    assert w.sentence == "It already is the equilibrium: Ann: B."
    moved = what_it_takes(contest(), target=A, unlocked=["w"], values={"w": 2.3})
    assert (moved.already, moved.distance, moved.method) == (True, 0.0, "none needed")


def test_with_nothing_unlocked_nothing_can_move():
    w = what_it_takes(contest(), target=A, unlocked=[])
    assert (w.target, w.unlocked, w.feasible, w.already, w.distance, w.changes, w.method) == (
        A, (), False, False, float("inf"), (), "none")
    assert w.sentence == "Unlock at least one slider to ask what it would take."


def test_a_target_that_is_not_a_play_is_refused_naming_the_field():
    with pytest.raises(ScenarioError) as err:
        what_it_takes(contest(), target=(("pick", "c"),))
    assert err.value.field == "target"
    assert err.value.message == ("the target is not a play of this game; choose one of "
                                 "model.analyses.what_it_takes.plays(scenario)")


def test_by_default_every_slider_with_a_range_is_unlocked():
    w = what_it_takes(contest(), target=A)
    assert w.unlocked == ("w", "c", "z") and w.distance == pytest.approx(0.5 / 1.5, abs=1e-5)


def test_a_level_or_a_weight_expression_unlocked_is_searched_for():
    """The exact route needs every unlocked parameter to be one whole weight; an outcome level, or a
    weight that is an expression of the parameter, sends the question to the search."""
    level = scenario(
        players={"ann": ("Ann", {"gain": 1.0, "cost": 1.0})},
        attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower")},
        parameters={"g": param(0.5)}, root="pick",
        nodes={"pick": choose("ann", ("a", "oa"), ("b", "ob")), "oa": end(gain="g", cost=0.8), "ob": end()})
    w = what_it_takes(level, target=A, unlocked=["g"])
    assert w.feasible and w.method == "search (approximate)" and w.new_values["g"] == pytest.approx(0.8, abs=2e-3)
    scaled = scenario(
        players={"ann": ("Ann", {"gain": "2 * g", "cost": 1.0})},
        attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower")},
        parameters={"g": param(0.2)}, root="pick",
        nodes={"pick": choose("ann", ("a", "oa"), ("b", "ob")), "oa": end(gain=1, cost=0.8), "ob": end()})
    w = what_it_takes(scaled, target=A, unlocked=["g"])
    assert w.feasible and w.method == "search (approximate)" and w.new_values["g"] == pytest.approx(0.4, abs=2e-3)


def test_an_answer_that_moves_two_sliders_names_both():
    """From w = 1 and c = 2.5 neither slider alone reaches A (w stops at 2.4, c at 1): c falls to 1 and w
    rises just past it."""
    w = what_it_takes(contest(), target=A, unlocked=["w", "c"], values={"w": 1.0, "c": 2.5})
    assert [name for name, _, _ in w.changes] == ["w", "c"]
    assert w.new_values["c"] == pytest.approx(1.0, abs=1e-9) and w.new_values["w"] == pytest.approx(1.0 + MARGIN)
    assert "Ann's weight on gain from 1 to 1; Ann's weight on cost from 2.5 to 1 (" in w.sentence
