"""Explore: sliders, each side's preferred choices, the tree, and where each choice flips."""

from __future__ import annotations

import streamlit as st

from ui import cards, charts, state
from ui import model_calls as mc
from ui.scenario_files import current_scenario, files_panel
from ui.widgets import slider_panel

st.markdown(cards.CSS, unsafe_allow_html=True)
key, scenario = current_scenario()
state.enter_scenario(scenario, key)
if state.URL_NOTES not in st.session_state:
    st.session_state[state.URL_NOTES] = state.check_link(scenario, {k: st.query_params.get_all(k)
                                                                     for k in st.query_params})

st.title(scenario.title)
st.caption(cards.NOTE)
for note in st.session_state[state.URL_NOTES]:
    st.warning(note, icon=":material/warning:")
if scenario.description:
    with st.expander("What this scenario teaches", expanded=False):
        st.write(scenario.description)
top = st.container()
left, right = st.columns([1, 2.2], gap="large")
with left:
    st.button("Reset to the scenario's values", on_click=state.reset_sliders, args=(scenario,))
    values, slots = slider_panel(scenario)

frozen = tuple(values.items())
solution = mc.solution(key, scenario, frozen)
found = mc.flip_thresholds(key, scenario, frozen)
before_values, _ = state.track_change(values)
before = mc.solution(key, scenario, tuple(before_values.items())) if before_values else None
for pid, slot in slots.items():
    slot.caption(cards.flips_caption(scenario, [t for t in found if t.parameter == pid]))
files_panel(key, scenario, values)

with top:
    cards.change_notice(scenario, before, solution)
    cards.headline(scenario, solution)
with right:
    cols = st.columns(len(scenario.players))
    for col, p in zip(cols, scenario.players):
        with col:
            cards.player_card(scenario, solution, p.id)

st.subheader("The game tree")
st.caption("\u2605 and thick blue lines: equilibrium play. Dashed: what a side would choose if play got there.")
st.graphviz_chart(charts.tree_dot(scenario, solution), width="stretch",
                  alt="Game tree; the equilibrium path is drawn thick and marked with a star.")
cards.how_choice_shifts(key, scenario, values, solution, found)
