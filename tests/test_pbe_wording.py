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
