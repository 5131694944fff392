"""Uncertainty: one side does not know the other's type; each type's answer to each offer, and the offer
the uninformed side prefers on the prior (scenarios with an [uncertainty] section)."""

from __future__ import annotations

import streamlit as st

from ui import cards, screening_view, state
from ui.scenario_files import current_scenario, upload_panel

key, scenario = current_scenario()
state.enter_scenario(scenario, key)
upload_panel(key)

st.title("Uncertainty about the other side")
st.caption(cards.NOTE)
st.markdown(f"**{scenario.title}**")
screening_view.panel(key, scenario)
