"""Screening under uncertainty about the other side's type, on small games whose answers are known:
who answers what, the offers' prior-expected values, the negative case (an offer that does not
screen), the sentence, the refusals, and where the best offer switches."""

from __future__ import annotations

from dataclasses import replace

import pytest

from model import ScenarioError, offer_switches, screen, solve

from .small_games import choose, draw, end, param, scenario

TYPES = {"player": "il", "label": "How tough is Israel?", "types": {
    "tough": {"label": "Tough", "prior": "p", "values": {"w": 0.9}},
    "soft": {"label": "Soft", "prior": "1 - p", "values": {"w": 0.1}}}}


def offer_game(types=TYPES, **parameters):
    """The US offers a deal or nothing; Israel accepts (0.5 - w to it) or refuses (0). A tough Israel
    (w = 0.9) refuses, a soft one (w = 0.1) accepts. The US gets 1 from an accepted deal, -1 from a
    refused one and 0.2 from no offer: the deal is worth 1 - 2p, so it is best below p = 0.4."""
    return scenario(
        players={"us": ("US", {"us_pay": 1.0}), "il": ("Israel", {"il_pay": "v" if "v" in parameters else 1.0,
                                                                   "cost": "w"})},
        attributes={"us_pay": ("US payoff", "higher"), "il_pay": ("Israel payoff", "higher"),
                    "cost": ("Cost", "lower")},
        parameters={"p": param(0.25), "w": param(0.5), "bonus": param(0.0, -1.5, 1.0), **parameters},
        root="offer", uncertainty=types,
        nodes={"offer": choose("us", ("deal", "answer"), ("none", "o_none")),
               "answer": choose("il", ("accept", "o_acc"), ("refuse", "o_ref")),
               "o_acc": end(us_pay=1, il_pay=0.5, cost=1), "o_ref": end(us_pay=-1, il_pay=0, cost=0),
               "o_none": end(us_pay="0.2 + bonus", il_pay=0, cost=0)})


def test_each_type_answers_for_itself_and_the_us_chooses_by_the_prior():
    s = screen(offer_game())
    assert (s.player, s.mover, s.node, s.chosen) == ("il", "us", "offer", "deal")
    assert s.choices == (("offer", "deal"),)
    deal, none = s.offers
    assert (deal.action, deal.label, none.action, none.label) == ("deal", "Deal", "none", "None")
    assert deal.expected == pytest.approx(0.5) and none.expected == pytest.approx(0.2)
    assert dict(deal.answers) == {"tough": (("answer", "refuse"),), "soft": (("answer", "accept"),)}
    assert dict(none.answers) == {"tough": (), "soft": ()}
    assert deal.screens and not none.screens
    tough, soft = s.types
    assert (tough.id, tough.label, tough.prior, soft.prior) == ("tough", "Tough", 0.25, 0.75)
    assert tough.choices == (("answer", "refuse"),) and soft.choices == (("answer", "accept"),)
    assert tough.play == (("offer", "deal"), ("answer", "refuse"))
    assert tough.utility == pytest.approx((-1.0, 0.0)) and soft.utility == pytest.approx((1.0, 0.4))
    assert s.expected_utility == pytest.approx((0.5, 0.3))
    assert s.sentence == (
        "Not knowing the type (Tough 0.25, Soft 0.75), US expects 0.50 from \u201cDeal\u201d, its best option "
        "(Deal 0.50; None 0.20). After it, the tough type: Israel: Refuse; the soft type: Israel: Accept. "
        "The types answer differently, so the offer screens them.")


def test_when_the_best_offer_does_not_screen_the_sentence_does_not_say_it_does():
    s = screen(offer_game(), values={"p": 0.5})
    assert s.chosen == "none" and s.offers[0].screens
    assert "screens" not in s.sentence and s.sentence.startswith("Not knowing the type (Tough 0.50, Soft 0.50), "
                                                                 "US expects 0.20 from \u201cNone\u201d")


def test_an_offer_every_type_answers_the_same_way_does_not_screen():
    both_soft = {**TYPES, "types": {"a": {"label": "Mild", "prior": "p", "values": {"w": 0.1}},
                                    "b": {"label": "Milder", "prior": "1 - p", "values": {"w": 0.2}}}}
    s = screen(offer_game(both_soft))
    assert s.chosen == "deal" and not any(o.screens for o in s.offers)
    assert "screens" not in s.sentence


