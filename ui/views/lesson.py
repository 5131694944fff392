"""Lesson, student view: the lesson's title and introduction, and for each step what to look at, the
questions, and a button that opens the step's scenario on the page the step uses. It shows no model
answers: those are on the instructor page."""

from __future__ import annotations

import streamlit as st

from ui import page_parts, state
from ui.lesson import lesson, open_button, step_body


def page() -> None:
    state.carry_over(state.PRESET)  # this page draws no scenario picker; keep the choice for the next page
    found = lesson()
    st.title(found.title)
    st.caption(page_parts.SLIDER_NOTE)
    st.write(found.intro)
    for step in found.steps:
        st.subheader(step.title)
        step_body(step)
        open_button(step, "student")


if __name__ == "__main__":
    page()
