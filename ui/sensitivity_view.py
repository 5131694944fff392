"""The Sensitivity page's sections: one-way, region map, tornado, Monte Carlo and what would it take.

Sections are lazy tabs (only the open one runs). The quick analyses (one batched solve each, a few
milliseconds) follow their pickers at once; Monte Carlo and what-would-it-take run only from their
forms. Every result comes from a cached call in ``model_calls``; the session keeps only the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from model import Scenario, ScenarioError
from model.text.explanations import describe_play, fmt
from model.analyses.montecarlo import MAX_DRAWS
from model.core.scenario import Parameter
from model.analyses.thresholds import Threshold

from . import cards, charts, exports, state, tables
from . import model_calls as mc

SECTIONS = ("One-way", "Region map", "Tornado", "Monte Carlo", "What would it take")
MODES = {"uniform": "Uniform over each slider's whole range",
         "spread": "Around the current values: each slider within \u00b1 a share of its range"}
DRAWS_MAX = min(1_000_000, MAX_DRAWS)  # one million draws take about 1.5 s; more would stall the page
PCT = {"format": "percent"}


def movable(scenario: Scenario) -> list[Parameter]:
    """The parameters with a range to move over."""
    return [p for p in scenario.parameters if p.max > p.min]


def weight_ids(scenario: Scenario) -> list[str]:
    """The parameters that are some side's weights (the default sliders to unlock)."""
    used = frozenset().union(*(e.names for p in scenario.players for _, e in p.weights))
    return [p.id for p in movable(scenario) if p.id in used]


def title(p: Parameter) -> str:
    return p.label + (f" ({p.unit})" if p.unit else "")


def values_note(scenario: Scenario, values: Mapping[str, float]) -> str:
    """Which values the analyses use: the Explore page's sliders, and which of them differ from the file."""
    moved = [p for p in scenario.parameters if values[p.id] != p.default]
    if not moved:
        return ("Computed at the slider values of the Explore page, which are the scenario's own values. "
                "Move the sliders there to analyse another state.")
    shown = ", ".join(f"{p.label} = {values[p.id]:g}" for p in moved[:4])
    more = f" and {len(moved) - 4} more" if len(moved) > 4 else ""
    return f"Computed at the slider values of the Explore page; moved from the scenario's values: {shown}{more}."


def two_that_matter(scenario: Scenario, values: Mapping[str, float], found: Sequence[Threshold],
                    swing_order: Sequence[str]) -> tuple[str, str]:
    """Two parameters worth mapping: those with a flip of equilibrium play nearest the current values
    (in units of each range), then those with the largest tornado swing, then the rest in file order."""
    params = {p.id: p for p in movable(scenario)}
    near = sorted((abs(t.value - values[t.parameter]) / (params[t.parameter].max - params[t.parameter].min),
                   t.parameter) for t in found if t.path_changes and t.parameter in params)
    ranked = list(dict.fromkeys([pid for _, pid in near] + [p for p in swing_order if p in params] + list(params)))
    return ranked[0], ranked[1]


def panel(key: str, scenario: Scenario) -> None:
    values = state.slider_values(scenario)
    st.caption(values_note(scenario, values))
    if not movable(scenario):
        st.info("This scenario has no parameters with a range, so there is nothing to vary.")
        return
    tabs = st.tabs(SECTIONS, key=state.ANALYSIS_TAB, on_change="rerun")
    for tab, section in zip(tabs, (one_way, region_map, tornado, monte_carlo, what_it_takes)):
        if tab.open is not False:
            with tab:
                section(key, scenario, values)