def test_parameters_a_type_does_not_set_are_the_current_values():
    one_sided = {**TYPES, "types": {"tough": {"label": "Tough", "prior": "p", "values": {"w": 0.9}},
                                    "usual": {"label": "Usual", "prior": "1 - p", "values": {"v": 1.0}}}}
    game = offer_game(one_sided, v=param(1.0))
    assert screen(game, values={"w": 0.1}).types[1].choices == (("answer", "accept"),)
    assert screen(game, values={"w": 0.8}).types[1].choices == (("answer", "refuse"),)
    assert screen(game, values={"w": 0.8}).chosen == "none"
    # a value the types leave alone moves every type's game
    assert screen(offer_game(), values={"bonus": 0.6}).chosen == "none"


def test_the_best_offer_switches_where_its_expected_value_crosses_the_other():
    (switch,) = offer_switches(offer_game(), parameter="p")
    assert (switch.parameter, switch.below, switch.above) == ("p", "deal", "none")
    assert switch.value == pytest.approx(0.4, abs=1e-8)


def test_a_tie_within_the_tolerance_goes_to_the_first_listed_action():
    """The tie rule is the solver's: values that differ by at most 1e-9 are tied, inclusive."""
    tol = 1e-9
    game = scenario(
        players={"us": ("US", {"us_pay": 1.0}), "il": ("Israel", {"il_pay": 1.0, "cost": "w"})},
        attributes={"us_pay": ("US payoff", "higher"), "il_pay": ("Israel payoff", "higher"),
                    "cost": ("Cost", "lower")},
        parameters={"p": param(0.5), "w": param(0.0)}, root="offer", uncertainty=TYPES,
        nodes={"offer": choose("us", ("low", "o1"), ("high", "answer"), ("third", "o3")),
               "answer": choose("il", ("first", "a1"), ("second", "a2"), ("third", "a3")),
               "a1": end(us_pay=1.0, il_pay=1.0 - tol, cost=0), "a2": end(us_pay=1.0, il_pay=1.0, cost=0),
               "a3": end(us_pay=1.0, il_pay=-5.0, cost=0),
               "o1": end(us_pay=1.0 - tol, il_pay=0, cost=0), "o3": end(us_pay=0.0, il_pay=0, cost=0)})
    s = screen(game)
    assert s.chosen == "low"
    assert [t.choices for t in s.types] == [(("answer", "first"),), (("answer", "first"),)]


def chance_after_the_answer():
    return scenario(
        players={"us": ("US", {"us_pay": 1.0}), "il": ("Israel", {"il_pay": 1.0, "cost": "w"})},
        attributes={"us_pay": ("US payoff", "higher"), "il_pay": ("Israel payoff", "higher"),
                    "cost": ("Cost", "lower")},
        parameters={"p": param(0.25), "w": param(0.5)}, root="offer", uncertainty=TYPES,
        nodes={"offer": choose("us", ("deal", "answer"), ("none", "o_none")),
               "answer": choose("il", ("accept", "check"), ("refuse", "o_ref")),
               "check": draw(("pass", 0.5, "inner"), ("never", 0.0, "ghost"), ("audit", 0.5, "after")),
               "inner": draw(("x", 0.5, "o_x"), ("y", 0.5, "o_y")),
               "after": choose("il", ("comply", "o_c"), ("cheat", "o_ch")),
               "ghost": choose("il", ("g1", "o_g1"), ("g2", "o_g2")),
               "o_g1": end(us_pay=1, il_pay=0.2, cost=0), "o_g2": end(us_pay=-1, il_pay=0.5, cost=1),
               "o_c": end(us_pay=1, il_pay=0.2, cost=0), "o_ch": end(us_pay=-1, il_pay=0.5, cost=1),
               "o_x": end(us_pay=1, il_pay=0.5, cost=0), "o_y": end(us_pay=1, il_pay=0.5, cost=0),
               "o_ref": end(us_pay=0, il_pay=0, cost=0), "o_none": end(us_pay=0, il_pay=0, cost=0)})


def test_a_types_play_follows_every_branch_that_can_happen_and_no_other():
    s = screen(chance_after_the_answer())
    tough, soft = s.types
    assert tough.play == (("offer", "deal"), ("answer", "accept"), ("after", "comply"))
    assert soft.play == (("offer", "deal"), ("answer", "accept"), ("after", "cheat"))
    assert tough.utility[0] == pytest.approx(0.5 * 1 + 0.5 * 1)
    assert soft.utility == pytest.approx((0.5 * -1 + 0.5 * 1, 0.5 * (0.5 - 0.1) + 0.5 * 0.5))
    for t, w in zip(s.types, (0.9, 0.1)):
        plain = solve(replace(chance_after_the_answer(), uncertainty=None), values={"w": w})
        assert t.utility == pytest.approx(tuple(v for _, v in plain.payoffs))


