"""The Streamlit app, driven by AppTest: every scenario runs, sliders flip choices, files, links."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest  # noqa: E402

from model import load_scenario, loads_scenario, solve, thresholds  # noqa: E402
from ui.model_calls import shipped_names  # noqa: E402
from ui.scenario_files import state_file  # noqa: E402

from .conftest import ROOT  # noqa: E402

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


@pytest.mark.parametrize("name", shipped_names())
def test_app_runs_without_exception_on_every_shipped_scenario(name):
    at = app(preset=name)
    assert not at.exception
    assert not at.error
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    assert at.title[0].value == scenario.title
    assert "illustrative assumption" in texts(at)
    if scenario.uncertainty is not None:  # private types: this page says it answers for neither, and points on
        assert "Uncertainty page" in "\n".join(w.value for w in at.warning)
        return
    assert len(at.slider) == len(scenario.parameters)


def test_moving_a_weight_past_its_threshold_changes_the_displayed_choice():
    scenario = load_scenario(ROOT / "scenarios" / "default.toml")
    (t,) = [t for t in thresholds(scenario, parameters=["w_il_deterrence"]) if t.node == "israel_keeps_pledge"]
    at = app()
    assert "Equilibrium play: US: Conditional offer \u2192 Israel: Accept \u2192 Israel: Keep the pledge" in texts(at)
    slider(at, "w_il_deterrence").set_value(0.75).run()  # the threshold is at 0.733
    assert t.value < 0.75
    shown = texts(at)
    assert "Israel: Keep the pledge" not in shown.split("Equilibrium play:")[1].split("\n")[0]
    assert "Israel now chooses \u201cBreak the pledge (operate)\u201d" in shown
    assert "before: \u201cKeep the pledge (hold back)\u201d" in shown
    expected = solve(scenario, values={"w_il_deterrence": 0.75})
    assert "Share unconditionally" in shown and [s.action for s in expected.path][0] == "unconditional"


def test_each_slider_shows_the_thresholds_inside_its_range():
    at = app()
    assert slider(at, "p_detect").label.endswith(":gray[flips at 0.0769 US\u2605, 0.485 Israel/US\u2605]")
    assert "flips" not in slider(at, "w_us_deterrence").label  # no choice flips in its range
    slider(at, "w_us_mediator").set_value(0.7).run()  # the labels follow the other sliders' values
    assert slider(at, "p_detect").label != "Chance a breach is confirmed \u00b7 :gray[flips at 0.0769 US\u2605, 0.485 Israel/US\u2605]"
    assert slider(at, "w_us_mediator").value == pytest.approx(0.7)


def test_a_link_opens_with_the_notes_of_its_own_values():
    at = app(p_detect="0.3")
    assert slider(at, "p_detect").value == pytest.approx(0.3)
    # the flip points of another slider are those at p_detect = 0.3, not at the scenario's 0.6
    from model.analyses.thresholds import thresholds

    scenario = load_scenario(ROOT / "scenarios" / "default.toml")
    found = thresholds(scenario, parameters=["w_il_deterrence"], values={"p_detect": 0.3})
    first = f"{found[0].value:.3g}"
    assert f"flips at {first}" in slider(at, "w_il_deterrence").label


def test_query_parameters_prefill_the_sliders():
    at = app(p_detect="0.3")
    assert slider(at, "p_detect").value == pytest.approx(0.3)
    assert "Equilibrium play: US: Share unconditionally" in texts(at)


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
    at.selectbox(key="preset").set_value("pledge_broken").run()
    assert slider(at, "p_detect").value == pytest.approx(0.05)
    assert "Israel: Break the pledge" in texts(at)


def test_a_bad_upload_shows_the_error_and_keeps_the_state():
    at = app()
    slider(at, "p_detect").set_value(0.3).run()
    at.file_uploader[0].set_value(("broken.toml", b'schema_version = 1\ntitle = "x"\nroot = "nowhere"\n',
                                   "application/toml")).run()
    assert not at.exception
    (err,) = at.error
    assert "broken.toml" in err.value and "not opened" in err.value and "players" in err.value
    assert slider(at, "p_detect").value == pytest.approx(0.3)
    assert "Equilibrium play: US: Share unconditionally" in texts(at)


def test_a_good_upload_replaces_the_scenario():
    scenario = load_scenario(ROOT / "scenarios" / "default.toml").with_values({"p_detect": 0.05})
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
