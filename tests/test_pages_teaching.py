"""The teaching pages, driven by AppTest (strategic form, step by step, predict & reveal, the lesson in
its student and instructor views, compare, glossary), and the handout builders."""

from __future__ import annotations

import io
import re
import zipfile
from html import escape

import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest  # noqa: E402

from model import dumps_scenario, load_scenario, perfect_bayesian, solve  # noqa: E402
from ui.content_files import terms  # noqa: E402
from model.files.lesson import load_lesson as read_lesson  # noqa: E402
from ui.lesson import LESSON_FILE  # noqa: E402
from ui.access import LOCAL_ENV  # noqa: E402
from ui.pages import PAGES as REGISTRY  # noqa: E402
from ui.pages import page as page_of  # noqa: E402
from ui.model_calls import shipped_names  # noqa: E402
from ui.scenario_files import handout_html_file, handout_zip_file, zip_bytes  # noqa: E402

from . import raw, reading  # noqa: E402
from .conftest import ROOT, decision, outcome, payoff_game  # noqa: E402
from .apptest import APP, page  # noqa: E402

# The live class's pages show a class's scenario, not the sidebar's: tests/test_live_pages.py tries them.
PAGES = {p.id: p.script for p in REGISTRY if p.group not in ("Explore", "Live class")} | {
    "compare": page_of("compare").script}


@pytest.fixture(autouse=True)
def teachers_laptop(monkeypatch):
    """These pages are tried as a teacher does on her own laptop: the instructor pages are on
    (tests/test_access.py keeps them from students)."""
    monkeypatch.setenv(LOCAL_ENV, "local")


MARKED = ("\u2605", "prefers", "margin", "chooses")  # what would give an answer away before the reveal


