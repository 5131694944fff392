"""What would it take, on a game whose answers are known: the exact smallest move up or down (in units
of each slider's range, inside the ranges), every kind of answer it can give (already, nothing
unlocked, out of reach, not a play), and the parameters it holds."""

from __future__ import annotations

import pytest

from model import ScenarioError, what_it_takes
from model.analyses.what_it_takes import MARGIN

from .small_games import choose, draw, end, param, scenario, stop_or_go


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


def test_the_sentence_shows_three_significant_digits_and_the_share_of_the_ranges():
    """With c at 2.2345, w must rise from 1.5 to 2.2345 + 1e-6: said as "from 1.5 to 2.23" (three significant
    digits tell them apart), a change of (0.7345 + 1e-6) / 1.4 = 52% of w's range."""
    w = what_it_takes(contest(), target=A, unlocked=["w"], values={"c": 2.2345})
    assert w.sentence == ("Ann: A becomes the equilibrium if Ann's weight on gain from 1.5 to 2.23 (a total change of "
                          "52% of the slider ranges; found by linear program (exact)).")


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
    # w moves by 1e-6: shown with the digits that tell it from 1, not "from 1 to 1"
    assert "Ann's weight on gain from 1 to 1.000001; Ann's weight on cost from 2.5 to 1 (" in w.sentence


def tied(stakes: float):
    """Ann takes A (gain and cost of ``stakes`` each, weighed w and c) or B (nothing); w = c = 2 now, an exact
    tie, which goes to A, the first listed."""
    return scenario(
        players={"ann": ("Ann", {"gain": "w", "cost": "c"})},
        attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower")},
        parameters={"w": param(2.0, 1.0, 2.4, label="Ann's weight on gain"),
                    "c": param(2.0, 1.0, 2.5, label="Ann's weight on cost")},
        root="pick", nodes={"pick": choose("ann", ("a", "oa"), ("b", "ob")), "oa": end(gain=stakes, cost=stakes),
                            "ob": end()})


def test_a_change_too_small_to_show_is_not_claimed_to_work():
    """Ann is exactly indifferent (w = c, stakes of 10,000 on each side) and the tie goes to A. B needs w
    below c by 1e-6 / 10,000 = 1e-10, less than the smallest change the answer shows (1e-9): at the
    values it would show nothing moves and A stays the equilibrium, so it says the check failed."""
    tie = tied(1e4)
    assert what_it_takes(tie, target=A, unlocked=["w"]).already
    w = what_it_takes(tie, target=B, unlocked=["w"])
    assert (w.target, w.unlocked, w.feasible, w.already, w.distance, w.changes, w.method) == (
        B, ("w",), False, False, float("inf"), (), "linear program (exact)")
    assert w.sentence == ("The linear program (exact) found no change that survives a check; treat this target as out "
                          "of reach of the unlocked sliders: Ann: B.")


def test_a_tree_with_more_profiles_than_can_be_enumerated_is_searched():
    """A chain of 39 decisions (the most a scenario may have of two actions each): at each Ann stops or
    goes on; stopping at the first is worth 0.5 (money), going to the end w (fun). Off the target "stop at
    once" lie 38 two-way decisions, 2^38 strategy profiles, too many to enumerate: the search answers,
    moving w from 0.8 to 0.5."""
    w = what_it_takes(stop_or_go(39), target=(("n0", "stop"),), unlocked=["w"])
    assert (w.feasible, w.method) == (True, "search (approximate)")
    assert w.new_values["w"] == pytest.approx(0.5, abs=2e-3) and w.new_values["w"] <= 0.5


# The search (a probability unlocked), on games whose answers are known.

