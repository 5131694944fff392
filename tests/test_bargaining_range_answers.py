"""The bargaining range on small sales whose answers are solved by hand: a buyer offers or walks away,
then a seller accepts or takes its alternative; the price x is the term bargained over. Each side's
surplus is its value of the kept deal less its best alternative's value; it accepts where that is at
least 0. The tests check the ends of the range, who sets which end, the sentence, the curves drawn,
and the answers when one side accepts nowhere, at one point, or on two separate stretches."""

from __future__ import annotations

import numpy as np
import pytest

from model import ScenarioError, bargaining_range

from .small_games import choose, end, param, scenario

PRICE = param(0.5, label="Price")


def sale(*sides, term: dict = PRICE, params: dict | None = None, subgames: dict | None = None,
         declared: tuple[str, ...] | None = None, parameter: str = "x", unlabelled: tuple[str, ...] = ()):
    """Each side ``(id, name, its money from the deal, (alternative, its money there or a subgame), ...)``
    moves in turn: it agrees (passing to the next side; the last one's agreement is the deal) or takes
    one of its alternatives. Each side's money is its own attribute, weighed 1, so its value of an
    outcome is its money there. ``declared``: the sides whose alternatives the [bargaining] section
    lists (all by default); ``unlabelled``: alternatives whose action has an empty label."""
    attributes = {f"{s[0]}_money": (f"{s[1]}'s money", "higher") for s in sides}
    players = {s[0]: (s[1], {f"{s[0]}_money": 1.0}) for s in sides}
    nodes = {"deal": end(**{f"{s[0]}_money": s[2] for s in sides})}
    alternatives = {}
    for i, (pid, _, _, *alts) in enumerate(sides):
        actions = [("agree", f"{sides[i + 1][0]}_turn" if i + 1 < len(sides) else "deal")]
        for action, money in alts:
            if isinstance(money, str) and money in (subgames or {}):
                actions.append((action, money))
            else:
                nodes[f"{pid}_{action}"] = end(**{f"{pid}_money": money})
                actions.append((action, f"{pid}_{action}"))
        nodes[f"{pid}_turn"] = choose(pid, *actions)
        for a in nodes[f"{pid}_turn"]["actions"]:
            a["label"] = "" if a["id"] in unlabelled else a["label"]
        if declared is None or pid in declared:
            alternatives[pid] = [f"{pid}_turn:{action}" for action, _ in alts]
    nodes.update(subgames or {})
    return scenario(players=players, attributes=attributes, parameters={"x": term, **(params or {})},
                    root=f"{sides[0][0]}_turn", nodes=nodes,
                    bargaining={"deal": "deal", "parameter": parameter, "alternatives": alternatives})


def buyer(walk: object = 0.25, name: str = "Bea", *more):
    """The buyer keeps 1 - x from the deal; walking away is worth ``walk``: she accepts x <= 1 - walk."""
    return ("buyer", name, "1 - x", ("walk", walk), *more)


def seller(reject: object = 0.25, name: str = "Sal", *more):
    """The seller gets x from the deal; its alternative is worth ``reject``: it accepts x >= reject."""
    return ("seller", name, "x", ("reject", reject), *more)


def court(t: float, drop: object, sue: object) -> dict:
    """After the seller rejects, the buyer sues (worth x - t to her) or drops it (0): she sues when x > t.
    The seller's money is ``drop`` if she drops it, ``sue`` if she sues."""
    return {"court": choose("buyer", ("drop", "o_drop"), ("sue", "o_sue")),
            "o_drop": end(seller_money=drop), "o_sue": end(seller_money=sue, buyer_money=f"x - {t}")}


def flat(intervals) -> list[float]:
    """The ends of a sequence of intervals, in order (to compare with ``pytest.approx``)."""
    return [v for pair in intervals for v in pair]


def side(r, pid):
    return next(s for s in r.sides if s.player == pid)


