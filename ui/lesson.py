"""The guided lesson's shared parts: the lesson read from ``ui/content/lesson.toml`` (data, checked by
``model.files.lesson``), what every reader sees of a step, the button that opens a step's scenario on
its page, and the live figures the instructor sees (computed by ``model.analyses.figures``)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from model import Lesson, LessonStep, Scenario, load_lesson, render

from ui import model_calls as mc
from ui import sources, state
from ui.pages import page

LESSON_FILE = Path(__file__).resolve().parent / "content" / "lesson.toml"


@st.cache_resource(show_spinner=False)
def lesson() -> Lesson:
    return load_lesson(LESSON_FILE)


def step_body(step: LessonStep) -> None:
    """What every reader of the lesson sees of a step: what to look at and the questions."""
    st.markdown(f"**Look at.** {step.look_at}")
    st.markdown("**Questions**\n\n" + "\n".join(f"{k}. {q}" for k, q in enumerate(step.questions, start=1)))


def open_button(step: LessonStep, view: str) -> None:
    """A button that opens the step's scenario on the step's page (as the sidebar's picker would)."""
    try:
        target = page(step.page)
    except KeyError:
        st.caption(f"This step names a page \u201c{step.page}\u201d that the app does not have.")
        return
    if st.button(f"Open this step's scenario on the {target.title} page", key=state.lesson_open_key(view, step.id),
                 icon=":material/open_in_new:", on_click=state.open_preset, args=(step.scenario,)):
        st.switch_page(target.file)


def _step_figures(scenario: Scenario, /, *, values, step_id: str) -> tuple[str, ...]:
    step = next(s for s in lesson().steps if s.id == step_id)
    here = scenario.with_values(values)
    return tuple(line for f in step.figures for line in render(here, f, load=mc.shipped))


def figures(step: LessonStep) -> tuple[str, ...]:
    """The step's live figures, computed on its shipped scenario at the scenario's own values."""
    scenario = mc.shipped(step.scenario)
    return mc.run(_step_figures, sources.preset(step.scenario), scenario, scenario.values, step_id=step.id)