def test_when_only_the_informed_side_moves_there_is_no_offer():
    game = scenario(
        players={"us": ("US", {"us_pay": 1.0}), "il": ("Israel", {"il_pay": 1.0, "cost": "w"})},
        attributes={"us_pay": ("US payoff", "higher"), "il_pay": ("Israel payoff", "higher"),
                    "cost": ("Cost", "lower")},
        parameters={"p": param(0.25), "w": param(0.5)}, root="answer", uncertainty=TYPES,
        nodes={"answer": choose("il", ("accept", "o_acc"), ("refuse", "o_ref")),
               "o_acc": end(us_pay=1, il_pay=0.5, cost=1), "o_ref": end(us_pay=-1, il_pay=0, cost=0)})
    s = screen(game)
    assert (s.offers, s.chosen, s.mover, s.node, s.choices) == ((), "", "", "", ())
    assert s.sentence == "Only the informed player moves; each type simply plays its own best reply."
    assert [t.choices for t in s.types] == [(("answer", "refuse"),), (("answer", "accept"),)]


def test_a_scenario_without_types_is_refused_naming_the_section():
    game = scenario(players={"us": ("US", {"us_pay": 1.0})}, attributes={"us_pay": ("US payoff", "higher")},
                    root="n", nodes={"n": choose("us", ("go", "o")), "o": end(us_pay=1)})
    with pytest.raises(ScenarioError) as err:
        screen(game)
    assert err.value.field == "uncertainty"
    assert err.value.message == ("this scenario has no [uncertainty] section: add types of one player to use it")


def between(order):
    """A chain of decisions by the players in ``order`` (each: go on, or stop)."""
    nodes, ids = {}, [f"n{k}" for k in range(len(order))]
    for k, (nid, who) in enumerate(zip(ids, order)):
        nxt = ids[k + 1] if k + 1 < len(order) else "o_end"
        nodes[nid] = choose(who, ("go", nxt), ("stop", f"o{k}"))
        nodes[f"o{k}"] = end(us_pay=k, il_pay=-k, cost=0)
    nodes["o_end"] = end(us_pay=9, il_pay=9, cost=0)
    return scenario(
        players={"us": ("US", {"us_pay": 1.0}), "il": ("Israel", {"il_pay": 1.0, "cost": "w"})},
        attributes={"us_pay": ("US payoff", "higher"), "il_pay": ("Israel payoff", "higher"),
                    "cost": ("Cost", "lower")},
        parameters={"p": param(0.25), "w": param(0.5)}, root="n0", uncertainty=TYPES, nodes=nodes)


@pytest.mark.parametrize("order", [["il", "us", "il"], ["il", "il", "us"], ["il", "us"]])
def test_another_sides_move_after_an_informed_move_is_refused_and_naming_it(order):
    """There the mover has seen an informed move: its belief comes from Bayes's rule, not the prior, so
    screening by the prior would be wrong (perfect_bayesian solves these games)."""
    with pytest.raises(ScenarioError) as err:
        screen(between(order))
    assert err.value.field == "uncertainty"
    bad = f"n{order.index('us')}"
    assert err.value.message == (
        f"node {bad!r} is a move of another player after a move of Israel: there its belief is updated from what "
        "it has seen, not the prior, so screening by the prior would be wrong. Use perfect_bayesian (solve) instead")


def test_a_signalling_game_is_refused_because_its_beliefs_are_not_the_prior():
    from model import load_scenario

    from .conftest import ROOT

    with pytest.raises(ScenarioError, match="not the prior"):
        screen(load_scenario(ROOT / "scenarios" / "beer_quiche.toml"))


@pytest.mark.parametrize("order", [["us", "il", "il"], ["us", "us", "il"]])
def test_other_sides_moving_only_before_the_informed_ones_is_allowed(order):
    s = screen(between(order))
    assert len(s.types) == 2


def test_each_types_utility_is_that_of_the_play_after_the_chosen_offer():
    s = screen(offer_game(), values={"p": 0.5})
    assert s.chosen == "none"
    assert [t.utility for t in s.types] == [pytest.approx((0.2, 0.0)), pytest.approx((0.2, 0.0))]


def test_a_switch_in_the_last_cell_of_the_grid_is_found():
    """With bonus -1.19 the deal is best up to p = (0.8 - bonus) / 2 = 0.995, inside the last of the
    grid's cells."""
    (switch,) = offer_switches(offer_game(), parameter="p", values={"bonus": -1.19})
    assert switch.value == pytest.approx(0.995, abs=1e-8)


