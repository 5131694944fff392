"""The pages on the two presets with private types (screening.toml, beer_quiche.toml), driven by AppTest and
checked against the solver: what a user reads on Explore (each equilibrium's kind and plays, the beliefs
panel's numbers), and that no page gives the full-information answer."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

pytest.importorskip("streamlit")

from model import fmt, load_scenario, perfect_bayesian, solve  # noqa: E402
from ui.pages import PAGES  # noqa: E402

from .apptest import page  # noqa: E402
from .conftest import ROOT  # noqa: E402
from .test_pages_teaching import clean, texts  # noqa: E402

PRESETS = ["screening", "beer_quiche"]


def scenario(name):
    return load_scenario(ROOT / "scenarios" / f"{name}.toml")


def words(s, play) -> str:
    """A type's play as the page writes it, rebuilt here from the file's labels."""
    out = []
    for nid, aid in play:
        node = s.node(nid)
        out.append(f"{s.player(node.player).name}: {next(a.label for a in node.actions if a.id == aid)}")
    return " \u2192 ".join(out)


@pytest.fixture(scope="module", params=PRESETS)
def explore(request):
    return request.param, page("views/explore.py", preset=request.param)


def test_explore_shows_each_equilibrium_with_its_kind_and_each_types_play(explore):
    name, at = explore
    clean(at)
    s = scenario(name)
    r = perfect_bayesian(s)
    text = texts(at)
    titles = re.findall(r"\*\*Equilibrium (\d+): ([a-z ]+?)(?: \(|\*\*)", text)
    assert [(int(k), kind) for k, kind in titles] == [(k, e.kind) for k, e in enumerate(r.equilibria, start=1)]
    cards = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert len(cards) == len(r.equilibria)
    for card, e in zip(cards, r.equilibria):
        for t in e.types:
            assert f"**{t.label}** (prior {fmt(t.prior)}): {words(s, t.play)}; utility" in card
        for nid, aid in e.strategy:
            assert f"\u201c{s.node(nid).label}\u201d: **{next(a.label for a in s.node(nid).actions if a.id == aid)}**" \
                in card
    if name == "beer_quiche":  # the textbook: two pooling equilibria, one on quiche and one on beer
        assert [e.kind for e in r.equilibria] == ["pooling", "pooling"]
        assert "Weak** (prior 0.10): Sender: Quiche" in cards[0] and "Weak** (prior 0.10): Sender: Beer" in cards[1]


def test_the_belief_sentences_carry_the_models_beliefs(explore):
    """On the path the number is Bayes's belief; off it, the interval of beliefs that supports the choice."""
    name, at = explore
    s = scenario(name)
    r = perfect_bayesian(s)
    shown = [m.value for m in at.markdown if m.value.startswith(":material/visibility")]
    eq = r.equilibria[0]  # the equilibrium shown first
    assert len(shown) == len(eq.beliefs)
    first = r.types[0][0]
    for line, b in zip(shown, eq.beliefs):
        assert (s.node(b.node).label or b.node) in line
        if b.belief is not None:
            (number,) = re.findall(r"with probability ([0-9.]+):", line)
            assert float(number) == pytest.approx(dict(b.belief)[first], abs=0.005)
            assert line.startswith(":material/visibility:")
        else:
            lo, hi = re.findall(r"from ([0-9]+\.[0-9]+) to ([0-9]+\.[0-9]+)", line)[0]
            assert (float(lo), float(hi)) == pytest.approx(b.support, abs=0.005)
            assert line.startswith(":material/visibility_off:")


def test_a_moved_prior_moves_the_belief_on_the_page():
    at = page("views/explore.py", preset="screening", p_high="0.6")
    clean(at)
    (e,) = perfect_bayesian(scenario("screening"), values={"p_high": 0.6}).equilibria
    assert e.kind == "pooling"
    assert "**Equilibrium 1: pooling**" in texts(at)
    assert "with probability 0.60" in texts(at)


SCENARIO_PAGES = [p for p in PAGES if p.group in ("Explore", "Teach") and not p.instructor and p.id != "lesson"]


@pytest.mark.parametrize("name", PRESETS)
@pytest.mark.parametrize("which", [p.id for p in SCENARIO_PAGES])
def test_no_page_gives_the_full_information_answer_for_a_typed_scenario(which, name):
    """Each page solves the game with its types or says in one sentence why it does not: none shows the
    full-information game's answer (the types ignored, the sliders' values used): its headline, its tree
    annotated "prefers", its choice at the first move with its margin."""
    s = scenario(name)
    at = page(next(p.script for p in SCENARIO_PAGES if p.id == which), preset=name)
    clean(at)
    text = texts(at)
    full = solve(replace(s, uncertainty=None))
    assert 'class="co-path">Equilibrium play:' not in text  # the full-information headline
    assert "prefers:" not in text  # the full-information tree's annotation
    first = full.choice(s.root)
    assert f"margin {fmt(first.margin)}" not in text
    said = [x.value for x in at.info]
    assert ("perfect Bayesian" in text) or any("private types" in x for x in said), said
