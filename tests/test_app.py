"""The Streamlit app, driven by AppTest: on every scenario the page shows what the solver says (cards,
headline, tree), sliders flip choices, files, links."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest  # noqa: E402

from model import bayesian_thresholds, describe_path, fmt, load_scenario, loads_scenario, perfect_bayesian, \
    prior_parameters, prior_switches, prob, solve, thresholds  # noqa: E402
from ui.model_calls import shipped_names  # noqa: E402
from ui.scenario_files import state_file  # noqa: E402

from . import raw, reading  # noqa: E402
from .conftest import ROOT, moved_points  # noqa: E402

APP = str(ROOT / "ui" / "app.py")


def app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


def slider(at: AppTest, pid: str):
    return at.slider(key=pid)


def check_explore_shows(at: AppTest, doc: dict, scenario, values: dict) -> None:
    """What a person reads on Explore is what the solver says at ``values``: each side's card names the
    solver's choice at every one of its decisions (starred on equilibrium play), with each option's
    value and the explanation; the headline is equilibrium play in words; the tree stars the path."""
    sol = solve(scenario, values=values)
    on_path = {s.node for s in sol.path if s.action is not None}
    names = {pid: p["name"] for pid, p in doc["players"].items()}
    card_md = [m.value for m in at.markdown if 'class="co-card"' in m.value]
    assert sum(m.count('class="co-card"') for m in card_md) == len(names), "one card per side"
    shown = reading.cards("".join(card_md))
    assert sorted(shown) == sorted(names.values())
    for pid, name in names.items():
        mine = {nid: n for nid, n in doc["nodes"].items() if n["kind"] == "decision" and n["player"] == pid}
        card = {node.question: node for node in shown[name]}
        assert sorted(card) == sorted(n.get("label") or nid for nid, n in mine.items()), name
        for nid, node in mine.items():
            c = sol.choice(nid)
            labels = {a["id"]: a["label"] for a in node["actions"]}
            got = card[node.get("label") or nid]
            assert got.choice == labels[c.action], (
                f"{name}'s card at {nid!r} shows {got.choice!r}; the solver chooses {labels[c.action]!r}")
            assert got.bold == [labels[c.action]], (nid, got.bold)
            assert (got.starred, got.off_path) == (nid in on_path, nid not in on_path), nid
            assert [label for label, _ in got.options] == [a["label"] for a in node["actions"]], nid
            for (label, value), a in zip(got.options, node["actions"]):
                assert abs(float(value) - c.value(a["id"])) <= 0.0051, (nid, label, value, c.value(a["id"]))
            assert got.why == c.explanation, nid
    (head_md,) = [m.value for m in at.markdown if 'class="co-path"' in m.value]
    path_text, utilities = reading.headline(head_md)
    assert path_text == "Equilibrium play: " + describe_path(scenario, sol)
    moves = [m for m in path_text.removeprefix("Equilibrium play: ").split(" \u2192 ") if not m.startswith("chance:")]
    assert moves == [f"{names[s.player]}: {next(a['label'] for a in doc['nodes'][s.node]['actions'] if a['id'] == s.action)}"
                     for s in sol.path if s.action is not None]
    assert sorted(utilities) == sorted(names.values())
    for pid, value in sol.payoffs:
        assert abs(float(utilities[names[pid]]) - value) <= 0.0051, (pid, utilities, value)
    (svg,) = [re.search(r"<svg.*?</svg>", m.value, re.S).group(0) for m in at.markdown
              if "<svg" in m.value and "Game tree" in m.value]
    reading.check_tree(svg, doc, sol)


def check_explore_shows_types(at: AppTest, scenario, values: dict) -> None:
    """For a scenario with private types, what a person reads on Explore is what the perfect Bayesian solver
    says at ``values``: the number of equilibria and the set's sentence, each equilibrium's kind, the uninformed
    side's choices and each type's play; the shown equilibrium's beliefs; ★ under each slider where the set
    changes, and the type-set sliders marked unused. No full-information headline."""
    r = perfect_bayesian(scenario, values=values)
    text = texts(at)
    assert f"Perfect Bayesian equilibria in pure strategies at these values: **{len(r.equilibria)}**." in text
    said = [i.value for i in at.info] + [w.value for w in at.warning]
    assert r.sentence in said
    assert 'class="co-path"' not in text
    reading.check_equilibrium_cards(text, [m.value for m in at.markdown], scenario, r, prob)
    shown = [m.value for m in at.markdown if m.value.startswith(":material/visibility")]
    beliefs = r.equilibria[0].beliefs if r.equilibria else ()
    assert len(shown) == len(beliefs)
    first = r.types[0][0]
    for line, b in zip(shown, beliefs):
        if b.belief is not None:
            (number,) = re.findall(r"with probability ([0-9.]+):", line)
            assert float(number) == pytest.approx(dict(b.belief)[first], abs=0.005)
    found = bayesian_thresholds(scenario, values=values)
    for p in scenario.parameters:
        label = slider(at, p.id).label
        if p.id in found.skipped:
            assert "set by the types" in label, p.id
        at_ = [f.value for f in found.flips if f.parameter == p.id]
        assert ("\u2605 equilibria change at " in label) == bool(at_), (p.id, label)
        for v in at_:
            assert f"{v:.3g}" in label, (p.id, label, v)


def past_a_prior_switch(scenario) -> dict[str, float]:
    """The prior's slider moved on its step grid just past the switch of the equilibrium set nearest its
    default, where the perfect Bayesian solver gives another set."""
    (prior,) = prior_parameters(scenario)
    p = scenario.parameter(prior)
    now = perfect_bayesian(scenario)
    for f in sorted(prior_switches(scenario).flips, key=lambda f: abs(f.value - p.default)):
        toward = 1 if f.value >= p.default else -1
        x = min(p.max, max(p.min, round(round(f.value / p.step) * p.step + toward * p.step, 10)))
        moved = perfect_bayesian(scenario, values={prior: x})
        if [(e.kind, e.strategy) for e in moved.equilibria] != [(e.kind, e.strategy) for e in now.equilibria]:
            return {prior: x}
    raise AssertionError(f"no switch of the equilibrium set along {prior}")


@pytest.mark.parametrize("name", shipped_names())
def test_every_shipped_scenario_shows_the_solvers_choices_before_and_after_a_slider_move(name):
    at = app(preset=name)
    assert not at.exception
    assert not at.error
    path = ROOT / "scenarios" / f"{name}.toml"
    scenario, doc = load_scenario(path), raw.read(path)
    assert at.title[0].value == scenario.title
    assert "illustrative assumption" in texts(at)
    if scenario.uncertainty is not None:  # private types: Explore solves the game with them
        assert len(at.slider) == len(scenario.parameters)
        check_explore_shows_types(at, scenario, {})
        point = past_a_prior_switch(scenario)
        (pid, x), = point.items()
        slider(at, pid).set_value(x).run()
        assert not at.exception and not at.error
        check_explore_shows_types(at, scenario, point)
        return
    assert len(at.slider) == len(scenario.parameters)
    check_explore_shows(at, doc, scenario, {})
    (point,) = moved_points(scenario, 1)  # one slider just past a flip of equilibrium play
    (pid, x), = point.items()
    slider(at, pid).set_value(x).run()
    assert not at.exception and not at.error
    check_explore_shows(at, doc, scenario, point)


def test_the_cards_follow_several_sliders_moved_at_once():
    path = ROOT / "scenarios" / "default.toml"
    scenario, doc = load_scenario(path), raw.read(path)
    at = app()
    point = {"p_detect": 0.2, "w_us_mediator": 0.9, "w_il_deterrence": 0.85, "package": 0.35}
    for pid, x in point.items():
        slider(at, pid).set_value(x)
    at.run()
    check_explore_shows(at, doc, scenario, point)


def test_moving_a_slider_past_its_threshold_changes_the_displayed_choice():
    scenario = load_scenario(ROOT / "scenarios" / "default.toml")
    (t,) = [t for t in thresholds(scenario, parameters=["p_detect"]) if t.node == "israel_keeps_pledge"]
    at = app()
    assert "Equilibrium play: US: Conditional offer \u2192 Israel: Accept \u2192 Israel: Keep the pledge" in texts(at)
    slider(at, "p_detect").set_value(0.25).run()  # the threshold is at 0.2766
    assert t.value > 0.25
    shown = texts(at)
    assert "Israel: Keep the pledge" not in shown.split("Equilibrium play:")[1].split("\n")[0]
    assert "Israel now chooses \u201cBreak the pledge (operate)\u201d" in shown
    assert "before: \u201cKeep the pledge (hold back)\u201d" in shown
    expected = solve(scenario, values={"p_detect": 0.25})
    assert "Equilibrium play: US: No offer" in shown and [s.action for s in expected.path][0] == "no_offer"


def test_each_slider_shows_the_thresholds_inside_its_range():
    at = app()
    assert slider(at, "p_detect").label.endswith(":gray[flips at 0.277 Israel/US\u2605]")
    assert "flips" not in slider(at, "w_us_mediator").label  # no choice flips in its range
    slider(at, "tolerate_credibility_cost").set_value(0.1).run()  # the labels follow the other sliders' values
    assert slider(at, "p_detect").label.endswith(":gray[flips at 0.745 Israel/US\u2605]")
    assert slider(at, "tolerate_credibility_cost").value == pytest.approx(0.1)


def test_a_link_opens_with_the_notes_of_its_own_values():
    at = app(p_detect="0.2")
    assert slider(at, "p_detect").value == pytest.approx(0.2)
    # the flip points of another slider are those at p_detect = 0.2, not at the scenario's 0.6
    from model.analyses.thresholds import thresholds

    scenario = load_scenario(ROOT / "scenarios" / "default.toml")
    found = thresholds(scenario, parameters=["w_il_deterrence"], values={"p_detect": 0.2})
    last = f"{found[-1].value:.3g}"
    assert last != f"{thresholds(scenario, parameters=['w_il_deterrence'])[-1].value:.3g}"  # 0.612, not 0.907
    assert last in slider(at, "w_il_deterrence").label


def test_query_parameters_prefill_the_sliders():
    at = app(p_detect="0.2")
    assert slider(at, "p_detect").value == pytest.approx(0.2)
    assert "Equilibrium play: US: No offer" in texts(at)


@pytest.mark.parametrize("raw", ["abc", "2", "nan", "1e308", "-0.5", "x" * 10_000])
def test_a_bad_link_value_is_ignored_with_a_visible_note(raw):
    at = app(p_detect=raw)
    assert not at.exception
    assert slider(at, "p_detect").value == pytest.approx(0.6)
    assert any("Chance a breach is confirmed" in w.value and "ignored" in w.value for w in at.warning)


def test_unknown_link_keys_are_noted_and_ignored():
    at = app(colour="red")
    assert not at.exception
    assert any("unknown setting" in w.value for w in at.warning)


def test_reset_button_restores_the_scenario_values():
    at = app()
    slider(at, "p_detect").set_value(0.1).run()
    assert slider(at, "p_detect").value == pytest.approx(0.1)
    at.button[0].click().run()
    assert slider(at, "p_detect").value == pytest.approx(0.6)


def test_switching_scenario_resets_the_sliders_to_its_values():
    at = app()
    at.selectbox(key="preset").set_value("commitment_problem").run()
    assert slider(at, "p_detect").value == pytest.approx(0.15)
    assert "Equilibrium play: US: No offer" in texts(at)


def test_a_bad_upload_shows_the_error_and_keeps_the_state():
    at = app()
    slider(at, "p_detect").set_value(0.2).run()
    at.file_uploader[0].set_value(("broken.toml", b'schema_version = 1\ntitle = "x"\nroot = "nowhere"\n',
                                   "application/toml")).run()
    assert not at.exception
    (err,) = at.error
    assert "broken.toml" in err.value and "not opened" in err.value and "players" in err.value
    assert slider(at, "p_detect").value == pytest.approx(0.2)
    assert "Equilibrium play: US: No offer" in texts(at)


def test_a_good_upload_replaces_the_scenario():
    # weak monitoring and a US that minds sharing less: the pledge is accepted and broken
    scenario = load_scenario(ROOT / "scenarios" / "default.toml").with_values({"p_detect": 0.05, "w_us_sharing": 0.4})
    at = app()
    at.file_uploader[0].set_value(("mine.toml", state_file(scenario, scenario.values), "application/toml")).run()
    assert not at.exception and not at.error
    assert slider(at, "p_detect").value == pytest.approx(0.05)
    assert "Israel: Break the pledge" in texts(at)
    assert any("uploaded file" in i.value for i in at.info)


@pytest.mark.parametrize("fmt", [".toml", ".json"])
def test_the_downloaded_state_loads_back_equal(fmt):
    scenario = load_scenario(ROOT / "scenarios" / "default.toml")
    values = {**scenario.values, "p_detect": 0.35, "w_us_mediator": 0.65}
    data = state_file(scenario, values, fmt=fmt)
    again = loads_scenario(data, name=f"state{fmt}")
    assert again.values == values
    assert again == scenario.with_values(values)


def test_saving_to_the_configured_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CONDITIONAL_OFFER_SAVE_DIR", str(tmp_path))
    at = app()
    slider(at, "p_detect").set_value(0.3).run()
    at.text_input(key="save-name").input("class-demo")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    assert any("Saved as class-demo.toml" in s.value for s in at.success)
    assert load_scenario(tmp_path / "class-demo.toml").values["p_detect"] == 0.3
    at.text_input(key="save-name").input("default")
    next(b for b in at.button if b.label == "Save").click().run()
    assert any("shipped scenario" in e.value for e in at.error)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["class-demo.toml"]


def test_explore_states_the_scenarios_lesson_in_one_sentence():
    """The preset's ``teaches`` sentence (the README's table row) is on the Explore page, with its description."""
    for name in ("default", "share_anyway"):
        at = app(preset=name)
        scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
        shown = [m.value for m in at.markdown]
        assert f"**In one sentence:** {scenario.teaches}" in shown
