"""The guided lesson, instructor view: every step as students see it, plus the model answer and figures
computed live from the step's scenario (so they stay right if a scenario file changes)."""

from __future__ import annotations

import streamlit as st

from model import ScenarioError

from . import cards
from . import model_calls as mc
from .lesson import load_lesson
from .lesson_view import open_button, step_body

NOTE = ("This page holds the model answers and live figures for each step of the lesson. Keep it off the "
        "projector: students use the Lesson page, which has no answers.")


def facts(step: dict) -> tuple[str, ...]:
    """The step's live figures, computed on its shipped scenario at the scenario's own values."""
    name = step["scenario"]
    scenario = mc.shipped(name)
    return mc.lesson_facts(f"preset:{name}", scenario, tuple(scenario.values.items()), tuple(step.get("facts", ())))


def panel() -> None:
    lesson = load_lesson()
    st.title(f"{lesson['title']}: instructor's notes")
    st.caption(cards.NOTE)
    st.warning(NOTE, icon=":material/lock:")
    st.write(lesson["intro"])
    for step in lesson["steps"]:
        st.subheader(step["title"])
        try:
            title = mc.shipped(step["scenario"]).title
        except ScenarioError as err:
            st.error(str(err))
            continue
        st.caption(f"Scenario: {title}. Page: {step.get('page', 'Explore')}.")
        step_body(step)
        st.markdown(f"**Model answer.** {step['answer']}")
        try:
            found = facts(step)
        except ScenarioError as err:
            st.error(str(err))
        except KeyError as err:
            st.error(f"The lesson asks for a figure the tool cannot compute: {err}.")
        else:
            if found:
                st.markdown("**Live figures** (computed now from the scenario)\n\n"
                            + "\n".join(f"- {line}" for line in found))
        open_button(step, "instructor")
