"""The Explore panel: sliders and everything they drive, in one fragment so a slider move reruns only it."""

from __future__ import annotations

import streamlit as st

from model import Scenario

from . import cards, charts, state
from . import model_calls as mc
from .scenario_files import save_panel
from .widgets import slider_panel


SLIDER_PANEL_HEIGHT = 780  # px: sliders scroll beside the cards, so both stay in view on a projector


@st.fragment
def panel(key: str, scenario: Scenario) -> None:
    top = st.container()
    left, right = st.columns([1, 2.2], gap="large")
    # The sliders' values are in the session before the sliders are drawn (on a first load from a
    # link they arrive as the sliders register: then the notes are redrawn once, below).
    expected = state.slider_values(scenario)
    found = mc.flip_thresholds(key, scenario, tuple(expected.items()))
    notes = {p.id: cards.flips_label(scenario, [t for t in found if t.parameter == p.id]) for p in scenario.parameters}
    with left:
        st.button("Reset to the scenario's values", on_click=state.reset_sliders, args=(scenario,))
        st.caption("Next to each slider: where in its range a choice flips, and whose (\u2605: equilibrium play "
                   "changes there).")
        with st.container(height=SLIDER_PANEL_HEIGHT, border=False):
            values = slider_panel(scenario, notes)
        save_panel(key, scenario, values)
    if values != expected and state.first_redraw(values):  # a first load from a link: notes for its values
        st.rerun()

    frozen = tuple(values.items())
    solution = mc.solution(key, scenario, frozen)
    before_values, _ = state.track_change(values)
    before = mc.solution(key, scenario, tuple(before_values.items())) if before_values else None

    with top:
        cards.change_notice(scenario, before, solution)
        cards.headline(scenario, solution)
    with right:
        cols = st.columns(len(scenario.players))
        for col, p in zip(cols, scenario.players):
            with col:
                cards.player_card(scenario, solution, p.id)

    st.subheader("The game tree")
    st.markdown('<p class="co-caption">\u2605 and thick blue lines: equilibrium play. Dashed: what a side would '
                "choose if play got there.</p>" + charts.tree(scenario, solution), unsafe_allow_html=True)
    cards.how_choice_shifts(key, scenario, values, solution, found)
