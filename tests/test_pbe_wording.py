"""What a reader of a game with private types is told, checked against the model: probabilities that keep the
digit that matters (the screening switch at 0.375), a label that says so when the prior rules a type out, each
type's values as the scenario file sets them, and the glossary's screening/signalling distinction against
who moves first in the two presets that illustrate it."""

from __future__ import annotations

from html import escape
import tomllib

import pytest

from model import load_scenario, perfect_bayesian, prob, type_sentences
from model.text.report import handout_html, handout_markdown

from .conftest import ROOT

SCREENING = ROOT / "scenarios" / "screening.toml"
BEER_QUICHE = ROOT / "scenarios" / "beer_quiche.toml"


@pytest.mark.parametrize(("p", "shown"), [(0.375, "0.375"), (0.3, "0.30"), (0, "0.00"), (1, "1.00"),
                                          (2 / 3, "0.667"), (0.125, "0.125")])
def test_a_probability_keeps_its_third_decimal_only_when_two_would_round_it(p, shown):
    assert prob(p) == shown


def test_the_screening_switch_prior_is_written_as_it_is_not_rounded_to_a_neighbour():
    text = perfect_bayesian(load_scenario(SCREENING).with_values({"p_high": 0.375})).to_text(load_scenario(SCREENING))
    assert "prior: High weight on deterrence 0.375, Low weight on deterrence 0.625" in text
    assert "probability 0.375" in text and "0.38" not in text


@pytest.mark.parametrize("p_high", [0.0, 1.0])
def test_a_prior_that_rules_a_type_out_is_said_to_reveal_nothing(p_high):
    s = load_scenario(SCREENING).with_values({"p_high": p_high})
    r = perfect_bayesian(s)
    ruled_out = next(label for _, label, p in r.types if p == 0)
    assert f"The prior rules out \u201c{ruled_out}\u201d" in r.sentence
    assert "reveals nothing" in r.sentence


def test_an_interior_prior_gets_no_ruled_out_note():
    r = perfect_bayesian(load_scenario(SCREENING))
    assert "rules out" not in r.sentence and r.equilibria[0].kind == "separating"


@pytest.mark.parametrize("path", [SCREENING, BEER_QUICHE], ids=lambda p: p.stem)
def test_each_types_values_are_listed_as_the_file_sets_them(path, tmp_path):
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["uncertainty"]
    s = load_scenario(path)
    lines = type_sentences(s)
    assert len(lines) == len(raw["types"])
    for line, (tid, t) in zip(lines, raw["types"].items()):
        assert line.startswith(t["label"])
        shown = dict(part.rsplit(" = ", 1) for part in line.split("): ", 1)[1].rstrip(".").split("; "))
        assert {k: float(v) for k, v in shown.items()} == {
            s.parameter(k).label: float(v) for k, v in t["values"].items()}
    # the command line and the handout list them too
    assert all(line in perfect_bayesian(s).to_text(s) for line in lines)
    md, _ = handout_markdown(s)
    html = handout_html(s)
    assert all(line in md and escape(line) in html for line in lines)


def test_the_glossary_distinguishes_screening_from_signalling_as_the_presets_play_it():
    terms = tomllib.loads((ROOT / "ui" / "content" / "glossary.toml").read_text(encoding="utf-8"))["terms"]
    for key in ("perfect_bayesian_equilibrium", "pooling_equilibrium", "separating_equilibrium",
                "intuitive_criterion", "screening", "signalling"):
        assert key in terms
    assert "uninformed side moves first" in terms["signalling"]["text"]
    assert "the informed side does" in terms["signalling"]["text"]
    for path, informed_first in ((SCREENING, False), (BEER_QUICHE, True)):
        s = load_scenario(path)
        assert (s.node(s.root).player == s.uncertainty.player) is informed_first, path.stem


