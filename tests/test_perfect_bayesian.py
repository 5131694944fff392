"""Perfect Bayesian equilibrium (``model.core.perfect_bayesian``): textbook games with known answers, the
screening preset's switch prior against a scan, the one-type reduction to backward induction, and the new
fields' bad inputs."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model import ScenarioError, load_scenario, loads_scenario, solve
from model.core.perfect_bayesian import perfect_bayesian
from model.core.scenario import PlayerType, Uncertainty
from model.core.expressions import Expr
from model.files.validation import build_scenario

from .conftest import ROOT
from .strategies import scenario_docs
from .small_games import choose, end, param, scenario

SCREENING = ROOT / "scenarios" / "screening.toml"
BEER_QUICHE = ROOT / "scenarios" / "beer_quiche.toml"


@pytest.fixture(scope="module")
def beer_quiche():
    return load_scenario(BEER_QUICHE)


@pytest.fixture(scope="module")
def screening():
    return load_scenario(SCREENING)


# -- beer-quiche (Cho and Kreps 1987): two pooling equilibria, their off-path beliefs, the intuitive criterion


def test_beer_quiche_has_exactly_the_two_pooling_equilibria(beer_quiche):
    r = perfect_bayesian(beer_quiche)
    found = {(tuple(sorted(e.strategy)), tuple(t.choices for t in e.types), e.kind) for e in r.equilibria}
    beer = ((("after_beer", "not"), ("after_quiche", "duel")),
            ((("breakfast", "beer"),), (("breakfast", "beer"),)), "pooling")
    quiche = ((("after_beer", "duel"), ("after_quiche", "not")),
              ((("breakfast", "quiche"),), (("breakfast", "quiche"),)), "pooling")
    assert found == {beer, quiche}


def test_beer_quiche_off_path_beliefs_and_the_intuitive_criterion(beer_quiche):
    r = perfect_bayesian(beer_quiche)
    by_breakfast = {e.types[0].choices[0][1]: e for e in r.equilibria}
    for breakfast, off in (("beer", "after_quiche"), ("quiche", "after_beer")):
        e = by_breakfast[breakfast]
        beliefs = {b.node: b for b in e.beliefs}
        on = next(n for n in beliefs if n != off)
        assert beliefs[on].on_path and beliefs[on].belief == (("weak", pytest.approx(0.1)), ("strong", pytest.approx(0.9)))
        assert not beliefs[off].on_path and beliefs[off].belief is None
        # dueling after the unused breakfast needs the weak type to be at least as likely as not
        assert beliefs[off].support == (pytest.approx(0.5), pytest.approx(1.0))
    assert by_breakfast["beer"].intuitive is True
    assert by_breakfast["quiche"].intuitive is False and "Strong" in by_breakfast["quiche"].intuitive_reason


def test_beer_quiche_payoffs_are_the_textbooks(beer_quiche):
    r = perfect_bayesian(beer_quiche)
    pay = {e.types[0].choices[0][1]: {t.id: t.utility for t in e.types} for e in r.equilibria}
    assert pay["beer"] == {"weak": (2.0, 0.0), "strong": (3.0, 1.0)}
    assert pay["quiche"] == {"weak": (3.0, 0.0), "strong": (2.0, 1.0)}


def test_no_pure_equilibrium_is_said_plainly(beer_quiche):
    r = perfect_bayesian(beer_quiche, values={"p_weak": 0.7})
    assert r.equilibria == () and "No perfect Bayesian equilibrium in pure strategies exists" in r.sentence


# -- a textbook separating equilibrium -------------------------------------------------------------------


def entry_game():
    """Two-type limit pricing (the skeleton of Milgrom and Roberts 1982, as in Gibbons 1992, section 4.2 and
    Tadelis 2013, chapter 16): an incumbent whose cost is low or high prices low or high; an entrant sees the
    price, not the cost, and enters or stays out. A low price costs the high-cost type 3 of its profit and the
    low-cost type nothing; entry costs the incumbent 2; the entrant gains 1 against a high-cost and loses 1
    against a low-cost incumbent. Known answer: the low-cost type prices low, the high-cost type prices high
    (separating), the entrant enters after a high price and stays out after a low one."""
    return scenario(
        players={"inc": ("Incumbent", {"profit": 1.0, "pricing_cost": "c"}), "ent": ("Entrant", {"entry_gain": 1.0})},
        attributes={"profit": ("profit", "higher"), "pricing_cost": ("cost of a low price", "lower"),
                    "entry_gain": ("entrant's gain", "higher")},
        parameters={"c": param(0.0, 0.0, 3.0, 0.5), "g": param(-1.0, -1.0, 1.0, 1.0), "p_low": param(0.5)},
        root="price",
        nodes={"price": choose("inc", ("low", "after_low"), ("high", "after_high")),
               "after_low": choose("ent", ("enter", "low_in"), ("out", "low_out")),
               "after_high": choose("ent", ("enter", "high_in"), ("out", "high_out")),
               "low_in": end(profit=1.0, pricing_cost=1.0, entry_gain="g"),
               "low_out": end(profit=3.0, pricing_cost=1.0),
               "high_in": end(profit=1.0, entry_gain="g"),
               "high_out": end(profit=3.0)},
        uncertainty={"player": "inc", "types": {
            "low_cost": {"label": "Low cost", "prior": "p_low", "values": {"c": 0.0, "g": -1.0}},
            "high_cost": {"label": "High cost", "prior": "1 - p_low", "values": {"c": 3.0, "g": 1.0}}}})


def test_the_limit_pricing_game_has_its_separating_equilibrium():
    s = entry_game()
    r = perfect_bayesian(s)
    separating = [e for e in r.equilibria if e.kind == "separating"]
    assert len(separating) == 1
    (e,) = separating
    assert dict(e.strategy) == {"after_low": "out", "after_high": "enter"}
    assert {t.id: dict(t.choices)["price"] for t in e.types} == {"low_cost": "low", "high_cost": "high"}
    beliefs = {b.node: dict(b.belief) for b in e.beliefs}
    assert beliefs["after_low"]["low_cost"] == pytest.approx(1.0)
    assert beliefs["after_high"]["low_cost"] == pytest.approx(0.0)


# -- the screening preset: the switch prior against a scan of the prior ----------------------------------


def test_screening_switch_prior_matches_a_scan(screening):
    from model.analyses.bayesian_thresholds import bayesian_thresholds
    flips = [f for f in bayesian_thresholds(screening, parameters=("p_high",)).flips]
    assert len(flips) == 1
    reported = flips[0].value
    # the scan (in the test only): the US's offer in the unique equilibrium at each prior
    grid = np.linspace(0, 1, 401)
    offers = []
    for q in grid:
        eqs = perfect_bayesian(screening, values={"p_high": float(q)}).equilibria
        offers.append(dict(eqs[0].strategy)["us_offer"] if len(eqs) == 1 else "both")
    switch = [(a, b) for a, b, x, y in zip(grid, grid[1:], offers, offers[1:]) if x != y]
    assert offers[0] == "limited" and offers[-1] == "full"
    lo, hi = switch[0][0], switch[-1][1]
    assert lo <= reported <= hi and hi - lo <= 2.001 * (grid[1] - grid[0])
    assert reported == pytest.approx(0.375, abs=1e-8)  # the worked numbers; ties span ~1e-9


def test_screening_types_separate_below_the_switch_and_pool_above(screening):
    low = perfect_bayesian(screening, values={"p_high": 0.2})
    (e,) = low.equilibria
    assert e.kind == "separating"
    assert {t.id: dict(t.choices)["israel_limited"] for t in e.types} == {"high_weight": "reject", "low_weight": "accept"}
    (e,) = perfect_bayesian(screening, values={"p_high": 0.6}).equilibria
    assert e.kind == "pooling" and dict(e.strategy) == {"us_offer": "full"}
    assert all(dict(t.choices)["israel_full"] == "accept" for t in e.types)


def test_screening_claims_hold(screening):
    from model import check_claims
    report = check_claims(screening)
    assert all(c.holds for c in report.checked) and all(s.holds for s in report.sentences)


# -- one type: exactly backward induction -----------------------------------------------------------------


def _one_type(sc, player):
    weights = [name for _, e in sc.player(player).weights for name in e.names]
    assume(weights)
    t = PlayerType(id="only", label="Only", prior=Expr.of(1.0), values=((weights[0], sc.values[weights[0]]),))
    return replace(sc, uncertainty=Uncertainty(player=player, types=(t,)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(doc=scenario_docs(), data=st.data())
def test_with_one_type_it_is_backward_induction(doc, data):
    sc = build_scenario(copy.deepcopy(doc))
    player = data.draw(st.sampled_from([p.id for p in sc.players]))
    typed = _one_type(sc, player)
    spe = solve(sc)
    r = perfect_bayesian(typed)
    ours = spe.choice_map
    mine = [e for e in r.equilibria
            if all(ours[n] == a for n, a in e.strategy) and all(ours[n] == a for n, a in e.types[0].choices)]
    assert len(mine) == 1, (ours, [(e.strategy, e.types[0].choices) for e in r.equilibria])
    assert dict(mine[0].payoffs) == pytest.approx(dict(spe.payoffs), abs=1e-9)
    others = [c for c in spe.choices if c.player != player]
    if not any(c.ties for c in others):  # with ties, other subgame-perfect profiles are equilibria too
        assert len(r.equilibria) == 1


# -- bad input: each names its field ------------------------------------------------------------------------


def _screening_with(old: str, new: str) -> str:
    text = SCREENING.read_text()
    assert old in text
    return text.replace(old, new)


@pytest.mark.parametrize("old, new, field, words", [
    ('prior = "1 - p_high"', "prior = 0.2", "uncertainty.types", "do not sum to 1"),
    ("values = { w_il_deterrence = 0.5 }", "values = { w_il_deterrence = 1.0 }",
     "uncertainty.types.low_weight.values", "changes nothing"),
    ("values = { w_il_deterrence = 0.5 }", "values = { w_us_sharing = 0.5 }",
     "uncertainty.types.low_weight.values.w_us_sharing", "may only change parameters"),
    ("values = { w_il_deterrence = 0.5 }", "values = { p_high = 0.5 }",
     "uncertainty.types.low_weight.values.p_high", "may only change parameters"),
    ("values = { w_il_deterrence = 0.5 }", "values = { w_il_deterrence = 1.5 }",
     "uncertainty.types.low_weight.values.w_il_deterrence", "outside the range"),
])
def test_bad_types_are_refused_naming_the_field(old, new, field, words):
    with pytest.raises(ScenarioError) as err:
        loads_scenario(_screening_with(old, new), name="bad.toml")
    assert field in str(err.value) and words in str(err.value), str(err.value)


def test_a_type_may_change_outcome_levels():
    text = _screening_with("values = { w_il_deterrence = 0.5 }", "values = { w_il_deterrence = 0.5, hold_cost = 0.3 }")
    assert loads_scenario(text, name="ok.toml").uncertainty.types[1].values == (("w_il_deterrence", 0.5),
                                                                                  ("hold_cost", 0.3))


# -- the command line ----------------------------------------------------------------------------------------


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "model", *args], capture_output=True, text=True, cwd=ROOT)


def test_solve_on_a_game_with_types_gives_the_perfect_bayesian_equilibria():
    out = _cli("solve", str(BEER_QUICHE), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["count"] == 2 and {e["kind"] for e in data["equilibria"]} == {"pooling"}
    text = _cli("solve", str(SCREENING)).stdout
    assert "Perfect Bayesian equilibria in pure strategies: 1." in text and "separating" in text


def test_a_belief_sentence_says_the_prior_where_nothing_was_seen_and_ruled_out_at_a_zero_prior():
    """Screening: the US moves before Israel, so its belief is the prior and nothing was updated (not "as
    likely as before"); beer-quiche at a zero prior of the weak type: the on-path belief 0 is "ruled out, as
    in the prior", never "possible although the prior rules it out"; after an informed move, Bayes's rule."""
    (eq,) = perfect_bayesian(load_scenario(SCREENING), values={"p_high": 0.3}).equilibria
    (b,) = eq.beliefs
    assert "the prior itself" in b.sentence and "as likely as before" not in b.sentence
    result = perfect_bayesian(load_scenario(BEER_QUICHE), values={"p_weak": 0.0})
    on_path = [b for e in result.equilibria for b in e.beliefs if b.belief is not None]
    assert on_path and all("ruled out, as in the prior" in b.sentence for b in on_path)
    assert not any("possible although" in b.sentence for e in result.equilibria for b in e.beliefs)
    result = perfect_bayesian(load_scenario(BEER_QUICHE), values={"p_weak": 0.1})
    assert any("as likely as before" in b.sentence for e in result.equilibria for b in e.beliefs if b.belief)
