"""The instructor's side of a live class, shared by its two pages (both ``instructor=True`` in ``ui.pages``):
which class this session runs, the model's answers once revealed, and the controls of each question.

The instructor key is the only key to a class's controls. It lives in this session's state; an instructor
link (``?key=...``) hands it to another window (the projector's) and is removed from the address bar at
once, so it never shows on a projector. A student's session has no instructor page at all (``ui.access``).
"""

from __future__ import annotations

import streamlit as st

from model import Scenario, solve

from ui import model_calls as mc
from ui import state
from ui.pages import page

from . import classroom, connect, parts
from .records import QuestionTally, Tally
from .store import Store

SETUP_PAGE, PROJECTOR_PAGE = "live_class", "live_projector"
STATE_WORDS = {"closed": "closed", "open": "open: taking answers", "revealed": "revealed"}


def key() -> str | None:
    """The instructor key of this session's class, if any (taken from an instructor link once)."""
    link = st.query_params.get(state.LINK_INSTRUCTOR)
    if link is not None:
        del st.query_params[state.LINK_INSTRUCTOR]
        st.session_state[state.LIVE_INSTRUCTOR] = link  # checked by the store at its first use
    return st.session_state.get(state.LIVE_INSTRUCTOR)


def forget() -> None:
    """Callback: this session leaves the class (the class and its data stay)."""
    st.session_state.pop(state.LIVE_INSTRUCTOR, None)


def no_class() -> None:
    """What an instructor page shows when this session runs no class: where to open one, or return to one."""
    st.info("This session runs no class. Open one on the page \u201cLive class: instructor\u201d, or return to a "
            "running class with its instructor key.", icon=":material/info:")
    with st.form("live-resume", border=False):
        st.text_input("Instructor key of a running class", type="password", key=state.LIVE_SETUP + "resume",
                      max_chars=64, help="Shown under \u201cInstructor key\u201d on the class's page when it was opened.")
        if st.form_submit_button("Return to the class"):
            token = (st.session_state.get(state.LIVE_SETUP + "resume") or "").strip()
            if connect.call(Store.tally, instructor_token=token) is not None:
                st.session_state[state.LIVE_INSTRUCTOR] = token
                st.rerun()


def tally_and_scenario(token: str) -> tuple[Tally, Scenario, classroom.ClassSettings] | None:
    """The class's tally (without the model's answers), scenario and settings; errors shown, then None."""
    tally = connect.call(Store.tally, instructor_token=token)
    if tally is None:
        st.button("Leave this class in this session", on_click=forget)
        return None
    scenario = parts.class_scenario(tally.scenario, lambda: connect.store().scenario_file(instructor_token=token))
    if scenario is None:
        return None
    return tally, scenario, classroom.ClassSettings.parse(tally.settings_json, scenario)


def revealed_answers(tally: Tally, scenario: Scenario, settings: classroom.ClassSettings) -> dict[str, str]:
    """The model's answers to the revealed questions only: nothing is solved before a reveal."""
    revealed = [q.question_id for q in tally.questions if q.state == "revealed"]
    if not revealed:
        return {}
    solution = mc.run(solve, tally.scenario, scenario, classroom.class_values(scenario, settings))
    return classroom.model_actions(scenario, solution.choice_map, revealed)


def controls(token: str, scenario: Scenario, question_id: str, q: QuestionTally | None, *, where: str,
             reset: bool = False) -> None:
    """Buttons for one question: open (or open again), close, reveal, and with ``reset`` its reset; a store
    refusal or failure shows its sentence, a success redraws the page."""
    _, names = parts.labels(scenario, question_id)
    current = q.state if q else None
    cols = st.columns(4 if reset else 3)
    k = f"{state.LIVE_CONTROL}{where}-{question_id}"
    args = dict(instructor_token=token, question_id=question_id)
    done = False
    if cols[0].button("Open again" if current == "closed" else "Open", key=k + "-open", width="stretch",
                      disabled=current in ("open", "revealed"), icon=":material/play_arrow:"):
        done = act(Store.open_question, actions=list(names), **args)
    if cols[1].button("Close", key=k + "-close", width="stretch", disabled=current != "open", icon=":material/stop:"):
        done = act(Store.close_question, **args)
    if cols[2].button("Reveal", key=k + "-reveal", width="stretch", type="primary",
                      disabled=current not in ("open", "closed"), icon=":material/visibility:"):
        done = act(Store.reveal_question, **args)
    if reset and cols[3].button("Reset", key=k + "-reset", width="stretch", disabled=current is None,
                                icon=":material/restart_alt:", help="Clear this question's answers (back to closed)."):
        done = act(Store.reset, **args)
    if done:
        st.rerun()


def act(method, **kwargs) -> bool:
    """One store action; its refusal or failure is shown (and False returned)."""
    failed: list[str] = []
    connect.call(method, fail=failed.append, **kwargs)
    for message in failed:
        st.error(message, icon=":material/error:")
    return not failed


def state_badge(q: QuestionTally | None) -> str:
    return "not asked yet" if q is None else STATE_WORDS[q.state]


def projector_link() -> None:
    st.page_link(page(PROJECTOR_PAGE).file, label="Open the projector view", icon=":material/co_present:")