def test_the_range_runs_from_the_sellers_reserve_to_the_buyers_limit():
    """The seller accepts x >= 0.25, the buyer x <= 1 - 0.25: the range is 0.25 to 0.75, the seller (who
    gains from a larger price) sets the least, the buyer the most. Surpluses: x - 0.25 and 0.75 - x."""
    sc = sale(buyer(), seller())
    r = bargaining_range(sc)
    assert (r.parameter, r.lo, r.hi, r.current) == ("x", 0.0, 1.0, 0.5)
    assert (r.least, r.most, r.empty, r.gap) == (0.25, 0.75, False, None)
    assert r.intervals == ((0.25, 0.75),)
    assert (side(r, "seller").intervals, side(r, "seller").rising) == (((0.25, 1.0),), True)
    assert (side(r, "buyer").intervals, side(r, "buyer").rising) == (((0.0, 0.75),), False)
    assert r.sentence(sc) == (
        "Sal prefers the deal to its alternative (\u201cReject\u201d) when the price is at least 0.25 (the least it "
        "accepts); Bea prefers it to its alternative (\u201cWalk\u201d) when it is at most 0.75 (the most Bea would "
        "give). The range is 0.25 to 0.75.")
    # the curves drawn: each side's surplus on an even grid of the price's range
    assert r.xs == pytest.approx(np.linspace(0, 1, 201))
    assert r.surplus[[s.player for s in r.sides].index("seller")] == pytest.approx(r.xs - 0.25)
    assert r.surplus[[s.player for s in r.sides].index("buyer")] == pytest.approx(0.75 - r.xs)
    assert r.chord_error == pytest.approx(0.0, abs=1e-12)


def test_the_current_values_given_are_used():
    """With the buyer's outside option (a parameter, now 0.25) at 0.6 she accepts x <= 0.4; the range
    is then 0.25 to 0.4, and the price now is the value given."""
    sc = sale(buyer("o"), seller(), params={"o": param(0.25)})
    r = bargaining_range(sc, values={"o": 0.6, "x": 0.3})
    assert (r.least, r.most, r.current) == (pytest.approx(0.25), pytest.approx(0.4), 0.3)


def test_the_best_alternative_is_named_at_the_values_given():
    """The buyer can walk away (worth o) or buy from a rival (worth 0.5). At o = 0.25 the rival is her
    best alternative; at o = 0.6, the value given, walking away is, and the sentence names it."""
    sc = sale(buyer("o", "Bea", ("rival", 0.5)), seller(), params={"o": param(0.25)})
    assert "its best alternative (\u201cRival\u201d) when it is at most 0.5 " in bargaining_range(sc).sentence(sc)
    r = bargaining_range(sc, values={"o": 0.6})
    assert r.most == pytest.approx(0.4)
    assert "its best alternative (\u201cWalk\u201d) when it is at most 0.4 " in r.sentence(sc)


def test_a_range_of_one_point():
    """Seller's reserve 0.5 and buyer's outside option 0.5: each accepts at x = 0.5 exactly (a side
    accepts where its surplus is 0), so the range is that one price, not empty."""
    sc = sale(buyer(0.5), seller(0.5))
    r = bargaining_range(sc)
    assert (r.intervals, r.least, r.most, r.empty, r.gap) == (((0.5, 0.5),), 0.5, 0.5, False, None)
    assert r.sentence(sc).endswith("The range is 0.5 to 0.5.")


def test_a_side_that_accepts_only_at_the_top_of_the_range():
    """A seller whose reserve is 1, the top of the price's range, accepts at x = 1 only; the buyer goes
    up to 0.75, so no deal is possible, by a gap of 0.25."""
    sc = sale(buyer(), seller(1.0))
    r = bargaining_range(sc)
    assert side(r, "seller").intervals == ((1.0, 1.0),)
    assert (r.empty, r.intervals, r.least, r.most, r.gap) == (True, (), 1.0, 0.75, 0.25)
    assert r.sentence(sc) == (
        "No deal is possible: the least price Sal accepts (1.00) exceeds the most Bea would give (0.75) by 0.25. "
        "Sal prefers the deal to its alternative (\u201cReject\u201d) when the price is at least 1.00 (the least it "
        "accepts); Bea prefers it to its alternative (\u201cWalk\u201d) when it is at most 0.75 (the most Bea would "
        "give).")


