"""The Sensitivity and Uncertainty pages, driven by AppTest, and their pure pieces: tables, CSV, exports."""

from __future__ import annotations

import csv
import io
import re
import statistics
import time

import numpy as np
import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest  # noqa: E402

from model import load_scenario, thresholds, to_efg  # noqa: E402
from model import bayesian_region_map, fmt, monte_carlo, prob, one_way, perfect_bayesian, prior_parameters, \
    prior_switches, region_map, tornado, what_it_takes  # noqa: E402
from ui import bayesian, charts, tables  # noqa: E402
from ui import state as ui_state  # noqa: E402
from ui.model_calls import shipped_names  # noqa: E402
from ui.pages import page as page_of  # noqa: E402
from ui.sections import monte_carlo as mc_section  # noqa: E402
from ui.sections import one_way as one_way_section  # noqa: E402
from ui.sections import region_map as region_section  # noqa: E402
from ui.sections import sections  # noqa: E402
from ui.sections import tornado as tornado_section  # noqa: E402
from ui.sections import what_it_takes as wit_section  # noqa: E402
from ui.sections.common import two_that_matter  # noqa: E402
from ui.views import uncertainty as uncertainty_view  # noqa: E402

from .conftest import ROOT  # noqa: E402
from .apptest import APP, page  # noqa: E402
from . import reading  # noqa: E402

SENSITIVITY = page_of("sensitivity").script
UNCERTAINTY = page_of("uncertainty").script
SECTIONS = tuple(s.TITLE for s in sections("sensitivity"))
TAB = "analysis-tab"
FAST = 0.5  # s: a cached rerun of a page (measured at about 20 ms; generous for a busy CI machine)


def open_tab(at: AppTest, section: str) -> AppTest:
    at.session_state[TAB] = section
    return at.run()


def texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info])


def run_button(at: AppTest):
    return next(b for b in at.button if b.label == "Run")


