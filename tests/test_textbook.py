"""Textbook games with answers known from the literature, solved by backward induction."""

from __future__ import annotations

import math

import pytest

from model import solve, thresholds

from .conftest import chance, decision, outcome, payoff_game


def entry_deterrence():
    # Selten's chain-store stage game: the threat to fight entry is not credible.
    return payoff_game(
        {"entrant": "Entrant", "incumbent": "Incumbent"},
        "enter",
        {
            "enter": decision("entrant", ("stay_out", "out"), ("enter", "respond")),
            "respond": decision("incumbent", ("fight", "war"), ("accommodate", "share")),
            "out": outcome(0, 2),
            "war": outcome(-1, -1),
            "share": outcome(1, 1),
        },
    )


def test_entry_deterrence_subgame_perfect_equilibrium_is_enter_and_accommodate():
    sol = solve(entry_deterrence())
    assert sol.choice_map == {"enter": "enter", "respond": "accommodate"}
    assert dict(sol.payoffs) == {"entrant": 1.0, "incumbent": 1.0}
    respond = sol.choice("respond")
    assert respond.margin == pytest.approx(2.0)
    assert respond.on_path
    assert "Incumbent prefers" in respond.explanation


def centipede(stages: int = 6):
    # Rosenthal (1981), in the doubling form of Gambit's cent4: at stage k the mover may take 4/5 of a
    # pot of 5 * 2^k, leaving 1/5; passing doubles the pot. The mover would get only 2 * 2^k if the
    # other took next, so each takes now; the SPE takes at the first node for (4, 1).
    players = {"a": "Ann", "b": "Bob"}
    nodes = {}
    for k in range(stages):
        mover = "a" if k % 2 == 0 else "b"
        big, small = 4 * 2 ** k, 2 ** k
        pay = (big, small) if mover == "a" else (small, big)
        nxt = f"s{k + 1}" if k + 1 < stages else "end"
        nodes[f"s{k}"] = decision(mover, ("take", f"t{k}"), ("pass", nxt))
        nodes[f"t{k}"] = outcome(*pay)
    last_mover_gets, other_gets = 2 ** stages, 4 * 2 ** stages
    nodes["end"] = outcome(*((last_mover_gets, other_gets) if (stages - 1) % 2 == 0 else (other_gets, last_mover_gets)))
    return payoff_game(players, "s0", nodes)


def test_centipede_unravels_to_take_at_every_node():
    sol = solve(centipede())
    assert all(action == "take" for action in sol.choice_map.values())
    assert dict(sol.payoffs) == {"a": 4.0, "b": 1.0}
    assert all(c.margin > 0 and not c.ties for c in sol.choices)
    assert [s.node for s in sol.path] == ["s0"]
    assert sum(c.on_path for c in sol.choices) == 1


def lottery(probability="p"):
    # A safe 1 against a gamble paying 5 with probability p and -1 otherwise: gamble iff 6p - 1 > 1.
    return payoff_game(
        {"me": "Decision maker"},
        "choose",
        {
            "choose": decision("me", ("safe", "sure"), ("gamble", "luck")),
            "sure": outcome(1),
            "luck": chance(("win", probability, "won"), ("lose", f"1 - {probability}", "lost")),
            "won": outcome(5),
            "lost": outcome(-1),
        },
        parameters={"p": {"label": "p", "default": 0.3, "min": 0.0, "max": 1.0, "step": 0.01}},
    )


def test_chance_node_uses_expected_values():
    sol = solve(lottery())
    assert sol.choice("choose").values == (("safe", 1.0), ("gamble", pytest.approx(0.8)))
    assert sol.choice_map["choose"] == "safe"
    sol = solve(lottery(), values={"p": 0.5})
    assert sol.choice_map["choose"] == "gamble"
    assert dict(sol.payoffs)["me"] == pytest.approx(2.0)
    assert [s.player for s in sol.path] == ["me", "chance"]
    assert dict(sol.path[1].probabilities) == {"win": 0.5, "lose": 0.5}


def test_threshold_of_a_probability_has_the_closed_form():
    (t,) = thresholds(lottery())
    assert t.value == pytest.approx(1 / 3, abs=1e-12)
    assert (t.below, t.above, t.method) == ("safe", "gamble", "closed form")
    assert t.path_changes


def test_nonlinear_probability_threshold_is_refined_by_brentq():
    (t,) = thresholds(lottery("p * p"))
    assert t.method == "brentq"
    assert t.value == pytest.approx(1 / math.sqrt(3), abs=1e-10)


def three_player():
    # A moves L/R. After L, B chooses between (3,0,1) and going to C, who picks (0,2,2) or (1,1,0).
    # After R, C chooses between (2,1,0) and (0,0,3). By hand: C after L picks (0,2,2); B then
    # prefers 2 over 0 -> C; L gives A 0. After R, C picks (0,0,3); A gets 0. Tie for A at 0/0:
    # the first listed action, L, is chosen and the tie is reported.
    return payoff_game(
        {"a": "A", "b": "B", "c": "C"},
        "top",
        {
            "top": decision("a", ("left", "bnode"), ("right", "cright")),
            "bnode": decision("b", ("stop", "o1"), ("go", "cleft")),
            "o1": outcome(3, 0, 1),
            "cleft": decision("c", ("x", "o2"), ("y", "o3")),
            "o2": outcome(0, 2, 2),
            "o3": outcome(1, 1, 0),
            "cright": decision("c", ("x", "o4"), ("y", "o5")),
            "o4": outcome(2, 1, 0),
            "o5": outcome(0, 0, 3),
        },
    )


def test_three_player_game_and_an_explicit_tie():
    sol = solve(three_player())
    assert sol.choice_map == {"top": "left", "bnode": "go", "cleft": "x", "cright": "y"}
    assert dict(sol.payoffs) == {"a": 0.0, "b": 2.0, "c": 2.0}
    top = sol.choice("top")
    assert top.ties == ("right",)
    assert "tie rule" in top.explanation
    assert sol.ties == (top,)
    assert not sol.choice("cright").on_path


def test_default_scenario_teaches_a_credible_cut_off_and_its_loss(default_scenario):
    sol = solve(default_scenario)
    assert [s.action for s in sol.path] == ["conditional", "accept", "keep"]
    respond = sol.choice("us_responds")
    assert respond.action == "cut_off" and not respond.on_path
    # a US that loses little credibility by tolerating a breach would tolerate it: the threat is gone
    assert solve(default_scenario, values={"tolerate_credibility_cost": 0.1}).choice_map["us_responds"] == "tolerate"


def test_margins_split_into_attribute_contributions(default_scenario):
    sol = solve(default_scenario)
    for c in sol.choices:
        if c.margin is not None:
            assert sum(d for _, d in c.contributions) == pytest.approx(c.margin, abs=1e-12)
