"""Explore: sliders, each side's preferred choices, the tree, and where each choice flips. The panel
is one fragment, so a slider move reruns only it."""

from __future__ import annotations

from html import escape

import streamlit as st

from model import Scenario, bayesian_thresholds, perfect_bayesian, solve, thresholds

from ui import bayesian, cards, page_parts, state
from ui import model_calls as mc
from ui.scenario_files import open_scenario, save_panel
from ui.widgets import slider_panel


SLIDER_PANEL_HEIGHT = 600  # px: sliders scroll beside the cards and the tree, so all stay in view on a projector


@st.fragment
def panel(key: str, scenario: Scenario) -> None:
    left, top = st.columns([1, 2.7], gap="small")  # the right column is filled after the sliders are drawn
    # The sliders' values are in the session before the sliders are drawn (on a first load from a
    # link they arrive as the sliders register: then the notes are redrawn once, below).
    expected = state.slider_values(scenario)
    found = mc.run(thresholds, key, scenario, expected, shared=True)
    notes = {p.id: cards.flips_label(scenario, found.of(p.id)) for p in scenario.parameters}
    with left:
        st.button("Reset to the scenario's values", on_click=state.reset_sliders, args=(scenario,))
        st.caption("Next to each slider: where in its range a choice flips, and whose (\u2605: equilibrium play "
                   "changes there).")
        with st.container(height=SLIDER_PANEL_HEIGHT, border=False):
            values = slider_panel(scenario, notes)
        save_panel(key, scenario, values)
    if values != expected and state.first_redraw(values):  # a first load from a link: notes for its values
        st.rerun()

    solution = mc.run(solve, key, scenario, values, shared=True)
    before_values, _ = state.track_change(values)
    before = mc.run(solve, key, scenario, before_values, shared=True) if before_values else None

    with top:  # on a projector: the headline, both cards and the whole tree above the fold
        cards.results(scenario, solution)
    cards.change_notice(scenario, before, solution)
    cards.how_choice_shifts(key, scenario, values, solution, found)


@st.fragment
def typed_panel(key: str, scenario: Scenario) -> None:
    """A scenario with private types: every perfect Bayesian equilibrium, the beliefs panel and the tree with
    information sets."""
    top = st.container()
    left, right = st.columns([1, 2.2], gap="large")
    expected = state.slider_values(scenario)
    found = mc.run(bayesian_thresholds, key, scenario, expected)
    with left:
        st.button("Reset to the scenario's values", on_click=state.reset_sliders, args=(scenario,))
        st.caption("Next to each slider: where in its range the set of equilibria changes (★), or that a type "
                   "sets it.")
        with st.container(height=SLIDER_PANEL_HEIGHT, border=False):
            values = slider_panel(scenario, bayesian.slider_notes(scenario, found))
        save_panel(key, scenario, values)
    if values != expected and state.first_redraw(values):
        st.rerun()
    result = mc.run(perfect_bayesian, key, scenario, values)
    with top:
        st.caption(page_parts.typed_note(scenario))
    with right:
        bayesian.draw_set(scenario, result)
    k = bayesian.pick_equilibrium(result)
    bayesian.draw_beliefs(scenario, result, k)
    st.subheader("The game tree, with information sets")
    bayesian.draw_tree(scenario, result, k)


def page() -> None:
    st.markdown(cards.CSS, unsafe_allow_html=True)
    key, scenario = open_scenario()
    if state.URL_NOTES not in st.session_state:
        st.session_state[state.URL_NOTES] = state.check_link(scenario, {k: st.query_params.get_all(k)
                                                                         for k in st.query_params})
    st.title(scenario.title)  # compact on this page (cards.CSS): the tree must fit a projector's screen
    st.markdown(f'<p class="co-explore co-explore-note">{escape(page_parts.SLIDER_NOTE)}</p>', unsafe_allow_html=True)
    for note in st.session_state[state.URL_NOTES]:
        st.warning(note, icon=":material/warning:")
    if scenario.uncertainty is not None:
        typed_panel(key, scenario)
    else:
        panel(key, scenario)
    page_parts.scenario_description(scenario)


if __name__ == "__main__":
    page()
