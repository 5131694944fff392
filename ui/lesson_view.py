"""The guided lesson, student view: the lesson's title and introduction, and for each step what to look
at, the questions, and a button that opens the step's scenario on the page the step uses. It shows no
model answers: those are on the instructor page (``instructor_view``)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from . import cards, state
from .lesson import load_lesson

PAGES = Path(__file__).resolve().parent / "page_scripts"
# The page a lesson step names (its title in the navigation) and the file that draws it.
PAGE_FILES = {
    "Explore": "explore.py", "Sensitivity": "sensitivity.py", "Uncertainty": "uncertainty.py",
    "Compare": "compare.py", "Strategic form": "strategic_form.py", "Step by step": "step_by_step.py",
    "Predict & reveal": "predict.py", "Glossary": "glossary.py",
}


def open_button(step: dict, view: str) -> None:
    """A button that opens the step's scenario on the step's page (as the sidebar's picker would)."""
    page = step.get("page", "Explore")
    file = PAGE_FILES.get(page)
    if file is None:
        st.caption(f"This step names a page \u201c{page}\u201d that the app does not have.")
        return
    if st.button(f"Open this step's scenario on the {page} page", key=state.lesson_open_key(view, step["id"]),
                 icon=":material/open_in_new:", on_click=state.open_preset, args=(step["scenario"],)):
        st.switch_page(PAGES / file)


def step_body(step: dict) -> None:
    """What every reader of the lesson sees of a step: what to look at and the questions."""
    st.markdown(f"**Look at.** {step['look_at']}")
    st.markdown("**Questions**\n\n" + "\n".join(f"{k}. {q}" for k, q in enumerate(step["questions"], start=1)))


def panel() -> None:
    lesson = load_lesson()
    st.title(lesson["title"])
    st.caption(cards.NOTE)
    st.write(lesson["intro"])
    for step in lesson["steps"]:
        st.subheader(step["title"])
        step_body(step)
        open_button(step, "student")