@pytest.mark.parametrize(("path", "values"), [
    (SCREENING, {}), (SCREENING, {"limited_size": 0.8}), (SCREENING, {"w_il_intelligence": 0.1}),
    (SCREENING, {"p_high": 0.6}), (BEER_QUICHE, {}), (BEER_QUICHE, {"p_weak": 0.3})], ids=str)
def test_a_set_named_in_words_says_what_each_type_does_as_the_solver_finds(path, values):
    """Two sets with the same uninformed strategy and label (pooling on acceptance, pooling on rejection) must
    read differently: each type's own moves on its path are named, as ``perfect_bayesian`` finds them."""
    from model.analyses.bayesian_thresholds import describe_set
    from model.core.pbe_batch import bayesian_game, pbe_batch

    s = load_scenario(path).with_values(values)
    bg = bayesian_game(s)
    words = describe_set(s, bg, pbe_batch(bg, s.values, 1), 0)
    r = perfect_bayesian(s)
    assert words.count("(") == len(r.equilibria) >= 1
    informed = s.uncertainty.player
    for e, part in zip(r.equilibria, words.split(" (")[1:]):
        moves = [", ".join(s.node(n).actions[[a.id for a in s.node(n).actions].index(a)].label
                           for n, a in t.play if s.node(n).player == informed) for t in e.types]
        if len(set(moves)) == 1:
            assert part.startswith(f"{e.kind}: both types: {moves[0]})")
        else:
            assert part.startswith(f"{e.kind}: " + "; ".join(f"{t.label}: {m}" for t, m in zip(e.types, moves)) + ")")


def test_a_point_without_a_pure_equilibrium_is_named_so():
    from model.analyses.bayesian_thresholds import describe_set
    from model.core.pbe_batch import bayesian_game, pbe_batch

    s = load_scenario(BEER_QUICHE).with_values({"p_weak": 0.8})
    bg = bayesian_game(s)
    assert not perfect_bayesian(s).equilibria
    assert describe_set(s, bg, pbe_batch(bg, s.values, 1), 0) == "no pure-strategy perfect Bayesian equilibrium"


# -- the lecturer's review: sentences that must match the numbers they describe ---------------------------


def entry():
    from .test_perfect_bayesian import entry_game
    return entry_game()


def test_a_belief_that_becomes_certain_or_zero_is_called_so_not_a_ratio():
    s = entry()
    r = perfect_bayesian(s)
    (sep,) = [e for e in r.equilibria if e.kind == "separating"]
    said = {b.node: b.sentence for b in sep.beliefs}
    assert "probability 1.00: now certain (prior 0.50)" in said["after_low"]
    assert "probability 0.00: ruled out (prior 0.50)" in said["after_high"]
    assert "times less likely" not in " ".join(said.values())


@pytest.mark.parametrize(("post", "prior", "words"), [(0.5, 0.25, "twice as likely as before"),
                                                      (0.2, 0.4, "half as likely as before"),
                                                      (0.1, 0.4, "0.25 times as likely as before"),
                                                      (0.3, 0.3, "as likely as before")])
def test_a_belief_is_compared_with_the_prior_in_plain_words(post, prior, words):
    from model.core.perfect_bayesian import _times
    assert _times(post / prior, post) == words


def test_a_node_reached_only_by_a_type_the_prior_rules_out_is_not_called_unreached():
    s = load_scenario(BEER_QUICHE).with_values({"p_weak": 0.0})
    r = perfect_bayesian(s)
    for e in r.equilibria:
        weak = next(t for t in e.types if t.id == "weak")
        for b in e.beliefs:
            if b.node in weak.reached and b.belief is None:
                assert "which only \u201cWeak\u201d's play reaches, a type the prior rules out" in b.sentence
            elif b.belief is None:
                assert "which no type's play reaches" in b.sentence
    assert any("a type the prior rules out" in b.sentence for e in r.equilibria for b in e.beliefs)


