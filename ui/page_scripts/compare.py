"""Compare: two scenarios side by side (a shipped one or the Explore page's current state against a shipped one)."""

from __future__ import annotations

import streamlit as st

from ui import cards, compare_view, state
from ui.scenario_files import current_scenario, upload_panel

key, scenario = current_scenario()
state.enter_scenario(scenario, key)
upload_panel(key)

st.title("Compare two scenarios")
st.caption(cards.NOTE)
compare_view.panel(key, scenario)
