"""Glossary: the terms the pages use, each in a sentence or two (from ``ui/content/glossary.toml``)."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.content_files import terms


def page() -> None:
    state.carry_over(state.PRESET)  # this page draws no scenario picker; keep the choice for the next page
    st.title("Glossary")
    st.caption("The words the pages use, in plain language.")
    for _term_id, term, text in terms():
        st.markdown(f"**{term}**  \n{text}")


if __name__ == "__main__":
    page()
