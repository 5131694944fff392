"""Predict & reveal (presenter mode): the class predicts every choice, then the model's answers are revealed."""

from __future__ import annotations

import streamlit as st

from ui import cards, predict_view, state
from ui.scenario_files import current_scenario, upload_panel

key, scenario = current_scenario()
state.enter_scenario(scenario, key)
upload_panel(key)

st.title("Predict & reveal")
st.caption(cards.NOTE)
st.markdown(f"**{scenario.title}**")
predict_view.panel(key, scenario)
