"""Explore: sliders, each side's preferred choices, the tree, and where each choice flips."""

from __future__ import annotations

import streamlit as st

from ui import cards, explore_view, state
from ui.scenario_files import open_scenario

st.markdown(cards.CSS, unsafe_allow_html=True)
key, scenario = open_scenario()
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
explore_view.panel(key, scenario)