def three_offers(**defaults):
    """The offer game with a third offer, "other", that a tough Israel accepts (-0.5 + w to it, w = 0.9) and a soft
    one refuses; the US gets 1 + kk if accepted, -1 + kk if refused: worth 2p - 1 + kk against the deal's 1 - 2p
    and no offer's 0.2 + bonus. By hand: no offer is best for p from (0.8 - bonus) / 2 to (1.2 + bonus - kk) / 2."""
    return scenario(
        players={"us": ("US", {"us_pay": 1.0}), "il": ("Israel", {"il_pay": 1.0, "cost": "w"})},
        attributes={"us_pay": ("US payoff", "higher"), "il_pay": ("Israel payoff", "higher"),
                    "cost": ("Cost", "lower")},
        parameters={"p": param(0.25), "w": param(0.5), "bonus": param(defaults.get("bonus", 0.0), -1.5, 1.0),
                    "kk": param(defaults.get("kk", 0.0), -1.0, 1.0)},
        root="offer", uncertainty=TYPES,
        nodes={"offer": choose("us", ("deal", "answer"), ("none", "o_none"), ("other", "answer2")),
               "answer": choose("il", ("accept", "o_acc"), ("refuse", "o_ref")),
               "answer2": choose("il", ("accept2", "o_acc2"), ("refuse2", "o_ref2")),
               "o_acc": end(us_pay=1, il_pay=0.5, cost=1), "o_ref": end(us_pay=-1, il_pay=0, cost=0),
               "o_acc2": end(us_pay="1 + kk", il_pay=-0.5, cost=-1), "o_ref2": end(us_pay="-1 + kk", il_pay=0, cost=0),
               "o_none": end(us_pay="0.2 + bonus", il_pay=0, cost=0)})


@pytest.mark.parametrize(("bonus", "kk", "lo", "hi"), [(-0.018, 0.345, 0.409, 0.4185), (-0.013, 0.356, 0.4065, 0.4155)])
def test_an_offer_best_on_a_stretch_narrower_than_a_fiftieth_of_the_range_is_found(bonus, kk, lo, hi):
    """No offer is best only between lo and hi, a stretch that holds a point of the 101-point grid (0.41) but none
    of 50 points (k / 49) in the first case, none of 102 points (k / 101) in the second."""
    found = offer_switches(three_offers(), parameter="p", values={"bonus": bonus, "kk": kk})
    assert [(s.below, s.above) for s in found] == [("deal", "none"), ("none", "other")]
    assert [s.value for s in found] == pytest.approx([lo, hi], abs=1e-8)


def test_a_switch_is_located_to_a_billionth_of_a_narrow_range():
    """p between 0.39 and 0.41; with bonus 0.0001234 the deal (1 - 2p) is best while it is worth no less than no
    offer's 0.2 + bonus less the tie tolerance 1e-9 (ties go to the first listed), up to p = (0.8 - bonus + 1e-9)
    / 2: found within a billionth of the range's width (2e-11)."""
    (switch,) = offer_switches(offer_game(p=param(0.4, 0.39, 0.41)), parameter="p", values={"bonus": 0.0001234})
    assert switch.value == pytest.approx((0.8 - 0.0001234 + 1e-9) / 2, abs=2e-11)


def test_the_chance_probabilities_after_an_answer_are_those_of_the_current_values():
    """Accepting is audited with probability q = 0.3 (0 to Israel) or not (0.5 - w): worth 0.7 (0.5 - w), so a
    soft Israel (w = 0.1) accepts (0.28) and a tough one (w = 0.9) refuses (-0.28 < 0); the deal, worth
    1 - 2 x 0.25 = 0.5 to the US, beats no offer (0.2)."""
    game = scenario(
        players={"us": ("US", {"us_pay": 1.0}), "il": ("Israel", {"il_pay": 1.0, "cost": "w"})},
        attributes={"us_pay": ("US payoff", "higher"), "il_pay": ("Israel payoff", "higher"),
                    "cost": ("Cost", "lower")},
        parameters={"p": param(0.25), "w": param(0.5), "q": param(0.3)}, root="offer", uncertainty=TYPES,
        nodes={"offer": choose("us", ("deal", "answer"), ("none", "o_none")),
               "answer": choose("il", ("accept", "audit"), ("refuse", "o_ref")),
               "audit": draw(("caught", "q", "o_aud"), ("free", "1 - q", "o_acc")),
               "o_aud": end(us_pay=1, il_pay=0, cost=0), "o_acc": end(us_pay=1, il_pay=0.5, cost=1),
               "o_ref": end(us_pay=-1, il_pay=0, cost=0), "o_none": end(us_pay=0.2, il_pay=0, cost=0)})
    s = screen(game)
    assert s.chosen == "deal"
    tough, soft = s.types
    assert tough.choices == (("answer", "refuse"),) and soft.choices == (("answer", "accept"),)
    assert tough.utility == pytest.approx((-1.0, 0.0)) and soft.utility == pytest.approx((1.0, 0.28))
