"""Sensitivity: how the equilibrium depends on the assumptions (one-way, region map, tornado, Monte
Carlo, what would it take), at the slider values set on the Explore page."""

from __future__ import annotations

import streamlit as st

from ui import cards, sensitivity_view, state
from ui.scenario_files import current_scenario, upload_panel

key, scenario = current_scenario()
state.enter_scenario(scenario, key)
upload_panel(key)

st.title("Sensitivity")
st.caption(cards.NOTE)
st.markdown(f"**{scenario.title}**")
sensitivity_view.panel(key, scenario)