def texts(at: AppTest) -> str:
    """Every piece of text on the page: Markdown (the SVG tree too), captions, text, HTML and callouts."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.text]
    parts += [t.value for t in at.title] + [h.value for h in at.subheader]
    parts += [x.value for kind in (at.info, at.success, at.warning, at.error) for x in kind]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(parts)


def clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def scenario(name: str = "default"):
    return load_scenario(ROOT / "scenarios" / f"{name}.toml")


# -- every page on every shipped scenario -----------------------------------------------------------


@pytest.mark.parametrize("name", shipped_names())
@pytest.mark.parametrize("which", list(PAGES))
def test_every_teaching_page_runs_on_every_shipped_scenario(which, name):
    at = page(PAGES[which], preset=name)
    clean(at)
    if which != "glossary":  # the glossary defines words; it shows no scenario
        assert "illustrative assumption" in texts(at)
    if scenario(name).uncertainty is not None and which == "strategic_form":
        assert "private types" in "\n".join(w.value for w in at.info)  # one sentence: why not (tests/test_pbe_pages.py)
        return
    if which == "step_by_step":
        while not button(at, "Next").disabled:
            button(at, "Next").click().run()
            clean(at)
    if which == "predict":  # with private types too: every question scored against the perfect Bayesian equilibria
        button(at, "Reveal").click().run()
        clean(at)
        assert re.search(r"\d+ of \d+ predictions (correct|match equilibrium \d+)", texts(at))


# -- strategic form ---------------------------------------------------------------------------------


def test_strategic_form_marks_four_equilibria_one_subgame_perfect_and_names_the_cut_off_threat():
    at = page(PAGES["strategic_form"], preset="cutoff_not_credible")
    clean(at)
    (table,) = [m.value for m in at.markdown if "<table" in m.value]
    assert table.count("\u2605 SPE") == 1
    assert table.count("NE, not credible") == 3
    assert table.count("<tr>") == 1 + 6  # the header and the US's six strategies
    shown = texts(at)
    assert "**4 pure Nash equilibria**, 1 of them subgame perfect" in shown
    assert ("US plans \u201cCut the rest of the package off\u201d at \u201cA breach is confirmed: what does the US "
            "do?\u201d, but once there US prefers \u201cTolerate the breach\u201d") in shown
    assert "The plan is not credible." in shown
    assert "degenerate" in shown  # the note on mixed equilibria
    assert "**U1**: What does the US offer? \u2192 Conditional offer; A breach is confirmed" in shown  # the legend
    assert "**I24**:" in shown


def test_strategic_form_of_a_three_player_game_lists_the_equilibria_and_says_the_table_is_for_two():
    game = payoff_game({"a": "Alpha", "b": "Beta", "c": "Gamma"}, "n1", {
        "n1": decision("a", ("left", "n2"), ("right", "z3")),
        "n2": decision("b", ("up", "n3"), ("down", "z2")),
        "n3": decision("c", ("in", "z0"), ("out", "z1")),
        "z0": outcome(3, 3, 3), "z1": outcome(0, 0, 0), "z2": outcome(1, 1, 1), "z3": outcome(2, 0, 0),
    }, title="Three sides")
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.file_uploader[0].set_value(("three.toml", dumps_scenario(game).encode(), "application/toml")).run()
    clean(at)
    at.switch_page(PAGES["strategic_form"]).run()
    clean(at)
    assert any("drawn for two players" in i.value and "3" in i.value for i in at.info)
    assert not [m for m in at.markdown if "<table" in m.value]
    assert "\u2605 SPE" in texts(at)


# -- step by step -----------------------------------------------------------------------------------


def counter(at: AppTest) -> str:
    (shown,) = [m.value for m in at.markdown if m.value.startswith('<div class="co-counter">')]
    return shown.split(">")[1].split("<")[0]


def test_next_and_back_move_the_counter_and_the_last_step_is_the_root():
    at = page(PAGES["step_by_step"])
    clean(at)
    # the outcomes, then each of the ten inner nodes (nine decisions and the chance of confirmation)
    assert counter(at) == "Step 1 of 11"
    assert button(at, "Back").disabled
    assert "Start at the outcomes" in texts(at)
    button(at, "Next").click().run()
    assert counter(at) == "Step 2 of 11"
    button(at, "Back").click().run()
    assert counter(at) == "Step 1 of 11"
    for _ in range(10):
        button(at, "Next").click().run()
    clean(at)
    assert counter(at) == "Step 11 of 11"
    assert button(at, "Next").disabled
    shown = texts(at)
    assert "US: What does the US offer? \u2014 compare US's values and keep the best" in shown  # the root
    assert "subgame-perfect equilibrium" in shown


def test_the_step_starts_again_when_a_slider_or_the_scenario_changes():
    at = page(PAGES["step_by_step"])
    button(at, "Next").click().run()
    button(at, "Next").click().run()
    assert counter(at) == "Step 3 of 11"
    at.session_state["p_detect"] = 0.2
    at.run()
    assert counter(at) == "Step 1 of 11"
    button(at, "Next").click().run()
    at.selectbox(key="preset").set_value("commitment_problem").run()
    clean(at)
    assert counter(at) == "Step 1 of 11"


def test_the_partly_solved_tree_frames_the_node_being_solved():
    at = page(PAGES["step_by_step"])
    button(at, "Next").click().run()
    (svg,) = [m.value for m in at.markdown if m.value.startswith("<svg")]
    assert 'role="img"' in svg and "aria-label=" in svg
    assert 'stroke="#D55E00" stroke-width="5"' in svg  # the current node's frame
    assert "What does the US" in svg and "prefers: Conditional offer" not in svg  # the root is not solved yet


# -- predict & reveal -------------------------------------------------------------------------------


def test_nothing_of_the_answer_is_on_the_page_or_in_the_url_before_the_reveal():
    s = scenario()
    sol = solve(s)
    at = page(PAGES["predict"])
    clean(at)
    at.radio(key="prediction-us_offer").set_value("no_offer").run()  # a prediction made changes nothing
    shown = texts(at)
    for word in MARKED:
        assert word not in shown, word
    for c in sol.choices:
        assert c.explanation not in shown
    (svg,) = [m.value for m in at.markdown if m.value.startswith("<svg")]
    assert "No choices are shown" in svg
    assert all(r.value is None for r in at.radio if r.key != "prediction-us_offer")
    assert not [k for k in at.query_params if k.startswith("prediction") or k in {n.id for n in s.nodes}]
    assert set(at.query_params) <= {"preset"}


SOLVERS = ("solve", "perfect_bayesian", "candidates")  # the model calls that give an answer away


@pytest.fixture
def solutions(monkeypatch):
    """What the app solves, counted in this process: ``solved`` counts solutions computed (the
    backward induction inside ``model.solve``, the perfect Bayesian solver's batch inside
    ``perfect_bayesian`` and ``candidates``), ``asked`` counts calls ``ui.model_calls.run(fn, ...)`` of a
    solver (cached or not). Streamlit's data caches are cleared, so a solution cannot hide in them."""
    from model.core import equilibrium
    from model.core import perfect_bayesian as pbe
    from ui import model_calls

    counts = {"solved": 0, "asked": 0}
    inner, batch, run = equilibrium.backward_induction, pbe.pbe_batch, model_calls.run

    def counting(fn):
        def counted(*args, **kwargs):
            counts["solved"] += 1
            return fn(*args, **kwargs)
        return counted

    def counting_run(fn, *args, **kwargs):
        counts["asked"] += getattr(fn, "__name__", "") in SOLVERS
        return run(fn, *args, **kwargs)

    monkeypatch.setattr(equilibrium, "backward_induction", counting(inner))
    monkeypatch.setattr(pbe, "pbe_batch", counting(batch))
    monkeypatch.setattr(model_calls, "run", counting_run)

    def reset():
        import streamlit as st

        st.cache_data.clear()
        counts.update(solved=0, asked=0)

    counts["reset"] = reset
    return counts