def test_float_noise_does_not_add_a_decimal_to_an_exact_half():
    assert prob(0.4999999995) == "0.50" and prob(0.3749) == "0.375"


def test_no_pure_equilibrium_says_a_mixed_one_exists():
    r = perfect_bayesian(load_scenario(BEER_QUICHE).with_values({"p_weak": 0.7}))
    assert not r.equilibria
    assert "An equilibrium in mixed strategies" in r.sentence and "always exists" in r.sentence


def test_the_handout_marks_a_slider_the_types_set_as_unused():
    md, _ = handout_markdown(load_scenario(SCREENING))
    assert "| Israel weight: deterrence cost | set by the type: High weight on deterrence 1, " \
           "Low weight on deterrence 0.5 (the slider is not used) |" in md
    assert "| Israel weight: intelligence value | 1 (0\u20131) |" in md


def bayesian_claim(**options):
    from model.core.scenario import Claim
    return Claim(kind="bayesian", options=tuple(options.items()))


@pytest.mark.parametrize(("options", "holds"), [
    ({"count": 2, "strategy": ("after_beer:not",), "replies": ("weak:breakfast:beer",), "intuitive": True}, True),
    ({"count": 2, "strategy": ("after_beer:not",), "replies": ("weak:breakfast:quiche",)}, False),
    ({"count": 2, "strategy": ("after_beer:not",), "intuitive": False}, False),
    ({"count": 2, "strategy": ("after_beer:duel",), "intuitive": False}, True),
    ({"count": 0, "at": {"p_weak": 0.51}}, True),
    ({"count": 0, "at": {"p_weak": 0.49}}, False),
])
def test_a_bayesian_claim_checks_the_types_replies_and_the_intuitive_criterion(options, holds):
    from model.analyses.claims import check_claim
    s = load_scenario(BEER_QUICHE)
    assert check_claim(s, bayesian_claim(**options), load=load_scenario).holds is holds


def test_a_claim_naming_an_unknown_type_is_refused_naming_the_field():
    from model import ScenarioError, loads_scenario
    text = BEER_QUICHE.read_text().replace('replies = ["weak:breakfast:beer"', 'replies = ["feeble:breakfast:beer"', 1)
    with pytest.raises(ScenarioError) as err:
        loads_scenario(text, name="bq.toml")
    assert "'feeble' is not a type" in str(err.value) and "replies[0]" in str(err.value)


def test_a_payoff_claim_on_a_typed_game_holds_only_when_every_type_agrees():
    from model.analyses.claims import check_claim
    from model.core.scenario import Claim
    s = load_scenario(SCREENING)
    us = Claim(kind="payoff", options=(("outcome", "limited_accepted"), ("values", {"us": -0.2})))
    israel = Claim(kind="payoff", options=(("outcome", "limited_accepted"), ("values", {"israel": 0.1})))
    assert check_claim(s, us, load=load_scenario).holds  # the US's utility does not depend on Israel's type
    assert not check_claim(s, israel, load=load_scenario).holds  # 0.10 for one type, -0.20 for the other


def test_the_intuitive_criterion_sentence_gives_the_numbers_its_argument_rests_on():
    """Cho and Kreps's quiche-pooling equilibrium: the weak type gets 3 (quiche, no duel) and at most 2 from beer
    (2 with no duel, 0 with one); once the weak type is ruled out after beer the receiver does not duel, and the
    strong type gets 3 from beer against its 2 from quiche."""
    r = perfect_bayesian(load_scenario(BEER_QUICHE))
    (fails,) = [e for e in r.equilibria if e.intuitive is False]
    assert dict(fails.strategy) == {"after_beer": "duel", "after_quiche": "not"}
    assert ("the type \u201cWeak\u201d could only lose by deviating (at most 2.00 against its 3.00 in equilibrium), "
            "so a sensible belief puts probability 0 on it; then \u201cStrong\u201d gains by deviating (at least 3.00 "
            "against its 2.00)") in fails.intuitive_reason
