"""``nash`` on a scenario with private types: the Bayesian game's ex-ante strategic form, its pure Nash equilibria
and which are perfect Bayesian, with known answers (beer-quiche's two pooling equilibria; screening's one
separating equilibrium among six Nash equilibria, the others resting on a type's non-credible reply; an entry
game whose Nash equilibrium rests on a threat no belief supports; a move that Bayes's rule's belief does not
support), agreement with ``perfect_bayesian``, and the JSON shape."""

from __future__ import annotations

import numpy as np
import pytest

from model import load_scenario
from model.analyses.bayesian_normal_form import bayesian_normal_form
from model.core.perfect_bayesian import perfect_bayesian

from .small_games import choose, draw, end, param, scenario
from .typed_cli import BEER_QUICHE, SCREENING, cli_json, run


def profiles(nf):
    """Each pure Nash equilibrium as (each player's choices as data, by player id; the ex-ante payoffs; perfect
    Bayesian?; reasons)."""
    return [({p: nf.choices[i][s] for i, (p, s) in enumerate(zip(nf.players, e.profile))}, e.payoffs,
             e.perfect_bayesian, e.reasons) for e in nf.equilibria]


def test_beer_quiche_has_the_two_pooling_equilibria_and_both_are_perfect_bayesian():
    """Cho and Kreps, prior of the weak type 0.1: beer for both types with a duel only after quiche (2.9, 0.9), and
    quiche for both with a duel only after beer (2.1, 0.9); every other profile has a profitable deviation."""
    found = profiles(bayesian_normal_form(load_scenario(BEER_QUICHE)))
    beer = {"weak": {"breakfast": "beer"}, "strong": {"breakfast": "beer"}}
    quiche = {"weak": {"breakfast": "quiche"}, "strong": {"breakfast": "quiche"}}
    assert [c for c, _, _, _ in found] == [
        {"sender": beer, "receiver": {"after_beer": "not", "after_quiche": "duel"}},
        {"sender": quiche, "receiver": {"after_beer": "duel", "after_quiche": "not"}}]
    assert [p for _, p, _, _ in found] == [pytest.approx((2.9, 0.9)), pytest.approx((2.1, 0.9))]
    assert all(pbe and not reasons for _, _, pbe, reasons in found)


def test_beer_quiche_above_a_half_has_no_pure_nash_equilibrium():
    assert bayesian_normal_form(load_scenario(BEER_QUICHE), values={"p_weak": 0.7}).equilibria == ()
    assert perfect_bayesian(load_scenario(BEER_QUICHE), values={"p_weak": 0.7}).equilibria == ()


def test_screening_six_nash_equilibria_one_perfect_bayesian_the_others_on_non_credible_replies():
    """At p_high 0.3 the US offers the limited package (-0.2 x 0.7 - 1 x 0.3 = -0.44 against -0.5). Nash equilibria
    with the limited package may give any reply to the full one, off the path; with the full package, the low-weight
    type must threaten to reject the limited one. Only the equilibrium in which every reply is what the type would
    choose once there is perfect Bayesian; each other one names the type, its plan and the numbers."""
    nf = bayesian_normal_form(load_scenario(SCREENING))
    found = profiles(nf)
    assert len(found) == 6 and [pbe for *_, pbe, _ in found].count(True) == 1
    (choices, pays, _, _), = [f for f in found if f[2]]
    israel, us = choices["israel"], choices["us"]
    assert us == {"us_offer": "limited"} and pays == pytest.approx((-0.44, 0.3 * -0.1 + 0.7 * 0.1))
    assert israel == {"high_weight": {"israel_limited": "reject", "israel_full": "accept"},
                      "low_weight": {"israel_limited": "accept", "israel_full": "accept"}}
    for choices, _, pbe, reasons in found:
        if pbe:
            continue
        israel, us = choices["israel"], choices["us"]
        expected = []
        for t, label, full, limited in (("high_weight", "High weight on deterrence", "0.40", "-0.10 vs -0.20"),
                                        ("low_weight", "Low weight on deterrence", "0.70", "0.10 vs -0.10")):
            right_limited = "reject" if t == "high_weight" else "accept"
            if israel[t]["israel_limited"] != right_limited:
                expected.append(f"If its type is \u201c{label}\u201d: Israel plans \u201c"
                                f"{'Accept and hold back' if right_limited == 'reject' else 'Reject and operate'}\u201d at "
                                f"\u201cLimited package offered: does Israel accept?\u201d, but once there Israel prefers "
                                f"\u201c{'Reject and operate' if right_limited == 'reject' else 'Accept and hold back'}"
                                f"\u201d: {limited}. The plan is not credible.")
            if israel[t]["israel_full"] != "accept":
                expected.append(f"If its type is \u201c{label}\u201d: Israel plans \u201cReject and operate\u201d at "
                                "\u201cFull package offered: does Israel accept?\u201d, but once there Israel prefers "
                                f"\u201cAccept and hold back\u201d: {full} vs -0.10. The plan is not credible.")
        assert sorted(reasons) == sorted(expected) and reasons, (israel, us)