def test_a_side_that_accepts_only_at_the_bottom_of_the_range():
    """A buyer whose outside option is 1 accepts only at x = 0, where the deal leaves her 1 - 0 = 1 too
    (indifferent at the range's end); the seller starts at 0.25: no deal, by a gap of 0.25."""
    r = bargaining_range(sale(buyer(1.0), seller()))
    assert side(r, "buyer").intervals == ((0.0, 0.0),)
    assert (r.empty, r.least, r.most, r.gap) == (True, 0.25, 0.0, 0.25)
    # with a reserve of 0 the seller accepts at 0 too (so the buyer offers there, and stops just above
    # it): the one price both accept is 0
    r = bargaining_range(sale(buyer(1.0), seller(0.0)))
    assert (side(r, "buyer").intervals, side(r, "seller").intervals) == (((0.0, 0.0),), ((0.0, 1.0),))
    assert (r.intervals, r.least, r.most, r.empty) == (((0.0, 0.0),), 0.0, 0.0, False)
    assert side(r, "seller").rising and not side(r, "buyer").rising


def test_sides_indifferent_at_the_ends_accept_every_price():
    """A reserve of 0 and an outside option of 0: the seller is indifferent at x = 0, the buyer at x = 1,
    and both accept every price in between."""
    r = bargaining_range(sale(buyer(0.0), seller(0.0)))
    assert (r.intervals, r.least, r.most) == (((0.0, 1.0),), 0.0, 1.0)
    assert side(r, "seller").rising and not side(r, "buyer").rising


def test_no_deal_between_two_sides_that_both_gain_from_the_price_is_said_without_a_gap():
    """Both sides gain from a larger price here: the buyer's money from the deal is x (walking away is
    worth 0.8: she accepts x >= 0.8); the seller gets x, but if he rejects, the buyer sues when x > 0.5
    (worth 1.5 to him) and drops it otherwise (worth 0.3): he accepts 0.3 <= x <= 0.5 only. The ranges
    do not meet, and there is no falling side whose most the least could exceed, so there is no gap
    and the sentence names where each side accepts (it raised AttributeError before)."""
    sc = sale(("buyer", "Bea", "x", ("walk", 0.8)), ("seller", "Sal", "x", ("reject", "court")),
              subgames=court(0.5, 0.3, 1.5))
    r = bargaining_range(sc)
    assert side(r, "buyer").rising and side(r, "seller").rising
    assert flat(side(r, "buyer").intervals) == pytest.approx([0.8, 1.0])
    assert flat(side(r, "seller").intervals) == pytest.approx([0.3, 0.5])
    assert (r.empty, r.intervals, r.gap) == (True, (), None)
    assert r.sentence(sc) == (
        "No deal is possible: no value of price from 0 to 1 suits every side. Bea prefers the deal to its "
        "alternative (\u201cWalk\u201d) for price from 0.8 to 1; Sal prefers the deal to its alternative "
        "(\u201cReject\u201d) for price from 0.3 to 0.5.")


@pytest.mark.parametrize("sides, said", [
    # the seller accepts x = 0.3 only (below it the buyer drops the case, worth 0.3 to him; above, she sues)
    ((0.8, 0.3, 0.3, 1.5), "Bea prefers the deal to its alternative (\u201cWalk\u201d) for price from 0.8 to 1; Sal "
                                 "prefers the deal to its alternative (\u201cReject\u201d) only at price 0.3."),
    # ends 0.0008 apart: shown with the digits that tell them apart, not both as 0.5
    ((0.5004, 0.4996, 0.3, 1.5), "Bea prefers the deal to its alternative (\u201cWalk\u201d) for price from 0.5004 "
                                       "to 1; Sal prefers the deal to its alternative (\u201cReject\u201d) for price from "
                                       "0.3 to 0.4996."),
])
def test_where_each_side_accepts_is_said_point_by_point_and_to_the_digits_that_differ(sides, said):
    """Both sides gain from the price (Bea's walk-away w: she accepts x >= w; Sal, whose alternative is
    worth `drop` until the buyer sues at x > t and `sue` after, accepts drop <= x <= t)."""
    walk, t, drop, sue = sides
    sc = sale(("buyer", "Bea", "x", ("walk", walk)), ("seller", "Sal", "x", ("reject", "court")),
              subgames=court(t, drop, sue))
    r = bargaining_range(sc)
    assert r.empty and r.gap is None
    assert r.sentence(sc) == "No deal is possible: no value of price from 0 to 1 suits every side. " + said


