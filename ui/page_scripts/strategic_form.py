"""Strategic form: the game as a table of whole plans, its pure Nash equilibria, and which are credible."""

from __future__ import annotations

import streamlit as st

from ui import cards, state, strategic_form_view
from ui.scenario_files import current_scenario, upload_panel

key, scenario = current_scenario()
state.enter_scenario(scenario, key)
upload_panel(key)

st.title("Strategic form")
st.caption(cards.NOTE)
st.markdown(f"**{scenario.title}**")
strategic_form_view.panel(key, scenario)