def one_way(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    st.markdown("Each side's equilibrium utility as one slider moves across its range, the others held at "
                "their current values. The shading shows which equilibrium play holds where.")
    frozen = tuple(values.items())
    params = {p.id: p for p in movable(scenario)}
    ids = list(params)
    near = cards.default_chart_threshold(scenario, values, [t for t in mc.flip_thresholds(key, scenario, frozen)
                                                           if t.parameter in params])
    state.keep_valid(state.ONE_WAY_PARAM, ids)
    pid = st.selectbox("Slider", ids, index=ids.index(near.parameter) if near else 0, key=state.ONE_WAY_PARAM,
                       format_func=lambda i: title(params[i]), persist_state="session",
                       help="Preselected: the slider with an equilibrium flip nearest its current value.")
    st.caption(params[pid].description)
    try:
        ow = mc.one_way(key, scenario, frozen, pid)
    except ScenarioError as err:
        st.error(str(err))
        return
    labels = tables.play_labels(scenario, ow.paths)
    spec = charts.one_way_chart(
        xs=ow.xs, utility=ow.utility, players=[scenario.player(p).name for p in ow.players],
        bands=tables.one_way_bands(ow), play_labels=labels, flips=sorted({t.value for t in ow.thresholds}),
        current=ow.current, parameter_label=title(params[pid]))
    stem = f"{exports.file_stem(key)}-one-way-{pid}"
    exports.chart(spec, file_stem=stem, alt=f"Each side's equilibrium utility across the range of {params[pid].label}, "
                  "with shaded bands naming the equilibrium play, the flips (solid lines) and the current value "
                  "(dashed line).")
    st.markdown("**Where each equilibrium play holds**")
    exports.table(tables.one_way_segments(scenario, ow), file_name=f"{stem}-bands.csv")
    st.download_button("Download every point of the curve (CSV)", _deferred(tables.one_way_curve, scenario, ow),
                       file_name=f"{stem}-curve.csv", mime="text/csv", on_click="ignore", icon=":material/download:")
    if ow.thresholds:
        st.markdown("**Every flip in this range** (a side's preferred choice changes; off the equilibrium path "
                    "too)")
        exports.table(tables.flips(scenario, ow.thresholds), file_name=f"{stem}-flips.csv")
    else:
        st.write("No choice flips anywhere in this range.")


def region_map(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    params = {p.id: p for p in movable(scenario)}
    if len(params) < 2:
        st.info("A region map needs two parameters with a range; this scenario has one.")
        return
    st.markdown("Two sliders at once on a 200 \u00d7 200 grid, the others held at their current values: each "
                "region is numbered and coloured by its equilibrium play. \u25c6 marks the current values.")
    frozen = tuple(values.items())
    found = mc.flip_thresholds(key, scenario, frozen)
    try:
        swing = [b.parameter for b in mc.tornado(key, scenario, frozen).bars]
    except ScenarioError:
        swing = []
    dx, dy = two_that_matter(scenario, values, found, swing)
    ids = list(params)
    c1, c2 = st.columns(2)
    state.keep_valid(state.REGION_X, ids)
    x = c1.selectbox("Across (x)", ids, index=ids.index(dx), key=state.REGION_X, persist_state="session",
                     format_func=lambda i: title(params[i]),
                     help="Preselected: two sliders with an equilibrium flip near their current values.")
    ys = [i for i in ids if i != x]
    state.keep_valid(state.REGION_Y, ys)
    y = c2.selectbox("Up (y)", ys, index=ys.index(dy) if dy in ys else 0, key=state.REGION_Y,
                     persist_state="session", format_func=lambda i: title(params[i]))
    c1.caption(params[x].description)
    c2.caption(params[y].description)
    try:
        rm = mc.region_map(key, scenario, frozen, x, y)
    except ScenarioError as err:
        st.error(str(err))
        return
    labels = tables.play_labels(scenario, rm.paths)
    spec = charts.region_chart(xs=rm.xs, ys=rm.ys, grid=rm.path, play_labels=labels, current=rm.current,
                               current_play=rm.current_path, x_label=title(params[x]), y_label=title(params[y]))
    stem = f"{exports.file_stem(key)}-region-{x}-{y}"
    exports.chart(spec, file_stem=stem, alt=f"Map of the equilibrium play over {params[x].label} and "
                  f"{params[y].label}; each region numbered and named in the legend; the current values a diamond.")
    exports.table(tables.region_summary(scenario, rm), file_name=f"{stem}-regions.csv",
                  column_config={"Share of the map": st.column_config.NumberColumn(**PCT)})
    st.download_button("Download every cell of the map (CSV)", _deferred(tables.region_grid_csv, scenario, rm),
                       file_name=f"{stem}-grid.csv", mime="text/csv", on_click="ignore", icon=":material/download:")


def tornado(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    st.markdown("Each slider set to the low and then the high end of its range, the others held at their "
                "current values: how far each side's equilibrium utility swings. Largest swing first; solid, "
                "outlined bars and \u201c(changes the outcome)\u201d: the equilibrium play differs at an end.")
    try:
        t = mc.tornado(key, scenario, tuple(values.items()))
    except ScenarioError as err:
        st.error(str(err))
        return
    stem = f"{exports.file_stem(key)}-tornado"
    names = [scenario.player(p).name for p in t.players]
    exports.chart(charts.tornado_chart(rows=tables.tornado_chart_rows(scenario, t), players=names), file_stem=stem,
                  alt="Tornado chart: for each slider, the span of each side's equilibrium utility between the ends "
                      "of its range, sorted by the largest swing; bars that change the outcome are solid.")
    exports.table(tables.tornado_rows(scenario, t), file_name=f"{stem}.csv")


def monte_carlo(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    st.markdown("Draw every slider at random many times and count how often each equilibrium play comes out: "
                "how robust the outcome is to the assumptions.")
    with st.form(state.MC_FORM):
        c1, c2 = st.columns(2)
        draws = c1.number_input("Draws", min_value=1_000, max_value=DRAWS_MAX, value=100_000, step=10_000,
                                key=state.MC_DRAWS, persist_state="session")
        seed = c2.number_input("Seed (the same seed repeats the same draws)", min_value=0, max_value=2**32 - 1,
                               value=0, step=1, key=state.MC_SEED, persist_state="session")
        mode = st.radio("How to draw", list(MODES), format_func=MODES.get, key=state.MC_MODE, persist_state="session")
        spread = st.slider("Spread: share of each slider's range on either side of its current value (used only "
                           "when drawing around the current values)", 0.0, 1.0, 0.1, 0.01, key=state.MC_SPREAD,
                           persist_state="session")
        concentration = st.number_input(
            "Dirichlet concentration for each side's weights (empty: draw weights like the other sliders)",
            min_value=0.01, max_value=10_000.0, value=None, step=1.0, key=state.MC_CONCENTRATION,
            persist_state="session", placeholder="empty",
            help="Draws each side's weights together, keeping their total: higher values stay closer to the "
                 "current weights.")
        if st.form_submit_button("Run", type="primary"):
            state.remember_run(state.MC_RUN, {"source": key, "values": tuple(values.items()), "draws": int(draws),
                                              "seed": int(seed), "mode": mode, "spread": float(spread),
                                              "concentration": None if concentration is None else float(concentration)})
    run = _current_run(state.MC_RUN, key, values)
    if run is None:
        return
    try:
        m = mc.monte_carlo(key, scenario, run["values"], run["draws"], run["seed"], run["mode"], run["spread"],
                           run["concentration"])
    except ScenarioError as err:
        st.error(str(err))
        return
    how = MODES[m.mode].lower() + (f" (\u00b1 {m.spread:g} of each range)" if m.mode == "spread" else "")
    weights = f"; weights from a Dirichlet with concentration {m.concentration:g}" if m.concentration else ""
    st.markdown(f"**{m.draws:,} draws**, seed {m.seed}, {how}{weights}.")
    rows = tables.mc_outcomes(scenario, m)
    stem = f"{exports.file_stem(key)}-monte-carlo"
    exports.chart(charts.shares_chart(labels=[r[tables.PLAY] for r in rows], shares=list(m.shares),
                                      low=list(m.ci_low), high=list(m.ci_high)),
                  file_stem=stem, alt="The share of draws ending in each equilibrium play, with 95% intervals.")
    exports.table(rows, file_name=f"{stem}-shares.csv",
                  column_config={k: st.column_config.NumberColumn(**PCT) for k in ("Share", "95% low", "95% high")})
    means = ", ".join(f"{scenario.player(p).name} {fmt(u)}" for p, u in zip(m.players, m.mean_utility))
    st.caption(f"Mean equilibrium utility over the draws: {means}. Intervals: 95% Wilson score intervals.")
    if m.importance:
        st.markdown(f"**What decides whether the most common play comes out** "
                    f"({describe_play(scenario, m.paths[0])})")
        exports.table(tables.mc_importance(scenario, m), file_name=f"{stem}-importance.csv")
        st.caption("Correlation: of the slider's value with this play occurring. First order: the share of the "
                   "variation in whether it occurs that this slider explains on its own.")


def what_it_takes(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    st.markdown("Pick a play and the sliders you allow to move: the smallest change (in units of each slider's "
                "range) that makes that play the equilibrium.")
    frozen = tuple(values.items())
    all_plays = list(mc.plays(key, scenario))
    now = sorted((s.node, s.action) for s in mc.solution(key, scenario, frozen).path if s.action)
    params = {p.id: p for p in movable(scenario)}

    def words(play) -> str:
        return describe_play(scenario, play) + (" (the equilibrium now)" if sorted(play) == now else "")

    default = next((i for i, p in enumerate(all_plays) if sorted(p) != now), 0)
    state.keep_valid(state.WIT_TARGET, all_plays)
    state.keep_valid_many(state.WIT_UNLOCKED, list(params))
    with st.form(state.WIT_FORM):
        target = st.selectbox("Target play", all_plays, index=default, format_func=words, key=state.WIT_TARGET,
                              persist_state="session")
        unlocked = st.multiselect("Sliders allowed to move", list(params), default=weight_ids(scenario),
                                  format_func=lambda i: params[i].label, key=state.WIT_UNLOCKED,
                                  persist_state="session", help="Default: every side's weights.")
        if st.form_submit_button("Run", type="primary"):
            state.remember_run(state.WIT_RUN, {"source": key, "values": frozen, "target": tuple(target),
                                               "unlocked": tuple(unlocked)})
    run = _current_run(state.WIT_RUN, key, values)
    if run is None:
        return
    try:
        w = mc.what_it_takes(key, scenario, run["values"], run["target"], run["unlocked"])
    except ScenarioError as err:
        st.error(str(err))
        return
    st.info(w.sentence, icon=":material/lightbulb:" if w.feasible else ":material/block:")
    if w.changes:
        exports.table(tables.wit_changes(scenario, w), file_name=f"{exports.file_stem(key)}-what-it-takes.csv",
                      column_config={"Move (share of its range)": st.column_config.NumberColumn(**PCT)})
        st.caption(f"Found by {w.method}. The Explore page's sliders are not moved: set them there to see it.")


def _current_run(run_key: str, key: str, values: dict[str, float]) -> dict | None:
    """The form's last run if it belongs to this scenario and these slider values; else a note, and None."""
    run = state.last_run(run_key)
    if run is None:
        return None
    if run["source"] != key or run["values"] != tuple(values.items()):
        st.info("The scenario or the sliders changed since the last run: press Run for results at the current "
                "values.", icon=":material/refresh:")
        return None
    return run


def _deferred(build, *args):
    """A callable for a download button: the bytes are made only when it is clicked."""
    def make() -> bytes:
        out = build(*args)
        return out if isinstance(out, bytes) else tables.csv_bytes(out)
    return make
