"""Glossary: the terms the pages use, each in a sentence or two."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.glossary import terms

state.carry_over(state.PRESET)  # this page draws no scenario picker; keep the choice for the next page
st.title("Glossary")
st.caption("The words the pages use, in plain language.")
for term_id, term, text in terms():
    st.markdown(f"**{term}**  \n{text}")