def entry_with_a_dominated_fight():
    """An entrant, strong or weak, stays out (0) or enters; the incumbent, who does not see the type, then fights
    (its loss 1, whatever the type) or shares (0). Entering pays 1 if shared, -1 (weak) or -0.5 (strong) if fought.
    Known answer: two Nash equilibria; (out, fight) rests on a fight that no belief makes the incumbent's best
    choice, (enter, share) is perfect Bayesian."""
    return scenario(
        players={"ent": ("Entrant", {"gain": 1.0, "bruise": "b"}), "inc": ("Incumbent", {"loss": 1.0})},
        attributes={"gain": ("entrant's gain", "higher"), "bruise": ("entrant's bruise", "lower"),
                    "loss": ("incumbent's loss", "lower")},
        parameters={"b": param(1.0), "p_weak": param(0.5)}, root="enter",
        nodes={"enter": choose("ent", ("out", "stay_out"), ("in", "fight_or_share"), label="Enter?"),
               "fight_or_share": choose("inc", ("fight", "fought"), ("share", "shared"), label="Entry: fight?"),
               "stay_out": end(), "fought": end(bruise=1.0, loss=1.0), "shared": end(gain=1.0)},
        uncertainty={"player": "ent", "types": {"weak": {"label": "Weak", "prior": "p_weak", "values": {"b": 1.0}},
                                                "strong": {"label": "Strong", "prior": "1 - p_weak",
                                                           "values": {"b": 0.5}}}})


def test_a_nash_equilibrium_on_a_threat_no_belief_supports_is_not_perfect_bayesian():
    found = profiles(bayesian_normal_form(entry_with_a_dominated_fight()))
    out = {"weak": {"enter": "out"}, "strong": {"enter": "out"}}
    enter = {"weak": {"enter": "in"}, "strong": {"enter": "in"}}
    assert [(c, p, pbe) for c, p, pbe, _ in found] == [
        ({"ent": out, "inc": {"fight_or_share": "fight"}}, (0.0, 0.0), False),
        ({"ent": enter, "inc": {"fight_or_share": "share"}}, (1.0, 0.0), True)]
    assert found[0][3] == ("At \u201cEntry: fight?\u201d, which no type's play reaches, no belief makes \u201cFight\u201d "
                           "Incumbent's best choice.",)


def unreached_by_chance():
    """The sender (two types) goes on or stops; going on reaches the receiver only with probability q = 0. The
    receiver gains 1 by choosing x, whatever the type. Every type goes on, so Bayes's rule gives the receiver's
    belief (the prior), under which y is not a best choice: (go on, y) is Nash (the receiver never moves) but not
    perfect Bayesian."""
    return scenario(
        players={"s": ("Sender", {"gain": 1.0, "taste": "c"}), "r": ("Receiver", {"right": 1.0})},
        attributes={"gain": ("sender's gain", "higher"), "taste": ("sender's taste", "higher"),
                    "right": ("receiver's gain", "higher")},
        parameters={"c": param(0.0), "q": param(0.0), "p1": param(0.5)}, root="go",
        nodes={"go": choose("s", ("on", "luck"), ("stop", "stopped")),
               "luck": draw(("reach", "q", "pick"), ("miss", "1 - q", "missed")),
               "pick": choose("r", ("x", "at_x"), ("y", "at_y"), label="Reached by luck: x or y?"),
               "stopped": end(), "missed": end(gain=1.0), "at_x": end(gain=1.0, right=1.0), "at_y": end(gain=1.0)},
        uncertainty={"player": "s", "types": {"t1": {"label": "T1", "prior": "p1", "values": {"c": 0.0}},
                                              "t2": {"label": "T2", "prior": "1 - p1", "values": {"c": 1.0}}}})


def test_a_move_that_the_bayes_belief_does_not_support_is_said_with_the_belief():
    found = profiles(bayesian_normal_form(unreached_by_chance()))
    on = {"t1": {"go": "on"}, "t2": {"go": "on"}}
    assert [(c, pbe) for c, _, pbe, _ in found] == [({"s": on, "r": {"pick": "x"}}, True),
                                                    ({"s": on, "r": {"pick": "y"}}, False)]
    (sentence,) = found[1][3]
    assert sentence.startswith("At \u201cReached by luck: x or y?\u201d Receiver believes the type is \u201cT1\u201d "
                               "with probability 0.50") and sentence.endswith(
        "\u201cY\u201d is not its best choice at that belief.")