def _page_text(block, hidden_trees: list, radios: list) -> list[str]:
    """Every string an element of the page holds (labels, values, options, help, bodies), except the
    radios and the unrevealed tree figure, which are collected apart."""
    out = []
    for el in getattr(block, "children", {}).values():
        kind = getattr(el, "type", "")
        if kind == "radio":
            radios.append(el)
            continue
        if kind == "markdown" and el.value.startswith("<svg"):
            hidden_trees.append(el.value)
            continue
        for attr in ("label", "value", "options", "help", "body", "placeholder"):
            x = getattr(el, attr, None) if not callable(getattr(type(el), attr, None)) else None
            if isinstance(x, str):
                out.append(x)
            elif isinstance(x, (list, tuple)):
                out += [str(v) for v in x]
        out += _page_text(el, hidden_trees, radios)
    return out


def expected_questions(doc: dict) -> dict[str, tuple[str, list[str]]]:
    """The radios Predict & reveal should show, rebuilt from the raw file: key -> (question, option labels).
    One per decision; with private types, one per type at each of the informed player's decisions, and the
    other sides' asked once, without seeing the type."""
    u = doc.get("uncertainty")
    players = {pid: p["name"] for pid, p in doc["players"].items()}
    out = {}
    for nid, node in doc["nodes"].items():
        if node["kind"] != "decision":
            continue
        label, who = node.get("label") or nid, players[node["player"]]
        if u is None:
            asks = {nid: ""}
        elif node["player"] == u["player"]:
            asks = {f"{tid}/{nid}": f", if its type is \u201c{t['label']}\u201d" for tid, t in u["types"].items()}
        else:
            asks = {nid: f", without seeing {players[u['player']]}'s type"}
        for key, cond in asks.items():
            text = f"{label} ({who} decides{cond})" if label.endswith("?") else f"What will {who} do at \u201c{label}\u201d{cond}?"
            out[f"prediction-{key}"] = (text, [a["label"] for a in node["actions"]])
    return out


@pytest.mark.parametrize("name", shipped_names())
def test_before_the_reveal_action_labels_are_only_answer_options_and_nothing_is_solved(name, solutions):
    """On every shipped scenario, with private types or not: before the reveal no solver runs, the radios are
    exactly the questions with their options, and no action label is anywhere else on the page (the scenarios'
    own titles aside: "Beer-quiche" is a title, not an answer); after it the model's answers are shown."""
    path = ROOT / "scenarios" / f"{name}.toml"
    doc = raw.read(path)
    decisions = {nid: n for nid, n in doc["nodes"].items() if n["kind"] == "decision"}
    asked = expected_questions(doc)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["preset"] = name
    at.run()  # Explore solves; from here on nothing may be
    solutions["reset"]()
    at.switch_page(PAGES["predict"]).run()
    first = at.radio[0].key
    node = decisions[first.removeprefix("prediction-").split("/")[-1]]
    at.radio(key=first).set_value(node["actions"][-1]["id"]).run()
    clean(at)
    assert (solutions["solved"], solutions["asked"]) == (0, 0), "the solution was computed before the reveal"

    hidden, radios = [], []
    text = "\n".join(markup_or_text for block in (at.main, at.sidebar)
                     for markup_or_text in _page_text(block, hidden, radios))
    text = reading.markup_text(text)  # every character, hidden (display:none) or not
    for other in shipped_names():
        text = text.replace(scenario(other).title, "")
    for nid, node in decisions.items():
        for a in node["actions"]:
            assert not re.search(rf"(?<!\w){re.escape(a['label'])}(?!\w)", text), (
                f"the action label {a['label']!r} is on the page outside the answer options")
    # the radios: one per question, its question and its options, and nothing else
    assert {r.key: (r.label, list(r.options)) for r in radios} == asked
    assert len(radios) == len(asked) and not any(r.help for r in radios)
    (svg,) = hidden
    if "uncertainty" in doc:
        reading.check_hidden_typed_tree(svg, doc)
    else:
        reading.check_hidden_tree(svg, doc)

    button(at, "Reveal").click().run()
    clean(at)
    assert solutions["solved"] >= 1 and solutions["asked"] >= 1, "the reveal computes the solution"
    s = load_scenario(path)
    shown = reading.scored("\n".join(m.value for m in at.markdown))
    assert [r.question for r in shown] == [text for text, _ in asked.values()]
    if "uncertainty" in doc:  # every perfect Bayesian equilibrium's choice (tests/test_pbe_pages.py reads the rest)
        eqs = perfect_bayesian(s).equilibria
        picks = [{**dict(e.strategy), **{f"{t.id}/{n}": a for t in e.types for n, a in t.choices}} for e in eqs]
    else:
        picks = [{c.node: c.action for c in solve(s).choices}]
    for row, key in zip(shown, asked):
        q = key.removeprefix("prediction-")
        node = decisions[q.split("/")[-1]]
        label = {a["id"]: a["label"] for a in node["actions"]}
        assert reading.model_answers(row.model, len(picks)) == {k: label[p[q]] for k, p in enumerate(picks, start=1)}


