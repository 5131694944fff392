"""Monte Carlo: every slider drawn at random many times (run from a form); the share of the slider
ranges ending in each equilibrium play, with 95% intervals, and what decides the most common play."""

from __future__ import annotations

import streamlit as st

from model import MAX_DRAWS, MonteCarlo, Scenario, ScenarioError, describe_play, fmt, monte_carlo

from ui import charts, exports, state, tables
from ui import model_calls as mc
from ui.sections import common

ID = "monte_carlo"
TITLE = "Monte Carlo"
PAGE = "sensitivity"
ORDER = 40
MODES = {"uniform": "Uniform over each slider's whole range",
         "spread": "Around the current values: each slider within \u00b1 a share of its range"}
DRAWS_MAX = min(1_000_000, MAX_DRAWS)  # one million draws take about 1.5 s; more would stall the page
FORM, DRAWS, SEED, MODE, SPREAD, CONCENTRATION, RUN = (state.section_key(ID, k) for k in (
    "form", "draws", "seed", "mode", "spread", "concentration", "run"))


def mc_outcomes(scenario: Scenario, m: MonteCarlo) -> tables.Rows:
    """The share of the slider box (of the draws) where each equilibrium play holds, with its 95% (Wilson)
    interval."""
    labels = tables.play_labels(scenario, m.paths)
    return [{tables.PLAY: lab, "Draws": c, "Share": s, "95% low": lo, "95% high": hi}
            for lab, c, s, lo, hi in zip(labels, m.counts, m.shares, m.ci_low, m.ci_high)]


def mc_importance(scenario: Scenario, m: MonteCarlo) -> tables.Rows:
    """How much each drawn parameter matters for the most common play."""
    return [{"Parameter": scenario.parameter(i.parameter).label, "Correlation with the most common play":
             i.correlation, "Share of its variance explained (first order)": i.first_order} for i in m.importance]


def shares_chart(*, labels: list[str], shares: list[float], low: list[float], high: list[float]) -> dict:
    """The share of draws ending in each equilibrium play, with its 95% interval as an error bar."""
    rows = [{"play": lab, "share": float(s), "low": float(lo), "high": float(hi)}
            for lab, s, lo, hi in zip(labels, shares, low, high)]
    y = {"field": "play", "type": "nominal", "sort": labels, "title": None, "axis": {"labelLimit": 520}}
    return {
        "$schema": charts.SCHEMA,
        "height": {"step": 34},
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "bar", "color": charts.OKABE_ITO[0], "height": {"band": 0.7}},
             "encoding": {"y": y, "x": {"field": "share", "type": "quantitative", "title": "Share of the slider box",
                                         "axis": {"format": "%"}, "scale": {"domain": [0, 1]}},
                          "tooltip": [{"field": "play", "type": "nominal"},
                                      {"field": "share", "type": "quantitative", "format": ".2%"},
                                      {"field": "low", "type": "quantitative", "format": ".2%", "title": "95% low"},
                                      {"field": "high", "type": "quantitative", "format": ".2%",
                                       "title": "95% high"}]}},
            {"mark": {"type": "errorbar", "ticks": True, "color": charts.OKABE_ITO[7], "thickness": 2},
             "encoding": {"y": y, "x": {"field": "low", "type": "quantitative", "title": "Share of the slider box"},
                          "x2": {"field": "high"}}},
            {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 12},
             "encoding": {"y": y, "x": {"field": "high", "type": "quantitative", "title": "Share of the slider box"},
                          "text": {"field": "share", "type": "quantitative", "format": ".1%"}}},
        ],
    }


def draw(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    st.markdown("Draw every slider at random many times and count where each equilibrium play comes out: how "
                "much of the box of assumptions supports each outcome. The shares are shares of the sliders' "
                "ranges, not probabilities that anything happens.")
    with st.form(FORM):
        c1, c2 = st.columns(2)
        draws = c1.number_input("Draws", min_value=1_000, max_value=DRAWS_MAX, value=100_000, step=10_000,
                                key=DRAWS, persist_state="session")
        seed = c2.number_input("Seed (the same seed repeats the same draws)", min_value=0, max_value=2**32 - 1,
                               value=0, step=1, key=SEED, persist_state="session")
        mode = st.radio("How to draw", list(MODES), format_func=MODES.get, key=MODE, persist_state="session")
        spread = st.slider("Spread: share of each slider's range on either side of its current value (used only "
                           "when drawing around the current values)", 0.0, 1.0, 0.1, 0.01, key=SPREAD,
                           persist_state="session")
        concentration = st.number_input(
            "Dirichlet concentration for each side's weights (empty: draw weights like the other sliders)",
            min_value=0.01, max_value=10_000.0, value=None, step=1.0, key=CONCENTRATION,
            persist_state="session", placeholder="empty",
            help="Draws each side's weights together, keeping their total: higher values stay closer to the "
                 "current weights.")
        if st.form_submit_button("Run", type="primary"):
            state.remember_run(RUN, {"source": key, "values": tuple(values.items()), "draws": int(draws),
                                              "seed": int(seed), "mode": mode, "spread": float(spread),
                                              "concentration": None if concentration is None else float(concentration)})
    run = common.current_run(RUN, key, values)
    if run is None:
        return
    try:
        m = mc.run(monte_carlo, key, scenario, run["values"], big=True, draws=run["draws"], seed=run["seed"],
                   mode=run["mode"], spread=run["spread"], concentration=run["concentration"])
    except ScenarioError as err:
        st.error(str(err))
        return
    how = MODES[m.mode].lower() + (f" (\u00b1 {m.spread:g} of each range)" if m.mode == "spread" else "")
    weights = f"; weights from a Dirichlet with concentration {m.concentration:g}" if m.concentration else ""
    st.markdown(f"**{m.draws:,} draws**, seed {m.seed}, {how}{weights}.")
    rows = mc_outcomes(scenario, m)
    stem = f"{exports.file_stem(key)}-monte-carlo"
    exports.chart(shares_chart(labels=[r[tables.PLAY] for r in rows], shares=list(m.shares),
                                      low=list(m.ci_low), high=list(m.ci_high)),
                  file_stem=stem, alt="The share of the slider box where each equilibrium play holds, with 95% intervals.")
    exports.table(rows, file_name=f"{stem}-shares.csv",
                  column_config={k: st.column_config.NumberColumn(**common.PCT)
                                 for k in ("Share", "95% low", "95% high")})
    means = ", ".join(f"{scenario.player(p).name} {fmt(u)}" for p, u in zip(m.players, m.mean_utility))
    st.caption(f"Mean equilibrium utility over the draws: {means}. Intervals: 95% Wilson score intervals for the "
               "share of the slider box (the uncertainty of drawing), not probabilities of events.")
    if m.importance:
        st.markdown(f"**What decides whether the most common play comes out** "
                    f"({describe_play(scenario, m.paths[0])})")
        exports.table(mc_importance(scenario, m), file_name=f"{stem}-importance.csv")
        st.caption("Correlation: of the slider's value with this play occurring. First order: the share of the "
                   "variation in whether it occurs that this slider explains on its own.")
