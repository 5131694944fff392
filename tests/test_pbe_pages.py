"""The pages on the two presets with private types (screening.toml, beer_quiche.toml), driven by AppTest and
checked against the solver: what a user reads on Explore (each equilibrium's kind and plays, the beliefs
panel's numbers), and that no page gives the full-information answer."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

pytest.importorskip("streamlit")

from model import fmt, load_scenario, perfect_bayesian, prob, solve  # noqa: E402
from ui.pages import PAGES  # noqa: E402

from . import raw, reading  # noqa: E402
from .apptest import page  # noqa: E402
from .conftest import ROOT  # noqa: E402
from .test_pages_teaching import clean, texts  # noqa: E402

PRESETS = ["screening", "beer_quiche"]


def scenario(name):
    return load_scenario(ROOT / "scenarios" / f"{name}.toml")


@pytest.fixture(scope="module", params=PRESETS)
def explore(request):
    return request.param, page("views/explore.py", preset=request.param)


def test_explore_shows_each_equilibrium_with_its_kind_and_each_types_play(explore):
    name, at = explore
    clean(at)
    s = scenario(name)
    r = perfect_bayesian(s)
    text = texts(at)
    cards = reading.check_equilibrium_cards(text, [m.value for m in at.markdown], s, r, prob)
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


def test_each_options_table_gives_its_value_against_each_type_and_expected_at_the_belief(explore):
    """The beliefs panel's table at each information set: one row per option, its utility against each type as
    the solver has it, and on the path the expected value at Bayes's belief, summed here from those numbers."""
    name, at = explore
    s = scenario(name)
    r = perfect_bayesian(s)
    eq = r.equilibria[0]
    tables = [d.value for d in at.dataframe if "If " + r.types[0][1] in d.value.columns]
    assert len(tables) == len(eq.beliefs)
    for table, b in zip(tables, eq.beliefs):
        labels = {a.id: a.label for a in s.node(b.node).actions}
        assert [a.removeprefix("\u2605 ") for a in table["Action"]] == [labels[a] for a, _ in b.values]
        for (_, per_type), (_, row) in zip(b.values, table.iterrows()):
            assert [row[f"If {label}"] for _, label, _ in r.types] == pytest.approx(per_type)
            if b.belief is None:
                assert "Expected at the belief" not in table.columns
            else:
                mu = dict(b.belief)
                assert row["Expected at the belief"] == pytest.approx(
                    sum(mu[t] * v for (t, _, _), v in zip(r.types, per_type)))


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
    equilibrium; with one equilibrium "✓ correct" exactly when the prediction is its choice and the count of
    correct predictions; with several, the whole prediction scored against each and every answer marked against
    the closest one (most answers in common, the lowest-numbered on a tie), "✗" naming the other equilibria that
    play it; where play does not reach, and the numbers behind each answer
    (the belief sentence at the uninformed side's moves; at the informed type's, each option's value, rebuilt
    from the raw file, the chosen one the largest)."""
    s = scenario(name)
    values = {k: float(v) for k, v in moved.items()}
    r = perfect_bayesian(s, values=values)
    at, made, keys = predict_and_reveal(name, moved, lambda i, node: None if i == 1 else node.actions[i % 2].id)
    rows = reading.scored("\n".join(m.value for m in at.markdown))
    assert len(rows) == len(keys)
    doc = raw.read(ROOT / "scenarios" / f"{name}.toml")
    every = {key: [each_equilibriums_pick(s, e, key) for e in r.equilibria] for key in keys}
    hits = [sum(made[key] == every[key][k] for key in keys) for k in range(len(r.equilibria))]
    best = hits.index(max(hits)) + 1  # the closest equilibrium, the lowest-numbered on a tie
    right, can_miss = hits[best - 1], False
    for key, row in zip(keys, rows):
        q = key.removeprefix("prediction-")
        node = s.node(q.split("/")[-1])
        label = {a.id: a.label for a in node.actions}
        picks = every[key]
        can_miss = can_miss or len(set(picks)) < len(node.actions)
        assert reading.model_answers(row.model, len(picks)) == {k: label[a] for k, a in enumerate(picks, start=1)}
        guess = made[key]
        others = [k for k, a in enumerate(picks, start=1) if a == guess and k != best]
        if guess is None:
            assert row.predicted is None and row.verdict == "\u2014 no prediction made"
        elif len(picks) == 1:
            assert row.predicted == label[guess]
            assert row.verdict == ("\u2713 correct" if guess == picks[0] else "\u2717 not what the model predicts")
        elif guess == picks[best - 1]:
            assert row.predicted == label[guess] and row.verdict == f"\u2713 as in equilibrium {best}", row
        else:
            assert row.predicted == label[guess] and row.verdict.startswith(f"\u2717 not what equilibrium {best} plays")
            assert reading.equilibria_named(row.verdict) == [best] + others, row.verdict
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
    assert len(r.equilibria) == 1 or any(row.verdict.startswith("\u2717 not what equilibrium") for row in rows)
    if len(r.equilibria) == 1:
        assert f"{right} of {len(keys)} predictions correct (1 not made)" in texts(at)
    else:
        tied = [k for k, h in enumerate(hits, start=1) if h == right and k != best]
        also = f"equilibrium {tied[0]} matches as many; " if tied else ""
        assert f"{right} of {len(keys)} predictions match equilibrium {best} ({also}1 not made)" in texts(at)
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


# The textbook's two pooling equilibria of beer-quiche at the prior 0.1 (the file's header, Cho and Kreps 1987),
# written out here: each type's breakfast, and the receiver's choice after each breakfast.
QUICHE_POOL = {"weak/breakfast": "quiche", "strong/breakfast": "quiche", "after_beer": "duel", "after_quiche": "not"}
BEER_POOL = {"weak/breakfast": "beer", "strong/breakfast": "beer", "after_beer": "not", "after_quiche": "duel"}


def textbook_numbers() -> dict[str, int]:
    """Which number the page gives each textbook equilibrium (the solver's order; the set checked against it)."""
    r = perfect_bayesian(scenario("beer_quiche"))
    found = [{**{f"{t.id}/{n}": a for t in e.types for n, a in t.choices}, **dict(e.strategy)} for e in r.equilibria]
    assert sorted(found, key=str) == sorted([QUICHE_POOL, BEER_POOL], key=str)
    return {"quiche": found.index(QUICHE_POOL) + 1, "beer": found.index(BEER_POOL) + 1}


def beer_quiche_prediction(prediction: dict[str, str | None]):
    """Beer-quiche predicted as ``prediction`` (question -> action id) and revealed: (score line, the rows, the
    page's warnings)."""
    order = [f"{t}/breakfast" for t in ("weak", "strong")] + ["after_beer", "after_quiche"]  # the file's order
    at, made, keys = predict_and_reveal("beer_quiche", {}, lambda i, node: prediction[order[i]])
    assert [k.removeprefix("prediction-") for k in keys] == order
    (line,) = re.findall(r'<div class="co-score">(.*?)</div>', "\n".join(m.value for m in at.markdown))
    rows = reading.scored("\n".join(m.value for m in at.markdown))
    return line, dict(zip([k.removeprefix("prediction-") for k in keys], rows)), [w.value for w in at.warning]


def test_a_prediction_that_mixes_two_equilibria_is_scored_against_one_and_called_a_mix():
    """Weak: quiche, Strong: beer, a duel after either breakfast. Each answer is some equilibrium's, but the
    weak type's quiche and the duel after beer are the quiche equilibrium's, the strong type's beer and the duel
    after quiche the beer equilibrium's: two of four match each, so the lower-numbered one is the closest, the
    other two answers are marked wrong against it, and the page says the answers mix two equilibria."""
    n = textbook_numbers()
    mixed = {"weak/breakfast": "quiche", "strong/breakfast": "beer", "after_beer": "duel", "after_quiche": "duel"}
    hits = {eq: sum(mixed[q] == pool[q] for q in mixed) for eq, pool in (("quiche", QUICHE_POOL), ("beer", BEER_POOL))}
    assert hits == {"quiche": 2, "beer": 2}  # a tie, counted by hand
    best, other = sorted(n.values())
    line, rows, warnings = beer_quiche_prediction(mixed)
    assert line == f"2 of 4 predictions match equilibrium {best} (equilibrium {other} matches as many)"
    assert "predictions correct" not in line
    closest = QUICHE_POOL if n["quiche"] == best else BEER_POOL
    for q, row in rows.items():
        if mixed[q] == closest[q]:
            assert row.verdict == f"\u2713 as in equilibrium {best}", (q, row.verdict)
        else:
            assert row.verdict == f"\u2717 not what equilibrium {best} plays (equilibrium {other} plays it)", q
    assert sum(row.verdict.startswith("\u2713") for row in rows.values()) == 2
    (mix,) = warnings
    mine = {k: [q for q in mixed if mixed[q] == pool[q]] for k, pool in ((n["quiche"], QUICHE_POOL), (n["beer"], BEER_POOL))}
    assert mix.startswith("Your answers mix two equilibria (")
    assert mix.endswith("): no single equilibrium plays them all, so together they are not an equilibrium.")
    said = {"weak/breakfast": "\u201cQuiche\u201d for \u201cWeak\u201d", "strong/breakfast": "\u201cBeer\u201d for \u201cStrong\u201d",
            "after_beer": "\u201cDuel\u201d at \u201cHaving seen beer: duel?\u201d",
            "after_quiche": "\u201cDuel\u201d at \u201cHaving seen quiche: duel?\u201d"}
    for k in (best, other):
        assert f"{said[mine[k][0]]} and {said[mine[k][1]]} as in equilibrium {k}" in mix, mix


@pytest.mark.parametrize("which", ["quiche", "beer"])
def test_a_whole_equilibrium_predicted_scores_in_full_with_no_mix(which):
    n = textbook_numbers()
    line, rows, warnings = beer_quiche_prediction(QUICHE_POOL if which == "quiche" else BEER_POOL)
    assert line == f"4 of 4 predictions match equilibrium {n[which]}"
    assert [row.verdict for row in rows.values()] == [f"\u2713 as in equilibrium {n[which]}"] * 4
    assert warnings == []


def test_answers_of_one_equilibrium_with_one_not_made_are_no_mix():
    """Beer for both types and no duel after beer (the beer equilibrium's), nothing said after quiche."""
    n = textbook_numbers()
    line, rows, warnings = beer_quiche_prediction({**BEER_POOL, "after_quiche": None})
    assert line == f"3 of 4 predictions match equilibrium {n['beer']} (1 not made)"
    assert warnings == []
    assert rows["after_quiche"].verdict == "\u2014 no prediction made"


def test_the_offer_question_on_screening_gives_each_options_expected_utility_at_the_belief():
    """The US's offer, rebuilt from the raw file: each type's reply to each package by backward induction with
    the type's weight, the US's utility from it, weighed by the prior (0.30 high weight): Limited
    0.3 × (-1) + 0.7 × (-0.2) = -0.44, Full -0.50; the chosen one the larger."""
    doc = raw.read(ROOT / "scenarios" / "screening.toml")
    env = raw.values(doc)
    us = list(doc["players"]).index(doc["nodes"][doc["root"]]["player"])
    expected, terms = {}, {}
    for a in doc["nodes"][doc["root"]]["actions"]:
        parts = []
        for t in doc["uncertainty"]["types"].values():
            moved = {**env, **t["values"]}
            reply = {k: act for k, (_, act) in raw.backward_induction(doc, moved).items() if act is not None}
            parts.append((raw.evaluate(t["prior"], env), raw.play_value(doc, {**reply, doc["root"]: a["id"]}, moved)[us]))
        expected[a["label"]] = sum(p * v for p, v in parts)
        terms[a["label"]] = " + ".join(f"{p:.2f} \u00d7 " + (f"{v:.2f}" if v >= 0 else f"({v:.2f})") for p, v in parts)
    assert expected == pytest.approx({"Limited package": -0.44, "Full package": -0.50})  # the file's worked numbers
    at, _, keys = predict_and_reveal("screening", {}, lambda i, node: None)
    rows = reading.scored("\n".join(m.value for m in at.markdown))
    (row,) = [row for key, row in zip(keys, rows) if key == "prediction-us_offer"]
    said = ("US's utility from each option, expected over that belief: "
            + ", ".join(f"\u201c{label}\u201d {v:.2f} ({terms[label]})" for label, v in expected.items()) + ".")
    assert said in row.why, row.why
    assert "\u201cLimited package\u201d -0.44 (0.30 \u00d7 (-1.00) + 0.70 \u00d7 (-0.20))" in row.why  # by hand
    assert "\u201cFull package\u201d -0.50" in row.why
    assert row.model == f"\u201c{max(expected, key=expected.get)}\u201d"


def test_the_intro_gives_the_prior_with_three_decimals_when_two_would_round_it():
    at = page(next(p.script for p in PAGES if p.id == "predict"), preset="screening", p_high="0.375")
    clean(at)
    (intro,) = [m.value for m in at.markdown if m.value.startswith("Chance draws")]
    assert "\u201cHigh weight on deterrence\u201d with probability 0.375" in intro
    assert "\u201cLow weight on deterrence\u201d with probability 0.625" in intro
    assert "0.38" not in intro and "0.62 " not in intro