def test_a_stretch_of_one_point_is_said_as_one_point():
    """After a rejection the buyer sues once x > 0.3, which leaves the seller 0.6 instead of 0.3: the seller
    accepts x = 0.3 (x - 0.3 >= 0 only there below 0.3) and x >= 0.6; the buyer x <= 0.75."""
    sc = sale(buyer(), seller("court"), subgames=court(0.3, 0.3, 0.6))
    r = bargaining_range(sc)
    assert flat(side(r, "seller").intervals) == pytest.approx([0.3, 0.3, 0.6, 1.0])
    assert r.sentence(sc) == (
        "Bea prefers the deal to its alternative (\u201cWalk\u201d) for price from 0 to 0.75; Sal prefers the deal "
        "to its alternative (\u201cReject\u201d) for price from 0.3 (one point) and 0.6 to 1. Every side prefers the "
        "deal to its alternative for price from 0.3 (one point) and 0.6 to 0.75.")


def test_ends_are_said_to_three_significant_digits_when_those_tell_them_apart():
    """Bea's walk-away is 1/3: she accepts from 0.333 (not 0.3333); Sal accepts 0.2 to 0.3."""
    sc = sale(("buyer", "Bea", "x", ("walk", 1 / 3)), ("seller", "Sal", "x", ("reject", "court")),
              subgames=court(0.3, 0.2, 1.5))
    assert bargaining_range(sc).sentence(sc).endswith(
        "Bea prefers the deal to its alternative (\u201cWalk\u201d) for price from 0.333 to 1; Sal prefers the deal to "
        "its alternative (\u201cReject\u201d) for price from 0.2 to 0.3.")


def test_a_side_that_accepts_on_two_stretches_is_not_said_to_accept_everything_above_its_least():
    """The buyer accepts x <= 0.5; the seller, whose alternative jumps from 0.6 to 0.9 when the buyer sues
    (x > 0.65), accepts 0.6 to 0.65 and 0.9 to 1. Its least, 0.6, exceeds the buyer's most, 0.5, but "the
    seller accepts at least 0.6" would be false at 0.7: the sentence lists the stretches."""
    sc = sale(buyer(0.5), seller("court"), subgames=court(0.65, 0.6, 0.9))
    r = bargaining_range(sc)
    assert flat(side(r, "seller").intervals) == pytest.approx([0.6, 0.65, 0.9, 1.0])
    assert (r.empty, r.least, r.most) == (True, pytest.approx(0.6), pytest.approx(0.5))
    assert r.sentence(sc) == (
        "No deal is possible: no value of price from 0 to 1 suits every side. Bea prefers the deal to its "
        "alternative (\u201cWalk\u201d) for price from 0 to 0.5; Sal prefers the deal to its alternative "
        "(\u201cReject\u201d) for price from 0.6 to 0.65 and 0.9 to 1.")


def test_a_seller_that_accepts_no_price():
    """A reserve of 1.5 is above every price: the seller accepts nowhere; the least is unknown, the
    buyer's most is still 0.75, and the sentence names the seller."""
    sc = sale(buyer(), seller(1.5))
    r = bargaining_range(sc)
    assert (side(r, "seller").intervals, r.intervals, r.empty, r.least, r.most, r.gap) == ((), (), True, None, 0.75, None)
    assert side(r, "seller").alternative == "Reject"
    assert r.sentence(sc) == "No deal is possible: Sal prefers its alternative at every value of price from 0 to 1."


def test_a_buyer_that_accepts_no_price():
    """An outside option of 1.5 beats the deal at every price: the buyer accepts nowhere; the seller's
    least is still 0.25."""
    sc = sale(buyer(1.5), seller())
    r = bargaining_range(sc)
    assert (side(r, "buyer").intervals, r.empty, r.least, r.most, r.gap) == ((), True, 0.25, None, None)
    assert r.sentence(sc) == "No deal is possible: Bea prefers its alternative at every value of price from 0 to 1."


