"""Step by step: backward induction one node at a time, from the outcomes back to the first move."""

from __future__ import annotations

import streamlit as st

from ui import cards, state, step_by_step_view
from ui.scenario_files import current_scenario, upload_panel

key, scenario = current_scenario()
state.enter_scenario(scenario, key)
upload_panel(key)

st.title("Backward induction, step by step")
st.caption(cards.NOTE)
st.markdown(f"**{scenario.title}**")
step_by_step_view.panel(key, scenario)
