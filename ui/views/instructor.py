"""Lesson, instructor view: every step as students see it, plus the model answer and figures computed
live from the step's scenario (so they stay right if a scenario file changes)."""

from __future__ import annotations

import streamlit as st

from model import ScenarioError

from ui import model_calls as mc
from ui import page_parts, state
from ui.lesson import figures, lesson, open_button, step_body
from ui.pages import page as page_of

NOTE = ("This page holds the model answers and live figures for each step of the lesson. Keep it off the "
        "projector: students use the Lesson page, which has no answers.")


def page() -> None:
    state.carry_over(state.PRESET)  # this page draws no scenario picker; keep the choice for the next page
    found = lesson()
    st.title(f"{found.title}: instructor's notes")
    st.caption(page_parts.SLIDER_NOTE)
    st.warning(NOTE, icon=":material/lock:")
    st.write(found.intro)
    for step in found.steps:
        st.subheader(step.title)
        try:
            title = mc.shipped(step.scenario).title
        except ScenarioError as err:
            st.error(str(err))
            continue
        try:
            where = page_of(step.page).title
        except KeyError:
            where = step.page
        st.caption(f"Scenario: {title}. Page: {where}.")
        step_body(step)
        st.markdown(f"**Model answer.** {step.answer}")
        try:
            lines = figures(step)
        except ScenarioError as err:
            st.error(str(err))
        else:
            if lines:
                st.markdown("**Live figures** (computed now from the scenario)\n\n"
                            + "\n".join(f"- {line}" for line in lines))
        open_button(step, "instructor")


if __name__ == "__main__":
    page()