def coin_toss(p: dict, bonus: dict | None = None, audit: dict | None = None, bob: bool = False):
    """Ann gambles (win 1 with probability p, else lose 1) or takes the sure thing (0.2 money, or
    ``bonus`` as the weight on an extra attribute when bonus is given): with 0.2 she gambles from p = 0.6
    on, with a bonus when 2p - 1 >= bonus. ``audit``: a win is audited with that probability a and then
    fined 1,000,000, so she gambles only when a is (about) 0. ``bob``: Bob first enters (then Ann
    chooses) or stays out (0); he loses 0.3 when Ann wins, gains 0.7 when she loses and loses 0.1 when
    she takes the sure thing, so he enters exactly when she gambles and 0.7 - p >= 0."""
    extra = bonus is not None
    nodes = {"pick": choose("ann", ("gamble", "coin"), ("sure", "o_sure")),
             "coin": draw(("win", "p", "audit" if audit else "o_win"), ("lose", "1 - p", "o_lose")),
             "o_win": end(money=1, bob=-0.3), "o_lose": end(money=-1, bob=0.7),
             "o_sure": end(extra=1, bob=-0.1) if extra else end(money=0.2, bob=-0.1)}
    if audit:
        nodes.update({"audit": draw(("fined", "a", "o_fined"), ("kept", "1 - a", "o_win")), "o_fined": end(money=-1e6)})
    if bob:
        nodes.update({"door": choose("bob", ("enter", "pick"), ("stay", "o_out")), "o_out": end()})
    return scenario(
        players={"ann": ("Ann", {"money": 1.0, "extra": "bonus" if extra else 0.0}), "bob": ("Bob", {"bob": 1.0})},
        attributes={"money": ("Money", "higher"), "extra": ("Extra", "higher"), "bob": ("Bob's money", "higher")},
        parameters={"p": p, **({"bonus": bonus} if extra else {}), **({"a": audit} if audit else {})},
        root="door" if bob else "pick", nodes=nodes)


GAMBLE = (("pick", "gamble"),)


def test_the_search_finds_a_narrow_band_far_from_the_current_point():
    """Bob enters and Ann gambles only for 0.6 <= p <= 0.7; p is now 0.1, at the bottom of its slider
    (0.1 to 0.9): the answer is p = 0.6, 0.5 / 0.8 of the range away."""
    w = what_it_takes(coin_toss(param(0.1, 0.1, 0.9), bob=True), target=(("door", "enter"),) + GAMBLE, unlocked=["p"])
    assert (w.feasible, w.method) == (True, "search (approximate)")
    assert w.new_values["p"] == pytest.approx(0.6, abs=2e-3) and w.distance == pytest.approx(0.5 / 0.8, abs=3e-3)


def test_the_search_moves_the_slider_that_is_cheaper_in_units_of_its_range():
    """Ann gambles when 2p - 1 >= bonus; now p = 0.5 and bonus = 0.1. p rising to 0.55 costs 0.05 / 0.8 =
    0.0625 of its range; bonus falling to 0 costs 0.1 / 2 = 0.05 of its (-1 to 1): bonus moves."""
    w = what_it_takes(coin_toss(param(0.5, 0.1, 0.9), bonus=param(0.1, -1.0, 1.0)), target=GAMBLE,
                      unlocked=["p", "bonus"])
    assert w.method == "search (approximate)"
    # (in two dimensions the search lands within about 0.01 of the corner)
    assert w.distance == pytest.approx(0.05, abs=5e-3)
    assert w.new_values["bonus"] == pytest.approx(0.0, abs=1e-2)
    assert w.new_values.get("p", 0.5) == pytest.approx(0.5, abs=1e-2)


@pytest.mark.parametrize("p, target", [(param(0.5, 0.1, 0.55), GAMBLE), (param(0.65, 0.62, 0.9), (("pick", "sure"),))])
def test_the_search_stays_inside_the_sliders_range(p, target):
    """Ann gambles from p = 0.6 on. With p's slider from 0.1 to 0.55 she cannot be made to gamble; with
    it from 0.62 to 0.9 she cannot be made to take the sure thing, though p is near the edge."""
    w = what_it_takes(coin_toss(p), target=target, unlocked=["p"])
    assert (w.feasible, w.changes, w.method) == (False, (), "search (approximate)")
    assert w.sentence.startswith("No change within the ranges of the unlocked sliders (a parameter) makes this")