@pytest.mark.parametrize("make, values", [
    (lambda: load_scenario(BEER_QUICHE), {}), (lambda: load_scenario(BEER_QUICHE), {"p_weak": 0.3}),
    (lambda: load_scenario(SCREENING), {}), (lambda: load_scenario(SCREENING), {"p_high": 0.6}),
    (lambda: load_scenario(SCREENING), {"p_high": 0.375}), (lambda: load_scenario(SCREENING), {"hold_cost": 0.2}),
    (entry_with_a_dominated_fight, {}), (unreached_by_chance, {}),
])
def test_the_perfect_bayesian_nash_equilibria_are_the_solvers_equilibria(make, values):
    """Where no type is indifferent, the Nash equilibria marked perfect Bayesian are exactly the equilibria
    ``perfect_bayesian`` finds (the same strategies, the same ex-ante payoffs)."""
    s = make()
    marked = sorted((repr(c), p) for c, p, pbe, _ in profiles(bayesian_normal_form(s, values=values)) if pbe)
    solved = []
    for e in perfect_bayesian(s, values=values).equilibria:
        choices = {p.id: {n: a for n, a in e.strategy if s.node(n).player == p.id} for p in s.players}
        choices[s.uncertainty.player] = {t.id: dict(t.choices) for t in e.types}
        solved.append((repr(choices), tuple(v for _, v in e.payoffs)))
    assert marked and [c for c, _ in marked] == [c for c, _ in sorted(solved)]
    assert np.allclose([p for _, p in marked], [p for _, p in sorted(solved)])


def test_json_shape_and_payoff_table(capsys):
    data = cli_json(capsys, "nash", SCREENING)
    assert data["solution"] == "the Bayesian game's strategic form, ex ante" and data["informed"] == "israel"
    assert data["types"] == {"high_weight": {"label": "High weight on deterrence", "prior": 0.3},
                             "low_weight": {"label": "Low weight on deterrence", "prior": 0.7}}
    assert [len(data["strategies"][p]) for p in data["players"]] == [2, 16]
    assert np.array(data["payoffs"]).shape == (2, 16, 2)
    assert len(data["choices"]["israel"]) == 16 and set(data["choices"]["israel"][0]) == {"high_weight", "low_weight"}
    assert len(data["pure_equilibria"]) == 6
    for e in data["pure_equilibria"]:
        assert set(e) == {"strategies", "payoffs", "perfect_bayesian", "not_sequentially_rational"}
        assert e["perfect_bayesian"] == (not e["not_sequentially_rational"])
        us, israel = (data["strategies"][p].index(e["strategies"][p]) for p in ("us", "israel"))
        assert data["payoffs"][us][israel] == pytest.approx([e["payoffs"]["us"], e["payoffs"]["israel"]])
    (pbe,) = [e for e in data["pure_equilibria"] if e["perfect_bayesian"]]
    us, israel = (data["strategies"][p].index(pbe["strategies"][p]) for p in ("us", "israel"))
    assert data["choices"]["us"][us] == {"us_offer": "limited"}
    assert data["choices"]["israel"][israel] == {"high_weight": {"israel_limited": "reject", "israel_full": "accept"},
                                                 "low_weight": {"israel_limited": "accept", "israel_full": "accept"}}
    # a cell by hand: the limited package, both types accept everything: -0.5 x 0.4 for the US whatever the type
    assert data["payoffs"][0][0][0] == pytest.approx(-0.2)
    assert data["payoffs"][0][0][1] == pytest.approx(0.4 - 0.3 * 1.0 * 0.6 - 0.7 * 0.5 * 0.6)


def test_human_report(capsys):
    code, out, err = run(capsys, "nash", BEER_QUICHE)
    assert code == 0 and not err
    assert "strategic form, ex ante: Sender's type is private (prior: Weak 0.10, Strong 0.90)" in out
    assert "Sender (4 type-contingent strategies):" in out and "Receiver (4 strategies):" in out
    assert "S1. as \u201cWeak\u201d: Which breakfast? \u2192 Beer; as \u201cStrong\u201d: Which breakfast? \u2192 Beer" in out
    assert "Pure Nash equilibria: 2; perfect Bayesian: 2" in out
    assert "(S1, R3): Sender 2.90, Receiver 0.90 \u2014 perfect Bayesian" in out
    assert "subgame perfect" not in out  # the full-information report's words
    code, out, err = run(capsys, "nash", SCREENING)
    lines = out.splitlines()
    assert "Pure Nash equilibria: 6; perfect Bayesian: 1" in lines
    assert "  (U1, I9): US -0.44, Israel 0.04 \u2014 perfect Bayesian" in lines
    k = lines.index("  (U1, I10): US -0.44, Israel 0.04 \u2014 NOT perfect Bayesian")
    assert lines[k + 1].startswith("      If its type is \u201cLow weight on deterrence\u201d: Israel plans \u201cReject")
    assert lines[k + 2].startswith("  (U1, I13)")