def test_reveal_compares_each_prediction_with_the_model_and_counts_the_correct_ones():
    sol = solve(scenario())
    at = page(PAGES["predict"])
    at.radio(key="prediction-us_offer").set_value("conditional")  # right
    at.radio(key="prediction-israel_answers").set_value("reject")  # wrong
    at.radio(key="prediction-us_responds").set_value("cut_off").run()  # right
    button(at, "Reveal").click().run()
    clean(at)
    shown = texts(at)
    assert "2 of 9 predictions correct (6 not made)" in shown
    assert "\u2713 correct" in shown and "\u2717 not what the model predicts" in shown
    assert "no prediction made" in shown
    assert "Predicted: \u201cReject\u201d \u00b7 The model: \u201cAccept\u201d" in shown
    for c in sol.choices:
        assert c.explanation in shown
    assert "\u2605" in shown  # the revealed tree
    assert not [k for k in at.query_params if k.startswith("prediction")]

    button(at, "Hide again / next round").click().run()
    clean(at)
    assert "\u2605" not in texts(at) and "predictions correct" not in texts(at)
    assert all(r.value is None for r in at.radio)


def test_the_reveal_is_undone_when_a_slider_moves():
    at = page(PAGES["predict"])
    button(at, "Reveal").click().run()
    assert "predictions correct" in texts(at)
    at.session_state["p_detect"] = 0.3
    at.run()
    clean(at)
    assert "predictions correct" not in texts(at)
    assert "\u2605" not in texts(at)


# -- the lesson -------------------------------------------------------------------------------------


def test_the_student_lesson_has_no_answers_and_the_instructor_view_has_them_all():
    lesson = read_lesson(LESSON_FILE)
    student = page(PAGES["lesson"])
    clean(student)
    shown = texts(student)
    assert lesson.title in shown and lesson.intro in shown
    for step in lesson.steps:
        assert step.title in shown and step.look_at in shown
        assert all(q in shown for q in step.questions)
        assert step.answer not in shown
        assert step.answer[:40] not in shown
    assert "margin" not in shown.replace("Israel's margin for keeping the pledge is small", "")

    teacher = page(PAGES["instructor"])
    clean(teacher)
    shown = texts(teacher)
    assert "model answers" in [w.value for w in teacher.warning][0]
    for step in lesson.steps:
        assert step.answer in shown
    # a live figure: the bargaining range of step 5
    assert ("the US prefers it to its best alternative (\u201cNo offer\u201d) when it is at most 0.723 (the most the "
            "US would give). The range is 0.277 to 0.723.") in shown


@pytest.mark.parametrize("step", read_lesson(LESSON_FILE).steps, ids=lambda s: s.id)
def test_each_lesson_step_opens_its_scenario_on_its_page(step):
    at = page(PAGES["lesson"])
    next(b for b in at.button if b.key.endswith(f"-{step.id}")).click().run()
    clean(at)
    assert at.selectbox(key="preset").value == step.scenario
    assert step.page in {p.id for p in REGISTRY}
    title = at.title[0].value
    expected = {"explore": scenario(step.scenario).title, "strategic_form": "Strategic form",
                "compare": "Compare two scenarios", "sensitivity": "Sensitivity",
                "uncertainty": "Uncertainty about the other side"}[step.page]
    assert title == expected