def test_the_search_keeps_a_probability_at_the_end_of_its_slider():
    """With a win audited with probability a (now 0, the bottom of its slider) and fined 1,000,000, Ann
    gambles only if a stays within about 1e-6 of 0 and p reaches 0.6 (from 0.55): the answer moves p
    alone, by 0.05 / 0.8 of its range."""
    w = what_it_takes(coin_toss(param(0.55, 0.1, 0.9), audit=param(0.0)), target=GAMBLE, unlocked=["p", "a"])
    assert (w.feasible, w.method) == (True, "search (approximate)")
    assert [name for name, _, _ in w.changes] == ["p"]
    assert w.new_values["p"] == pytest.approx(0.6, abs=2e-3) and w.distance == pytest.approx(0.05 / 0.8, abs=3e-3)


def test_the_search_takes_the_nearer_of_two_stretches():
    """If Ann takes the sure thing (0.2), Bob taxes her (she is left -0.7) when p < 0.25, for he gains
    0.25 - p. So Ann gambles (worth 2p - 1) for 0.15 <= p < 0.25 (2p - 1 >= -0.7) and for p >= 0.6
    (2p - 1 >= 0.2). From p = 0.45 the nearer stretch starts at 0.6; from p = 0.3 it ends at 0.25."""
    taxed = scenario(
        players={"ann": ("Ann", {"money": 1.0}), "bob": ("Bob", {"bob": 1.0})},
        attributes={"money": ("Money", "higher"), "bob": ("Bob's money", "higher")},
        parameters={"p": param(0.45, 0.1, 0.9)}, root="pick",
        nodes={"pick": choose("ann", ("gamble", "coin"), ("sure", "after")),
               "coin": draw(("win", "p", "o_win"), ("lose", "1 - p", "o_lose")),
               "after": choose("bob", ("spare", "o_spare"), ("tax", "o_tax")),
               "o_win": end(money=1), "o_lose": end(money=-1), "o_spare": end(money=0.2),
               "o_tax": end(money=-0.7, bob="0.25 - p")})
    up = what_it_takes(taxed, target=GAMBLE, unlocked=["p"])
    assert up.new_values["p"] == pytest.approx(0.6, abs=2e-3) and up.distance == pytest.approx(0.15 / 0.8, abs=3e-3)
    down = what_it_takes(taxed, target=GAMBLE, unlocked=["p"], values={"p": 0.3})
    assert down.new_values["p"] == pytest.approx(0.25, abs=2e-3) and down.distance == pytest.approx(0.05 / 0.8, abs=3e-3)


def test_of_two_equally_small_changes_an_indifferent_player_keeps_his_current_choice():
    """Ann takes A (w - 1, w now 1.5) or B (0); after A, Bob takes X (worth z, now 0.5) or Y (0.5): he is
    exactly indifferent and plays X now. For B, w must fall to 1 (0.5 of its range of 1.9) and, for the
    equilibrium to be strict, Bob must prefer one of X and Y by the margin: z up or down by MARGIN cost
    the same. The answer keeps Bob on X, the choice he makes now: z rises."""
    sc = scenario(
        players={"ann": ("Ann", {"gain": "w", "cost": 1.0}), "bob": ("Bob", {"x": "z", "y": 0.5})},
        attributes={"gain": ("Gain", "higher"), "cost": ("Cost", "lower"), "x": ("X", "higher"), "y": ("Y", "higher")},
        parameters={"w": param(1.5, 0.5, 2.4, label="w"), "z": param(0.5, label="z")}, root="pick",
        nodes={"pick": choose("ann", ("a", "bob_turn"), ("b", "ob")), "bob_turn": choose("bob", ("x", "oax"), ("y", "oay")),
               "oax": end(gain=1, cost=1, x=1), "oay": end(gain=1, cost=1, y=1), "ob": end()})
    w = what_it_takes(sc, target=B, unlocked=["w", "z"])
    assert w.new_values["w"] == pytest.approx(1.0 - MARGIN, abs=1e-10)
    assert w.new_values["z"] == pytest.approx(0.5 + MARGIN, abs=1e-10)
    assert w.distance == pytest.approx((0.5 + MARGIN) / 1.9 + MARGIN, abs=1e-10)