def test_with_two_sellers_one_that_accepts_nowhere_leaves_no_least():
    """A broker also gains with the price (x from the deal) but its alternative is worth 1.5: it accepts
    nowhere, so no least price is accepted by every side that gains, though the seller's is 0.25."""
    sc = sale(buyer(), ("broker", "Bo", "x", ("block", 1.5)), seller())
    r = bargaining_range(sc)
    assert [s.rising for s in r.sides] == [False, True, True]
    assert (r.least, r.most, r.empty) == (None, 0.75, True)
    assert r.sentence(sc) == "No deal is possible: Bo prefers its alternative at every value of price from 0 to 1."


def test_with_two_buyers_one_that_accepts_nowhere_leaves_no_most():
    """A second buyer (1 - x from the deal, 1.5 when she walks) accepts nowhere: no most price."""
    sc = sale(("rival", "Ria", "1 - x", ("leave", 1.5)), buyer(), seller())
    r = bargaining_range(sc)
    assert [s.rising for s in r.sides] == [False, False, True]
    assert (r.least, r.most, r.empty) == (0.25, None, True)
    assert r.sentence(sc) == "No deal is possible: Ria prefers its alternative at every value of price from 0 to 1."


def test_when_only_the_buyers_alternative_is_declared_the_least_is_the_bottom_of_the_range():
    sc = sale(buyer(), seller(), declared=("buyer",))
    r = bargaining_range(sc)
    assert [s.player for s in r.sides] == ["buyer"]
    assert (r.least, r.most, r.intervals) == (0.0, 0.75, ((0.0, 0.75),))
    assert r.sentence(sc) == "Every side prefers the deal to its alternative for price from 0 to 0.75."


def test_when_only_the_sellers_alternative_is_declared_the_most_is_the_top_of_the_range():
    sc = sale(buyer(), seller(), declared=("seller",))
    r = bargaining_range(sc)
    assert (r.least, r.most, r.intervals) == (0.25, 1.0, ((0.25, 1.0),))
    assert r.sentence(sc) == "Every side prefers the deal to its alternative for price from 0.25 to 1."


@pytest.mark.parametrize("deal, accepts", [(0.5, True), (0.25, True), (0.0, False)])
def test_a_side_whose_surplus_does_not_move_with_the_price(deal, accepts):
    """The buyer pays a fixed 0.5 whatever x (her money from the deal is ``deal``; 0.25 when she
    walks): her surplus is deal - 0.25 at every price, so she accepts every price or none, even when
    she is exactly indifferent (deal = 0.25). She does not gain from a larger price: she sets the most."""
    sc = sale(("buyer", "Bea", deal, ("walk", 0.25)), seller())
    r = bargaining_range(sc)
    b = side(r, "buyer")
    assert b.intervals == (((0.0, 1.0),) if accepts else ())
    assert not b.rising
    if accepts:
        assert (r.least, r.most, r.intervals) == (0.25, 1.0, ((0.25, 1.0),))
        assert r.sentence(sc) == (
            "Sal prefers the deal to its alternative (\u201cReject\u201d) when the price is at least 0.25 (the least "
            "it accepts); Bea prefers it to its alternative (\u201cWalk\u201d) when it is at most 1 (the most Bea "
            "would give). The range is 0.25 to 1.")
    else:
        assert (r.empty, r.least, r.most) == (True, 0.25, None)


def test_an_alternative_without_a_label_is_not_quoted():
    sc = sale(buyer(), seller(), unlabelled=("walk",))
    assert "Bea prefers it to its alternative when it is at most 0.75 " in bargaining_range(sc).sentence(sc)


def test_a_one_letter_name_takes_no_article_an_acronym_does():
    sc = sale(buyer(0.25, "B"), seller(0.25, "UN"))
    text = bargaining_range(sc).sentence(sc)
    assert text.startswith("UN prefers the deal") and "(the most B would give)" in text
    sc = sale(buyer(0.25, "NGO"), seller())
    assert "the NGO prefers it to its alternative" in bargaining_range(sc).sentence(sc)


def test_another_term_can_be_bargained_over():
    """Over the seller's reserve c (price fixed at 0.5): the seller accepts while c <= 0.5; the buyer's
    surplus, 0.5 - 0.25, does not depend on c, so she accepts every c."""
    sc = sale(buyer(), seller("c"), params={"c": param(0.25, label="Reserve")})
    r = bargaining_range(sc, parameter="c")
    assert (r.parameter, r.current) == ("c", 0.25)
    assert (r.least, r.most) == (pytest.approx(0.0), pytest.approx(0.5))
    assert flat(side(r, "seller").intervals) == pytest.approx([0.0, 0.5])