def test_the_scenario_survives_a_visit_to_pages_without_a_picker():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.selectbox(key="preset").set_value("commitment_problem").run()
    for path in (PAGES["glossary"], PAGES["lesson"], PAGES["instructor"], PAGES["strategic_form"]):
        at.switch_page(path).run()
        clean(at)
    assert at.selectbox(key="preset").value == "commitment_problem"
    assert scenario("commitment_problem").title in texts(at)


# -- compare ----------------------------------------------------------------------------------------


def test_compare_default_with_no_bargaining_range_lists_the_two_changed_parameters():
    at = page(PAGES["compare"])
    at.selectbox(key="compare-b").set_value("no_bargaining_range").run()
    clean(at)
    changed = frames(at)[0]
    assert sorted(changed["Parameter"]) == ["Israel weight: intelligence value", "US weight: cost of sharing"]
    rows = changed.set_index("Parameter")
    assert (rows.loc["US weight: cost of sharing", "A"], rows.loc["US weight: cost of sharing", "B"]) == (0.85, 1.0)
    assert (rows.loc["Israel weight: intelligence value", "A"],
            rows.loc["Israel weight: intelligence value", "B"]) == (0.65, 0.25)
    shown = texts(at)
    assert "The equilibrium play differs." in shown
    payoffs = frames(at)[1]
    # by hand: conditional offer, rejected, withheld, an operation: US -0.42 + 0.1 (standing from asking)
    assert payoffs.set_index("Side").loc["US", "Expected utility in B"] == pytest.approx(-0.32)
    choices = frames(at)[2]
    assert list(choices["Chooses in A"]) == ["Accept"]
    assert list(choices["Chooses in B"]) == ["Reject"]
    assert "Size of the intelligence package" in set(frames(at)[3]["Parameter"])

    at.selectbox(key="compare-a").set_value("default").run()  # the shipped default: the same as the current state
    clean(at)
    assert len(frames(at)[0]) == 2


def test_compare_uses_the_explore_sliders_for_the_current_state():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.slider(key="p_detect").set_value(0.5).run()
    at.switch_page(PAGES["compare"]).run()
    at.selectbox(key="compare-b").set_value("default").run()
    clean(at)
    assert list(frames(at)[0]["Parameter"]) == ["Chance a breach is confirmed"]
    assert "The same equilibrium play in both." in texts(at)  # the pledge is kept above 0.2766
    at.switch_page(page_of("explore").script).run()
    at.slider(key="p_detect").set_value(0.2).run()
    at.switch_page(PAGES["compare"]).run()
    clean(at)
    assert "The equilibrium play differs." in texts(at)


# -- glossary and handouts --------------------------------------------------------------------------


def test_the_glossary_lists_every_term():
    at = page(PAGES["glossary"])
    clean(at)
    shown = texts(at)
    for _, term, text in terms():
        assert f"**{term}**" in shown and text in shown


def test_the_explore_page_offers_both_handouts():
    at = AppTest.from_file(APP, default_timeout=60).run()
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Download handout (HTML)" in labels and "Download handout (Markdown + SVG, .zip)" in labels


def test_the_handout_builders_make_html_and_a_zip_of_markdown_and_svg():
    s = scenario()
    values = {**s.values, "p_detect": 0.2}
    html = handout_html_file("preset:default", s, values).decode("utf-8")
    assert html.startswith("<!doctype html>") and s.title in html
    assert "US: No offer \u2192 Israel: Operate without the intelligence" in html  # at these values, no offer
    with zipfile.ZipFile(io.BytesIO(handout_zip_file("preset:default", s, values, stem="default"))) as z:
        names = z.namelist()
        assert sorted(n.rsplit(".", 1)[1] for n in names) == ["md", "svg"]
        md = z.read(next(n for n in names if n.endswith(".md"))).decode("utf-8")
        svg_name = next(n for n in names if n.endswith(".svg"))
        assert md.startswith(f"# {s.title}") and f"]({svg_name})" in md
        assert z.read(svg_name).startswith(b"<svg")
    with zipfile.ZipFile(io.BytesIO(zip_bytes({"a.txt": b"x"}))) as z:
        assert z.read("a.txt") == b"x"
