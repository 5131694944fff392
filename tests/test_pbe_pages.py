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

from . import raw, reading  # noqa: E402
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


# -- Predict & reveal --------------------------------------------------------------------------------------


def predict_and_reveal(name: str, moved: dict[str, str], pick) -> tuple:
    """Predict & reveal opened on ``name``, each radio set to ``pick(i, node)`` (an action id, or None to leave
    it), then revealed: (the page, what was predicted by radio key, the radios' keys in order)."""
    at = page(next(p.script for p in PAGES if p.id == "predict"), preset=name, **moved)
    clean(at)
    s = scenario(name)
    keys, made = [r.key for r in at.radio], {}
    for i, key in enumerate(keys):
        made[key] = pick(i, s.node(key.split("/")[-1].removeprefix("prediction-")))
        if made[key] is not None:
            at.radio(key=key).set_value(made[key])
    at.run()
    next(b for b in at.button if b.label == "Reveal").click().run()
    clean(at)
    return at, made, keys


def each_equilibriums_pick(s, eq, key: str) -> str:
    """The solver's action at the question ``key`` ("prediction-type/node" or "prediction-node") in ``eq``."""
    q = key.removeprefix("prediction-")
    if "/" in q:
        type_id, node = q.split("/")
        return dict(next(t for t in eq.types if t.id == type_id).choices)[node]
    return dict(eq.strategy)[q]


@pytest.mark.parametrize("name, moved", [("screening", {}), ("screening", {"p_high": "0.5"}), ("beer_quiche", {})])
def test_predict_and_reveal_shows_the_solvers_choices_and_scores_each_prediction(name, moved):
    """What the class reads after the reveal, for every question: the model's answer in each perfect Bayesian
    equilibrium, "✓ correct" exactly when the prediction is one of them (naming the equilibria where they
    differ), the count of correct predictions, where play does not reach, and the numbers behind each answer
    (the belief sentence at the uninformed side's moves; at the informed type's, each option's value, rebuilt
    from the raw file, the chosen one the largest)."""
    s = scenario(name)
    values = {k: float(v) for k, v in moved.items()}
    r = perfect_bayesian(s, values=values)
    at, made, keys = predict_and_reveal(name, moved, lambda i, node: None if i == 1 else node.actions[i % 2].id)
    rows = reading.scored("\n".join(m.value for m in at.markdown))
    assert len(rows) == len(keys)
    doc = raw.read(ROOT / "scenarios" / f"{name}.toml")
    right, can_miss = 0, False
    for key, row in zip(keys, rows):
        q = key.removeprefix("prediction-")
        node = s.node(q.split("/")[-1])
        label = {a.id: a.label for a in node.actions}
        picks = [each_equilibriums_pick(s, e, key) for e in r.equilibria]
        can_miss = can_miss or len(set(picks)) < len(node.actions)
        assert reading.model_answers(row.model, len(picks)) == {k: label[a] for k, a in enumerate(picks, start=1)}
        guess = made[key]
        matched = [k for k, a in enumerate(picks, start=1) if a == guess]
        right += bool(matched)
        if guess is None:
            assert row.predicted is None and row.verdict == "\u2014 no prediction made"
        elif matched:
            assert row.predicted == label[guess]
            which = f" (as in {'equilibrium' if len(matched) == 1 else 'equilibria'} " if len(set(picks)) > 1 else ""
            assert row.verdict.startswith("\u2713 correct" + which), row.verdict
            assert reading.equilibria_named(row.verdict) == (matched if which else [])
        else:
            assert row.predicted == label[guess] and row.verdict == "\u2717 not what the model predicts", row
        # where play does not reach, by equilibrium
        if "/" in q:
            type_id = q.split("/")[0]
            off = [k for k, e in enumerate(r.equilibria, start=1)
                   if node.id not in next(t for t in e.types if t.id == type_id).reached]
        else:
            off = [k for k, e in enumerate(r.equilibria, start=1) if not next(b for b in e.beliefs if b.node == q).on_path]
        assert bool(row.off) == bool(off) and (len(off) == len(picks) or reading.equilibria_named(row.off) == off), row.off
        # the numbers behind the answer
        for k, e in enumerate(r.equilibria, start=1):
            named = f"Equilibrium {k}: " if len(r.equilibria) > 1 else ""  # each sentence under its equilibrium
            if "/" not in q:
                assert named + next(b for b in e.beliefs if b.node == q).sentence in row.why
                continue
            type_values = dict(next(t for t in s.uncertainty.types if t.id == type_id).values)
            mover = list(doc["players"]).index(node.player)
            choice = {**dict(e.strategy), **dict(next(t for t in e.types if t.id == type_id).choices)}
            worth = {a["label"]: raw.play_value({**doc, "root": a["next"]}, choice, {**values, **type_values})[mover]
                     for a in doc["nodes"][node.id]["actions"]}
            said = (f"For the type \u201c{next(t.label for t in s.uncertainty.types if t.id == type_id)}\u201d, "
                    f"{s.player(node.player).name}'s utility from each option (later moves as in the equilibrium): "
                    + ", ".join(f"\u201c{a}\u201d {fmt(v)}" for a, v in worth.items()) + ".")
            assert named + said in row.why, (said, row.why)
            assert worth[label[picks[k - 1]]] == max(worth.values())
    # the predictions made try each verdict the page can give here
    assert 0 < right and (right < len(keys) - 1 or not can_miss), "some predictions right, and some wrong if any can be"
    assert len(r.equilibria) == 1 or any("(as in equilibri" in row.verdict for row in rows)
    assert f"{right} of {len(keys)} predictions correct (1 not made)" in texts(at)
    for e in r.equilibria[:1]:  # the beliefs panel and the tree of the equilibrium shown first
        for b in e.beliefs:
            assert any(m.value.endswith(b.sentence) for m in at.markdown if m.value.startswith(":material/visibility"))
    assert 'class="infoset"' in texts(at) and "\u2605" in texts(at)


def test_predict_and_reveal_says_plainly_when_there_is_no_equilibrium_to_score_against():
    """Beer-quiche with a weak sender more likely than not: no pure-strategy perfect Bayesian equilibrium."""
    assert perfect_bayesian(scenario("beer_quiche"), values={"p_weak": 0.7}).equilibria == ()
    at, _, _ = predict_and_reveal("beer_quiche", {"p_weak": "0.7"}, lambda i, node: node.actions[0].id)
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("No perfect Bayesian equilibrium in pure strategies exists at these values")
    assert warning.endswith("So the model has no answer to score the predictions against.")
    shown = texts(at)
    assert "predictions correct" not in shown and "\u2713" not in shown and "The model:" not in shown
    (svg,) = [m.value.split("<svg", 1)[1] for m in at.markdown if "<svg" in m.value]
    assert 'class="infoset"' in svg and "\u2605" not in svg  # the tree, with no equilibrium marked
