"""A trivial two-slider Streamlit page: the baseline for server CPU per rerun in classroom_load.py."""

import streamlit as st

a = st.slider("a", 0.0, 1.0, 0.5, 0.05, key="a")
b = st.slider("b", 0.0, 1.0, 0.5, 0.05, key="b")
st.write(f"a + b = {a + b:.2f}")