def inspection(q: float, c: float):
    """Ann gambles (her money is 1 at every end after it, 0 if she stays safe), then an inspection comes
    with probability q; if it does, Bob cheats (worth c to him, a weight) or stays honest (worth 0.5).
    At q = 0 Bob's decision is never reached; his strategy there is still to cheat exactly when c > 0.5."""
    return scenario(
        players={"ann": ("Ann", {"money": 1.0}), "bob": ("Bob", {"gain": "c", "base": 0.5})},
        attributes={"money": ("Money", "higher"), "gain": ("Gain", "higher"), "base": ("Base", "higher")},
        parameters={"q": param(q), "c": param(c)},
        root="pick",
        nodes={"pick": choose("ann", ("gamble", "coin"), ("safe", "o_safe")),
               "coin": draw(("inspect", "q", "bob"), ("pass", "1 - q", "o_pass")),
               "bob": choose("bob", ("cheat", "o_cheat"), ("honest", "o_honest")),
               "o_safe": end(), "o_pass": end(money=1), "o_cheat": end(money=1, gain=1), "o_honest": end(money=1, base=1)})


CHEAT = (("pick", "gamble"), ("bob", "cheat"))


@pytest.mark.parametrize("unlocked, method", [(["c"], "linear program (exact)"), (["c", "q"], "search (approximate)")])
def test_a_decision_below_a_branch_of_probability_0_is_still_played_by_the_strategy(unlocked, method):
    """The play "gamble, cheat" names Bob's decision, which a probability-0 inspection never reaches.
    At c = 0.8 the equilibrium strategy already cheats there: nothing is needed. At c = 0.2 it is
    honest: c must rise to 0.5 (0.3 of its range), and the probability q need not move. (Matching the
    path alone said no change could do it, since that path never holds Bob's decision at q = 0.)"""
    off = " (off its path, never reached because a chance branch before it has probability 0, the strategy still chooses Bob: Cheat)"
    w = what_it_takes(inspection(0.0, 0.8), target=CHEAT, unlocked=unlocked)
    assert (w.feasible, w.already, w.distance) == (True, True, 0.0)
    assert w.sentence == "It already is the equilibrium: Ann: Gamble \u2192 Bob: Cheat" + off + "."
    w = what_it_takes(inspection(0.0, 0.2), target=CHEAT, unlocked=unlocked)
    assert (w.feasible, w.already, w.method) == (True, False, method)
    assert set(w.new_values) == {"c"}
    assert w.new_values["c"] == pytest.approx(0.5, abs=2e-3) and w.distance == pytest.approx(0.3, abs=2e-3)
    assert w.sentence.startswith("Ann: Gamble \u2192 Bob: Cheat becomes the equilibrium" + off + " if a parameter from 0.2 to 0.5")
    # with the inspection possible (q = 0.5) Bob's move is on the path: no note
    w = what_it_takes(inspection(0.5, 0.8), target=CHEAT, unlocked=unlocked)
    assert w.sentence == "It already is the equilibrium: Ann: Gamble \u2192 Bob: Cheat."


def test_a_change_under_one_percent_of_the_ranges_is_not_called_0_percent():
    """Ann is indifferent at w = c = 2 (stakes of 1 on each side) and the tie goes to A: for B, w must fall
    by MARGIN = 1e-6, a change of 1e-6 / 1.4 of w's range: "under 1%", not "0%", and the new value is shown
    with the digits that tell it from 2."""
    tie = tied(1)
    w = what_it_takes(tie, target=B, unlocked=["w"])
    assert w.new_values["w"] == pytest.approx(2.0 - MARGIN)
    assert w.sentence == ("Ann: B becomes the equilibrium if Ann's weight on gain from 2 to 1.999999 (a total change "
                          "of under 1% of the slider ranges; found by linear program (exact)).")
