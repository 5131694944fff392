"""A trivial Streamlit page: the baseline for server CPU per rerun in classroom_load.py.

By default two sliders and one line of text. With ``TRIVIAL_SLIDERS=N`` in the environment, N sliders
drawn the way the Explore page draws its sliders (a label, a help text, the value bound to the URL) and
one line of text: the floor of any page that draws N native sliders on every move."""

import os

import streamlit as st

n = int(os.environ.get("TRIVIAL_SLIDERS", "2"))
if n == 2:
    a = st.slider("a", 0.0, 1.0, 0.5, 0.05, key="a")
    b = st.slider("b", 0.0, 1.0, 0.5, 0.05, key="b")
    st.write(f"a + b = {a + b:.2f}")
else:
    values = [st.slider(f"Slider {k + 1}", 0.0, 1.0, 0.5, 0.05, key=f"s{k}", help=f"What slider {k + 1} sets.",
                        bind="query-params") for k in range(n)]
    st.write(f"sum = {sum(values):.2f}")