def test_a_scenario_without_a_deal_is_refused():
    sc = scenario(players={"ann": ("Ann", {"g": 1.0})}, attributes={"g": ("G", "higher")},
                  parameters={"x": PRICE}, root="pick", nodes={"pick": choose("ann", ("a", "oa")), "oa": end(g="x")})
    with pytest.raises(ScenarioError) as err:
        bargaining_range(sc)
    assert err.value.field == "bargaining"
    assert err.value.message == ("this scenario declares no deal to bargain over: it needs a [bargaining] section "
                                 "(the deal's outcome and each side's alternatives)")


def test_a_term_without_a_range_is_refused():
    sc = sale(buyer(), seller(), params={"k": param(0.3, 0.3, 0.3)})
    with pytest.raises(ScenarioError) as err:
        bargaining_range(sc, parameter="k")
    assert (err.value.field, err.value.message) == ("parameters.k", "'k' has no range to bargain over")


def test_a_seller_whose_alternative_improves_at_a_higher_price_accepts_on_two_stretches():
    """After a rejection the buyer sues once x > 0.4, which leaves the seller 0.6 instead of 0.2: the
    seller accepts 0.2 <= x <= 0.4 (x - 0.2 >= 0) and x >= 0.6 (x - 0.6 >= 0), two stretches 0.2 apart;
    with the buyer's x <= 0.75 the range is 0.2 to 0.4 and 0.6 to 0.75."""
    sc = sale(buyer(), seller("court"), subgames=court(0.4, 0.2, 0.6))
    r = bargaining_range(sc)
    assert flat(side(r, "seller").intervals) == pytest.approx([0.2, 0.4, 0.6, 1.0])
    assert flat(r.intervals) == pytest.approx([0.2, 0.4, 0.6, 0.75])
    assert (r.least, r.most, r.empty) == (pytest.approx(0.2), 0.75, False)
    # not "Sal prefers the deal when the price is at least 0.2", false at 0.5: each side's stretches
    assert r.sentence(sc) == (
        "Bea prefers the deal to its alternative (\u201cWalk\u201d) for price from 0 to 0.75; Sal prefers the deal "
        "to its alternative (\u201cReject\u201d) for price from 0.2 to 0.4 and 0.6 to 1. Every side prefers the deal "
        "to its alternative for price from 0.2 to 0.4 and 0.6 to 0.75.")
    # the seller's surplus curve: x - 0.2 below 0.4, x - 0.6 above
    s = r.surplus[[q.player for q in r.sides].index("seller")]
    assert s[r.xs < 0.39] == pytest.approx(r.xs[r.xs < 0.39] - 0.2)
    assert s[r.xs > 0.41] == pytest.approx(r.xs[r.xs > 0.41] - 0.6)


def test_the_flips_are_found_at_the_values_given():
    """After a rejection the buyer sues once x > t, which leaves the seller 0.6 instead of 0.1. With t
    given as 0.05 (0.4 now), the seller's alternative is worth 0.1 below 0.05, where the price is
    below that too, and 0.6 above: it accepts x >= 0.6 only."""
    sc = sale(buyer(), seller("court"), subgames=court("t", 0.1, 0.6), params={"t": param(0.4)})
    r = bargaining_range(sc, values={"t": 0.05})
    assert flat(side(r, "seller").intervals) == pytest.approx([0.6, 1.0])
    assert (r.least, r.most) == (pytest.approx(0.6), 0.75)


def test_the_best_alternative_is_named_where_the_side_draws_its_line():
    """The seller can resell (0.4) or reject; after a rejection the buyer sues once x > 0.7, which leaves
    the seller 0.5. Below 0.7 reselling is its best alternative, above it rejecting: at its least
    price, 0.4, the sentence names reselling (the price now is 0.8, where rejecting is best)."""
    sc = sale(buyer(0.0), seller("court", "Sal", ("resell", 0.4)), subgames=court(0.7, 0.0, 0.5),
              term=param(0.8, label="Price"))
    r = bargaining_range(sc)
    assert flat(side(r, "seller").intervals) == pytest.approx([0.4, 1.0])
    assert r.sentence(sc).startswith("Sal prefers the deal to its best alternative (\u201cResell\u201d) when the "
                                     "price is at least 0.4 (the least it accepts)")


