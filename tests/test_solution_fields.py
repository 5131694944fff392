"""Everything a solution reports, on a game with chance whose every number is known by hand: the
path in reading order, how likely each node is reached, the outcomes reached, each decision's
values, payoffs, margin, runner-up and contributions, and the parameter values used."""

from __future__ import annotations

import pytest

from model import solve

from .small_games import choose, draw, end, param, scenario


def lottery():
    """Ann plays (a coin: win with probability q -> Bob takes 1 or leaves; lose -> 0.2 to Ann; a
    branch of probability 0) or passes (0.1). Bob takes (1 > 0.5), so playing is worth 0.75 x 0.2 =
    0.15 to Ann and 0.25 to Bob."""
    return scenario(
        players={"ann": ("Ann", {"ann_pay": 1.0}), "bob": ("Bob", {"bob_pay": 1.0})},
        attributes={"ann_pay": ("Ann's payoff", "higher"), "bob_pay": ("Bob's payoff", "higher")},
        parameters={"q": param(0.25)}, root="root",
        nodes={"root": choose("ann", ("play", "coin"), ("pass", "o0")),
               "coin": draw(("win", "q", "bob_node"), ("lose", "1 - q", "o3"), ("never", 0.0, "o4")),
               "bob_node": choose("bob", ("take", "o1"), ("leave", "o2")),
               "o0": end(ann_pay=0.1), "o1": end(bob_pay=1), "o2": end(ann_pay=2, bob_pay=0.5),
               "o3": end(ann_pay=0.2), "o4": end(ann_pay=5, bob_pay=5)})


def test_the_path_reach_and_outcomes_of_a_game_with_chance():
    sol = solve(lottery())
    assert [(s.node, s.player, s.action) for s in sol.path] == [
        ("root", "ann", "play"), ("coin", "chance", None), ("bob_node", "bob", "take")]
    assert sol.path[1].probabilities == (("win", 0.25), ("lose", 0.75), ("never", 0.0))
    assert dict(sol.reach) == pytest.approx({"root": 1, "coin": 1, "o0": 0, "bob_node": 0.25, "o3": 0.75,
                                             "o4": 0, "o1": 0.25, "o2": 0})
    assert sol.outcomes == (("o3", 0.75), ("o1", 0.25))
    assert sol.chance == (("coin", (("win", 0.25), ("lose", 0.75), ("never", 0.0))),)
    assert sol.probabilities("coin") == {"win": 0.25, "lose": 0.75, "never": 0.0}
    assert sol.payoffs == (("ann", pytest.approx(0.15)), ("bob", pytest.approx(0.25)))
    assert dict(sol.node_values)["coin"] == pytest.approx((0.15, 0.25))
    assert sol.players == ("ann", "bob") and sol.values == (("q", 0.25),)
    assert solve(lottery(), values={"q": 0.5}).values == (("q", 0.5),)


def test_each_decision_reports_its_values_payoffs_margin_runner_up_and_contributions():
    sol = solve(lottery())
    root, bob = sol.choice("root"), sol.choice("bob_node")
    assert (root.node, root.player, root.action, root.runner_up, root.ties) == ("root", "ann", "play", "pass", ())
    assert root.values == (("play", pytest.approx(0.15)), ("pass", pytest.approx(0.1)))
    assert root.value("pass") == pytest.approx(0.1) and root.margin == pytest.approx(0.05)
    assert root.payoffs == (("play", pytest.approx((0.15, 0.25))), ("pass", pytest.approx((0.1, 0.0))))
    assert root.contributions == (("ann_pay", pytest.approx(0.05)), ("bob_pay", 0.0))
    assert root.reach == 1.0 and root.on_path
    assert (bob.action, bob.runner_up, bob.margin, bob.reach) == ("take", "leave", 0.5, 0.25) and bob.on_path
    assert bob.contributions == (("ann_pay", 0.0), ("bob_pay", 0.5))
    assert sol.choice_map == {"root": "play", "bob_node": "take"} and sol.ties == ()
    with pytest.raises(KeyError, match="nowhere"):
        sol.choice("nowhere")


def test_a_decision_off_the_path_is_reached_with_probability_0():
    sol = solve(lottery(), values={"q": 0.0})
    bob = sol.choice("bob_node")
    assert bob.reach == 0.0 and not bob.on_path and bob.action == "take"
    assert [s.node for s in sol.path] == ["root", "coin"]
    assert sol.outcomes == (("o3", 1.0),)


def test_a_single_option_has_no_margin_runner_up_or_contributions_and_the_title_is_kept():
    game = scenario(players={"ann": ("Ann", {"gain": 1.0})}, attributes={"gain": ("Gain", "higher")}, root="pick",
                    nodes={"pick": choose("ann", ("go", "o")), "o": end(gain=1)}, title="One way only")
    sol = solve(game)
    c = sol.choice("pick")
    assert (c.action, c.margin, c.runner_up, c.ties, c.contributions) == ("go", None, None, (), ())
    assert sol.title == "One way only"
