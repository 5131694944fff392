"""Uncertainty: one side does not know the other's type. Solved as a game with types (perfect Bayesian
equilibrium, ``model.perfect_bayesian``): the equilibria at the current values, the tree with its information
sets, where along the prior the equilibria change, and a region map of the prior and a second slider coloured
by the set of equilibria (one batched model call)."""

from __future__ import annotations

import streamlit as st

from model import BayesianRegionMap, Scenario, ScenarioError, bayesian_region_map, perfect_bayesian, \
    prior_parameters, prior_switches

from ui import bayesian, exports, page_parts, state
from ui import model_calls as mc
from ui.scenario_files import open_scenario
from ui.sections.region_map import region_chart

SET = "Equilibrium set"


def number(x: float) -> str:
    """A flip's value to four significant digits, a bisection's dust at zero shown as 0."""
    return f"{(0.0 if abs(x) < 1e-9 else x):.4g}"


def switch_lines(scenario: Scenario, found, values: dict[str, float]) -> list[str]:
    """Each change of the equilibrium set along the prior, in words, the current side marked."""
    out = []
    for f in found.flips:
        p = scenario.parameter(f.parameter)
        now = values[f.parameter]
        side = "below" if now < f.value else "above"
        out.append(f"- At **{p.label} = {number(f.value)}** the equilibria change: below it *{f.below}*; above it "
                   f"*{f.above}* (now {number(now)}: {side}).")
    return out


def region_rows(scenario: Scenario, rm: BayesianRegionMap) -> list[dict]:
    """Each region of the map: its number, its equilibrium set, its share, whether the current values are in it."""
    return [{"Region": k + 1, SET: label, "Share of the map": rm.share(k), "Current values here": k == rm.current_set}
            for k, label in enumerate(rm.sets)]


def region_map_part(key: str, scenario: Scenario, values: dict[str, float], prior: str) -> None:
    typed = {name for t in scenario.uncertainty.types for name, _ in t.values}
    others = [p for p in scenario.parameters if p.id != prior and p.id not in typed and p.max > p.min]
    if not others:
        st.write("Every other slider is set by the types (or has no range), so there is no second slider to map "
                 "against the prior.")
        return
    ids = [p.id for p in others]
    state.keep_valid(state.PBE_REGION_Y, ids)
    y = st.selectbox("Second slider (up)", ids, key=state.PBE_REGION_Y, persist_state="session",
                     format_func=lambda i: scenario.parameter(i).label)
    try:
        rm = mc.run(bayesian_region_map, key, scenario, values, big=True, x=prior, y=y)
    except ScenarioError as err:
        st.error(str(err))
        return
    px, py = scenario.parameter(prior), scenario.parameter(y)
    spec = region_chart(xs=rm.xs, ys=rm.ys, grid=rm.region, play_labels=list(rm.sets), current=rm.current,
                        current_play=rm.current_set, x_label=px.label, y_label=py.label, legend=SET)
    exports.chart(spec, file_stem=f"{exports.file_stem(key)}-pbe-region-{prior}-{y}",
                  alt=f"Map of the set of perfect Bayesian equilibria over {px.label} and {py.label}; each region "
                      "numbered and named in the legend; the current values a diamond.")
    exports.table(region_rows(scenario, rm), file_name=f"{exports.file_stem(key)}-pbe-regions.csv",
                  column_config={"Share of the map": st.column_config.NumberColumn(format="percent")})


def panel(key: str, scenario: Scenario) -> None:
    u = scenario.uncertainty
    if u is None:
        st.info("This scenario has no uncertainty section ([uncertainty] in the file): every side knows how the "
                "others weigh the outcomes, so there are no types to screen.", icon=":material/info:")
        example = next((n for n in mc.shipped_names() if mc.shipped(n).uncertainty is not None), None)
        if example is not None:
            st.button(f"Open the scenario \u201c{mc.shipped(example).title}\u201d", on_click=state.open_preset,
                      args=(example,), type="primary")
        return
    values = state.slider_values(scenario)
    st.caption(page_parts.values_note(scenario, values) + " " + page_parts.typed_note(scenario))
    page_parts.scenario_description(scenario)
    st.subheader(u.label or f"Which type is {bayesian.informed_name(scenario)}?")
    if u.description:
        st.write(u.description)
    try:
        result = mc.run(perfect_bayesian, key, scenario, values)
    except ScenarioError as err:
        st.error(str(err))
        return
    bayesian.draw_set(scenario, result)
    k = bayesian.pick_equilibrium(result, key=state.PBE_SHOWN)
    bayesian.draw_beliefs(scenario, result, k)
    st.subheader("The tree, with information sets")
    bayesian.draw_tree(scenario, result, k)

    priors = prior_parameters(scenario)
    st.subheader("Where the prior changes the equilibria")
    if not priors:
        st.write("The prior is written as plain numbers in the file, so no slider moves it.")
        return
    found = mc.run(prior_switches, key, scenario, values)
    if found.flips:
        st.markdown("Each change along the prior, with the other sliders held at their current values:\n"
                    + "\n".join(switch_lines(scenario, found, values)))
    else:
        st.write("Nowhere along the prior's range: the same equilibria for every prior.")
    st.subheader("Region map: the prior and a second slider")
    st.caption("A 200 \u00d7 200 grid, solved in one batched call: each region is numbered and coloured by its set "
               "of perfect Bayesian equilibria. \u25c6 marks the current values.")
    region_map_part(key, scenario, values, priors[0])


def page() -> None:
    key, scenario = open_scenario()
    page_parts.page_header("Uncertainty about the other side", scenario)
    panel(key, scenario)


if __name__ == "__main__":
    page()