@pytest.mark.parametrize("t, drop, sue, least", [(0.9, 0.3, "2 * x - 1.1", 0.3), (0.4, 0.2, "1.5 * x - 0.6", 0.2)])
def test_a_seller_whose_surplus_dips_late_still_sets_the_least(t, drop, sue, least):
    """The seller's surplus rises with the price (x - drop) until the buyer would sue (x > t); after that
    its alternative grows faster than the price and its surplus falls, but stays above 0. Over the
    range it gains from a larger price: (t - 0) - (1 - t) = 0.8 for t = 0.9, 0.4 - 0.5 * 0.6 = 0.1 for
    t = 0.4 (the slope after t is 1 - 2 and 1 - 1.5). So it sets the least, x = drop."""
    sc = sale(buyer(-0.1), seller("court"), subgames=court(t, drop, sue))
    r = bargaining_range(sc)
    assert side(r, "seller").rising and not side(r, "buyer").rising
    assert (r.least, r.most) == (pytest.approx(least), 1.0)
    assert r.sentence(sc).startswith("Sal prefers the deal to its alternative (\u201cReject\u201d) when the price is "
                                     f"at least {least:g} (the least it accepts)")


def test_a_range_below_zero():
    """A transfer x from -1 to 0 (a payment to the buyer when negative): the seller gets x and rejects for
    -0.75, the buyer gets -x and walks for 0.25: the seller accepts x >= -0.75, the buyer x <= -0.25."""
    sc = sale(("buyer", "Bea", "-x", ("walk", 0.25)), seller(-0.75), term=param(-0.5, -1.0, 0.0, label="Transfer"))
    r = bargaining_range(sc)
    assert side(r, "seller").rising and not side(r, "buyer").rising
    assert (r.least, r.most) == (pytest.approx(-0.75), pytest.approx(-0.25))


def test_prices_in_the_tens_of_thousands():
    """A price from 0 to 40,000: the seller's reserve is 10,000, the buyer's deal is worth 40,000 - x
    against 10,000 for walking away. Each accepts one stretch, whatever the flips inside it (at 10,000
    and 30,000, where a float is coarser than 1e-12): the range is 10,000 to 30,000."""
    sc = sale(("buyer", "Bea", "40000 - x", ("walk", 10000)), seller(10000),
              term={"label": "Price", "default": 25000, "min": 0, "max": 40000, "step": 100})
    r = bargaining_range(sc)
    assert side(r, "seller").intervals == ((10000.0, 40000.0),)
    assert side(r, "buyer").intervals == ((0.0, 30000.0),)
    assert r.intervals == ((10000.0, 30000.0),)


def test_a_term_with_more_than_seventy_flips():
    """After rejecting, the seller picks one of 71 plans, plan s (s = 0, 1/70, ..., 1) worth s x - s^2 / 2:
    the best is the s nearest x, so its choice flips 70 times over the price's range (at (2i + 1) / 140).
    Its deal is worth x - 0.2. Near x = 0.225 the best plan is s = 16/70, so it accepts from
    x = (0.2 - s^2 / 2) / (1 - s) = 0.22540 (to five digits); the buyer up to 0.75."""
    plans = [i / 70 for i in range(71)]
    sub = {"plans": choose("seller", *[(f"plan_{i}", f"o_plan{i}") for i in range(71)])}
    sub.update({f"o_plan{i}": end(seller_money=f"{s} * x - {s * s / 2}") for i, s in enumerate(plans)})
    r = bargaining_range(sale(buyer(), ("seller", "Sal", "x - 0.2", ("reject", "plans")), subgames=sub))
    s = 16 / 70
    assert r.least == pytest.approx((0.2 - s * s / 2) / (1 - s)) and r.least == pytest.approx(0.22540, abs=1e-5)
    assert r.most == 0.75 and side(r, "seller").rising