def frames(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def clean(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


# -- the pages on every shipped scenario ------------------------------------------------------------


@pytest.mark.parametrize("name", shipped_names())
def test_sensitivity_runs_every_section_on_every_shipped_scenario(name):
    at = page(SENSITIVITY, preset=name)
    clean(at)
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    assert scenario.title in texts(at)
    assert "illustrative assumption" in texts(at)
    if scenario.uncertainty is not None:  # private types: one sentence why not, no full-information analysis
        (why,) = [i.value for i in at.info]
        assert "does not cover a scenario with private types" in why and "perfect Bayesian" in why
        assert not at.tabs and not at.dataframe and not at.get("vega_lite_chart")
        assert [b.label for b in at.button if b.label.startswith("Open")] == ["Open Explore", "Open the Uncertainty page"]
        next(b for b in at.button if b.label == "Open the Uncertainty page").click().run()
        check_uncertainty_page(at, name, {})  # the button leads to the page that answers
        return
    for section in SECTIONS:
        open_tab(at, section)
        clean(at)
    open_tab(at, "One-way")
    assert len(at.get("vega_lite_chart")) == 1
    assert len(at.dataframe) >= 1


@pytest.mark.parametrize("name", shipped_names())
def test_uncertainty_page_runs_on_every_shipped_scenario(name):
    at = page(UNCERTAINTY, preset=name)
    clean(at)
    assert "illustrative assumption" in texts(at)


def test_the_pages_keep_the_scenario_and_the_explore_sliders():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.selectbox(key="preset").set_value("commitment_problem").run()
    at.slider(key="w_us_mediator").set_value(0.65).run()
    at.switch_page(SENSITIVITY).run()
    clean(at)
    assert load_scenario(ROOT / "scenarios" / "commitment_problem.toml").title in texts(at)
    assert "US weight: mediator standing = 0.65" in texts(at)
    at.switch_page(UNCERTAINTY).run()
    assert load_scenario(ROOT / "scenarios" / "commitment_problem.toml").title in texts(at)
    at.switch_page(page_of("explore").script).run()
    assert at.slider(key="w_us_mediator").value == pytest.approx(0.65)


def test_a_scenario_without_parameters_is_said_so_not_crashed():
    scenario = load_scenario(ROOT / "scenarios" / "default.toml")
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.file_uploader[0].set_value(("flat.efg", to_efg(scenario).encode(), "text/plain")).run()
    at.switch_page(SENSITIVITY).run()
    clean(at)
    assert "nothing to vary" in texts(at)
    at.switch_page(UNCERTAINTY).run()
    clean(at)


# -- the sections -----------------------------------------------------------------------------------


def test_one_way_marks_the_flips_of_the_chosen_slider():
    at = open_tab(page(SENSITIVITY), "One-way")
    at.selectbox(key=ui_state.section_key("one_way", "param")).set_value("p_detect").run()
    clean(at)
    bands, curve_flips = frames(at)[0], frames(at)[1]
    assert "US: No offer \u2192 Israel: Operate without the intelligence" in set(bands["Equilibrium play"])
    assert any(abs(v - 0.2766) < 1e-3 for v in curve_flips["At"])
    assert bands["Holds at the current value"].sum() == 1


def test_region_map_defaults_to_two_different_parameters_and_names_the_regions():
    at = open_tab(page(SENSITIVITY), "Region map")
    clean(at)
    x, y = at.selectbox(key=ui_state.section_key("region_map", "x")).value, at.selectbox(key=ui_state.section_key("region_map", "y")).value
    assert x != y
    regions = frames(at)[0]
    assert regions["Share of the map"].sum() == pytest.approx(1.0)
    assert regions["Current values here"].sum() == 1


def test_tornado_lists_every_parameter_and_flags_outcome_changes():
    at = open_tab(page(SENSITIVITY), "Tornado")
    clean(at)
    table = frames(at)[0]
    assert len(table) == len(load_scenario(ROOT / "scenarios" / "default.toml").parameters)
    assert table["Changes the outcome"].any() and not table["Changes the outcome"].all()
    swings = table[["US: swing", "Israel: swing"]].abs().max(axis=1).to_numpy()
    assert np.all(np.diff(swings) <= 1e-12)  # sorted, largest first


def test_monte_carlo_form_runs_and_the_shares_sum_to_one():
    at = open_tab(page(SENSITIVITY), "Monte Carlo")
    assert not at.dataframe  # nothing runs before the button
    at.number_input(key=mc_section.DRAWS).set_value(20_000)
    at.number_input(key=mc_section.SEED).set_value(7)
    run_button(at).click().run()
    clean(at)
    shares = frames(at)[0]
    assert shares["Share"].sum() == pytest.approx(1.0)
    assert shares["Draws"].sum() == 20_000
    assert (shares["95% low"] <= shares["Share"]).all() and (shares["Share"] <= shares["95% high"]).all()
    assert "Share of its variance explained (first order)" in frames(at)[1].columns
    at.run()  # the result stays on screen (from the cache) on the next rerun
    assert frames(at)[0]["Share"].sum() == pytest.approx(1.0)


def test_monte_carlo_around_the_current_values_with_dirichlet_weights():
    at = open_tab(page(SENSITIVITY), "Monte Carlo")
    at.number_input(key=mc_section.DRAWS).set_value(10_000)
    at.radio(key=mc_section.MODE).set_value("spread")
    at.slider(key=mc_section.SPREAD).set_value(0.05)
    at.number_input(key=mc_section.CONCENTRATION).set_value(50.0)
    run_button(at).click().run()
    clean(at)
    assert frames(at)[0]["Share"].sum() == pytest.approx(1.0)
    assert "concentration 50" in texts(at)


def test_what_it_takes_for_a_reachable_target_says_what_becomes_the_equilibrium():
    at = open_tab(page(SENSITIVITY), "What would it take")
    target = (("us_offer", "unconditional"), ("israel_after_sharing", "operate"))
    at.selectbox(key=wit_section.TARGET).set_value(target)
    run_button(at).click().run()
    clean(at)
    (sentence,) = [i.value for i in at.info if "equilibrium" in i.value]
    assert "becomes the equilibrium" in sentence
    changes = frames(at)[0]
    assert list(changes.columns) == ["Slider", "Now", "Needed", "Move (share of its range)"]
    assert len(changes) >= 1


def test_a_changed_slider_asks_for_a_new_run_instead_of_showing_stale_results():
    at = open_tab(page(SENSITIVITY), "Monte Carlo")
    at.number_input(key=mc_section.DRAWS).set_value(5_000)
    run_button(at).click().run()
    assert at.dataframe
    at.session_state["p_detect"] = 0.3
    at.run()
    assert not at.dataframe
    assert "press Run" in texts(at)


# -- the Uncertainty page ---------------------------------------------------------------------------


TYPED = [n for n in shipped_names() if load_scenario(ROOT / "scenarios" / f"{n}.toml").uncertainty is not None]


def check_uncertainty_page(at: AppTest, name: str, values: dict[str, float]) -> None:
    """What a person reads on the Uncertainty page is what the solver says at ``values``: the set's sentence,
    each equilibrium's kind, the uninformed side's choices and each type's play; the shown equilibrium's belief
    numbers; each change along the prior with the side the current value is on; the region map's regions."""
    s = load_scenario(ROOT / "scenarios" / f"{name}.toml")
    r = perfect_bayesian(s, values=values)
    now = {**s.values, **values}
    clean(at)
    text = texts(at)
    assert r.sentence in [i.value for i in at.info]
    assert reading.check_equilibrium_cards(text, [m.value for m in at.markdown], s, r, prob)
    first = r.types[0][0]
    shown = [m.value for m in at.markdown if m.value.startswith(":material/visibility")]
    assert len(shown) == len(r.equilibria[0].beliefs)
    for line, b in zip(shown, r.equilibria[0].beliefs):
        if b.belief is not None:
            (number,) = re.findall(r"with probability ([0-9.]+):", line)
            assert float(number) == pytest.approx(dict(b.belief)[first], abs=0.005)
        else:
            lo, hi = re.findall(r"from ([0-9]+\.[0-9]+) to ([0-9]+\.[0-9]+)", line)[0]
            assert (float(lo), float(hi)) == pytest.approx(b.support, abs=0.005)
    flips = prior_switches(s, values=values).flips
    assert flips, "each typed preset's equilibria change along its prior"
    for f in flips:
        side = "below" if now[f.parameter] < f.value else "above"
        assert (f"= {uncertainty_view.number(f.value)}** the equilibria change: below it *{f.below}*; above it "
                f"*{f.above}* (now {uncertainty_view.number(now[f.parameter])}: {side})") in text
    (prior,) = prior_parameters(s)
    typed = {n for ty in s.uncertainty.types for n, _ in ty.values}
    others = [p.id for p in s.parameters if p.id != prior and p.id not in typed and p.max > p.min]
    if not others:  # beer-quiche: every other slider is set by the types, so there is no second slider
        assert "no second slider to map against the prior" in text
        assert not at.get("vega_lite_chart") and not [d for d in frames(at) if "Region" in d.columns]
        return
    y = at.selectbox(key=ui_state.PBE_REGION_Y).value
    assert y in others
    rm = bayesian_region_map(s, values=values, x=prior, y=y)
    (regions,) = [d for d in frames(at) if "Region" in d.columns]
    assert list(regions[uncertainty_view.SET]) == list(rm.sets)
    assert list(regions["Current values here"]) == [k == rm.current_set for k in range(len(rm.sets))]
    assert len(at.get("vega_lite_chart")) == 1
    (svg,) = [m.value for m in at.markdown if "<svg" in m.value]
    assert "information sets dashed" in svg


@pytest.mark.parametrize("name", TYPED)
def test_uncertainty_page_shows_the_perfect_bayesian_equilibria(name):
    check_uncertainty_page(page(UNCERTAINTY, preset=name), name, {})


def test_uncertainty_page_follows_the_prior_past_its_switch():
    """Past the switch (0.375 in screening.toml) the page shows the pooling equilibrium, the belief 0.5 and
    that the current value is now above the switch."""
    at = page(UNCERTAINTY, preset="screening", p_high="0.5")
    check_uncertainty_page(at, "screening", {"p_high": 0.5})
    assert "**Equilibrium 1: pooling**" in texts(at) and "with probability 0.50" in texts(at)
    assert "(now 0.5: above)" in texts(at)


def test_uncertainty_page_on_default_says_there_is_none_and_offers_an_example():
    at = page(UNCERTAINTY)
    clean(at)
    assert "no uncertainty section" in texts(at)
    example = TYPED[0]
    title = load_scenario(ROOT / "scenarios" / f"{example}.toml").title
    (button,) = [b for b in at.button if title in b.label]
    button.click().run()
    clean(at)
    assert at.selectbox(key="preset").value == example
    check_uncertainty_page(at, example, {})


# -- speed ------------------------------------------------------------------------------------------


def test_cached_reruns_are_fast():
    at = page(SENSITIVITY)
    for section in SECTIONS:
        open_tab(at, section)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        assert statistics.median(times) < FAST, (section, times)
    at.switch_page(UNCERTAINTY).run()
    t0 = time.perf_counter()
    at.run()
    assert time.perf_counter() - t0 < FAST


# -- pure pieces: tables, CSV and chart exports ----------------------------------------------------


@pytest.fixture(scope="module")
def results():
    s = load_scenario(ROOT / "scenarios" / "default.toml")
    u = load_scenario(ROOT / "scenarios" / "screening.toml")
    target = (("us_offer", "conditional"), ("israel_answers", "reject"), ("us_after_reject", "withhold"),
              ("israel_after_withholding", "operate"))
    return {
        "s": s, "u": u,
        "pbe": perfect_bayesian(u),
        "pbe_region": bayesian_region_map(u, x="p_high", y="w_us_sharing", points=40),
        "one_way": one_way(s, parameter="p_detect"),
        "region": region_map(s, x="p_detect", y="w_us_mediator", points=60),
        "tornado": tornado(s),
        "mc": monte_carlo(s, draws=5_000, seed=1),
        "wit": what_it_takes(s, target=target, unlocked=["w_us_mediator", "w_il_deterrence"]),
    }


def parse(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_csv_builders_produce_parseable_csv(results):
    s, u = results["s"], results["u"]
    built = {
        "segments": one_way_section.one_way_segments(s, results["one_way"]),
        "curve": one_way_section.one_way_curve(s, results["one_way"]),
        "flips": tables.flips(s, results["one_way"].thresholds),
        "regions": region_section.region_summary(s, results["region"]),
        "grid": region_section.region_grid(s, results["region"]),
        "tornado": tornado_section.tornado_rows(s, results["tornado"]),
        "shares": mc_section.mc_outcomes(s, results["mc"]),
        "importance": mc_section.mc_importance(s, results["mc"]),
        "changes": wit_section.wit_changes(s, results["wit"]),
        "pbe regions": uncertainty_view.region_rows(u, results["pbe_region"]),
        "beliefs": bayesian.belief_rows(u, results["pbe"], results["pbe"].equilibria[0]),
        "belief values": bayesian.value_rows(u, results["pbe"], results["pbe"].equilibria[0], "us_offer"),
    }
    for name, rows in built.items():
        back = parse(tables.csv_bytes(rows))
        assert len(back) == len(rows) > 0, name
        assert list(back[0]) == list(rows[0]), name
    assert len(built["curve"]) == 201 and len(built["grid"]) == 60 * 60
    assert sum(float(r["Share"]) for r in parse(tables.csv_bytes(built["shares"]))) == pytest.approx(1.0)
    assert parse(region_section.region_grid_csv(s, results["region"])) == parse(tables.csv_bytes(built["grid"]))
    assert tables.csv_bytes([]) == b""


def test_csv_keeps_commas_quotes_and_non_ascii_text():
    rows = [{"Play": 'US: "Offer", then \u2192 Israel', "Value": 0.1234567891234}]
    (back,) = parse(tables.csv_bytes(rows))
    assert back == {"Play": rows[0]["Play"], "Value": "0.1234567891234"}


def test_runs_put_boundaries_on_the_flip_thresholds():
    xs = np.linspace(0, 1, 11)
    path = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    assert np.allclose(one_way_section.runs(xs, path, cuts=[0.27]), [(0.0, 0.27, 0), (0.27, 0.65, 1), (0.65, 1.0, 2)])
    assert one_way_section.runs(xs, np.zeros(11, int)) == [(0.0, 1.0, 0)]


def test_region_cells_cover_the_grid_exactly():
    xs, ys = np.linspace(0, 1, 5), np.linspace(0, 2, 4)
    grid = np.array([[0, 0, 1, 1, 1], [0, 0, 1, 1, 1], [0, 2, 2, 1, 1], [0, 0, 0, 0, 0]])
    cells = region_section.region_cells(xs, ys, grid)
    assert len(cells) == 2 + 3 + 1  # the first two rows merge
    area = sum((x1 - x0) * (y1 - y0) for x0, x1, y0, y1, _ in cells)
    assert area == pytest.approx(1.0 * 2.0)


def test_two_that_matter_prefers_parameters_with_a_nearby_flip(results):
    s = results["s"]
    x, y = two_that_matter(s, s.values, thresholds(s), [b.parameter for b in results["tornado"].bars])
    assert x != y
    flipping = {t.parameter for t in thresholds(s) if t.path_changes}
    assert {x, y} <= flipping


def chart_specs(results) -> dict[str, dict]:
    s, ow, rm, t, m, pr = (results[k] for k in ("s", "one_way", "region", "tornado", "mc", "pbe_region"))
    names = [s.player(p).name for p in ow.players]
    shares = mc_section.mc_outcomes(s, m)
    return {
        "one_way": one_way_section.one_way_chart(xs=ow.xs, utility=ow.utility, players=names, bands=one_way_section.one_way_bands(ow),
                                        play_labels=tables.play_labels(s, ow.paths),
                                        flips=[x.value for x in ow.thresholds], current=ow.current,
                                        parameter_label="Chance a breach is confirmed"),
        "region": region_section.region_chart(xs=rm.xs, ys=rm.ys, grid=rm.path, play_labels=tables.play_labels(s, rm.paths),
                                      current=rm.current, current_play=rm.current_path, x_label="x", y_label="y"),
        "tornado": tornado_section.tornado_chart(rows=tornado_section.tornado_chart_rows(s, t), players=names),
        "shares": mc_section.shares_chart(labels=[r["Equilibrium play"] for r in shares], shares=list(m.shares),
                                      low=list(m.ci_low), high=list(m.ci_high)),
        "pbe region": region_section.region_chart(xs=pr.xs, ys=pr.ys, grid=pr.region, play_labels=list(pr.sets),
                                                  current=pr.current, current_play=pr.current_set, x_label="x",
                                                  y_label="y", legend=uncertainty_view.SET),
    }


def test_svg_export_of_every_chart(results):
    for name, spec in chart_specs(results).items():
        svg = charts.export_svg(spec)
        assert isinstance(svg, bytes)
        assert b"<svg" in svg[:200], name


def test_png_export_starts_with_the_png_signature(results):
    png = charts.export_png(chart_specs(results)["pbe region"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 1_000


def test_charts_are_plain_dicts_with_okabe_ito_colours(results):
    for name, spec in chart_specs(results).items():
        assert isinstance(spec, dict) and spec["$schema"].endswith("v5.json"), name
        text = repr(spec)
        colours = {c for c in charts.OKABE_ITO if c in text}
        assert colours, name
        assert "altair" not in text.lower()
