"""Live class, the instructor's page (instructor only): open a class on any scenario (a shipped one, or the
current one with the Explore page's values), with its join code, link and QR code; choose its questions
(moves of the tree), the parameters students may set and the two of the class map; then open, close,
reveal and reset questions, open the parameters, export everything as CSV, and delete the class with all
its data in one action. The projector view shows the room's answers live.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from model import Scenario, thresholds, tornado

from ui import model_calls as mc
from ui import access, page_parts, sources, state
from ui.live import classroom, connect, instructor, parts
from ui.live.store import DEFAULT_CAP, MAX_CAP, RETENTION_DAYS, Store
from ui.page_parts import decisions, question
from ui.scenario_files import open_scenario
from ui.sections import common

CURRENT = "-current"  # the scenario choice "the current scenario" (a hyphen: never a shipped name)


def setup(key: str, scenario: Scenario) -> None:
    """The form that opens a class."""
    st.subheader("Open a class")
    names = mc.shipped_names()
    pick = st.selectbox("Scenario of the class", [CURRENT, *names], key=state.LIVE_SETUP + "scenario",
                        format_func=lambda n: (f"The current scenario: {scenario.title} (at the Explore page's values)"
                                               if n == CURRENT else mc.shipped(n).title))
    if pick == CURRENT:
        skey, sc, values = key, scenario, state.slider_values(scenario)
    else:
        skey, sc = sources.preset(pick), mc.shipped(pick)
        values = dict(sc.values)
    if sc.uncertainty is not None:
        st.warning("This scenario keeps a side's type private; a live class asks about games of full information "
                   "only. Pick another scenario.", icon=":material/help:")
        return
    nodes = {n.id: n for n in decisions(sc)}
    k = f"{state.LIVE_SETUP}{skey}-"  # each scenario has its own choices
    chosen_q = st.multiselect("Questions to ask (each a move of the tree; open them one at a time)", list(nodes),
                              default=list(nodes), key=k + "questions", format_func=lambda n: question(sc, nodes[n]))
    params = {p.id: p for p in common.movable(sc)}
    found = mc.run(thresholds, skey, sc, values)
    swing = [b.parameter for b in mc.run(tornado, skey, sc, values).bars] if len(params) > 1 else []
    default = list(common.two_that_matter(sc, values, found, swing)) if len(params) > 1 else list(params)
    chosen_p = st.multiselect("Parameters students may set (their own assumptions)", list(params), default=default,
                              key=k + "parameters", format_func=lambda p: common.title(params[p]))
    pair = None
    if len(chosen_p) >= 2:
        c1, c2 = st.columns(2)
        state.keep_valid(k + "x", chosen_p)
        x = c1.selectbox("Class map: across (x)", chosen_p, key=k + "x", format_func=lambda p: common.title(params[p]))
        ys = [p for p in chosen_p if p != x]
        state.keep_valid(k + "y", ys)
        y = c2.selectbox("Class map: up (y)", ys, key=k + "y", format_func=lambda p: common.title(params[p]))
        pair = (x, y)
    else:
        st.caption("Choose two parameters or more to see the students' points on a region map.")
    cap = st.number_input("Class size cap", min_value=1, max_value=MAX_CAP, value=DEFAULT_CAP, step=1,
                          key=state.LIVE_SETUP + "cap")
    st.caption(f"The class takes joins and answers for 12 hours; it and everything in it is deleted after "
               f"{RETENTION_DAYS} days, or at once with \u201cDelete the class\u201d.")
    if not chosen_q:
        st.info("Choose at least one question.", icon=":material/info:")
        return
    if st.button("Open the class", type="primary", icon=":material/cast_for_education:"):
        settings = classroom.ClassSettings(tuple(chosen_q), tuple(chosen_p), pair, classroom.changed_values(sc, values))
        upload = st.session_state.get(state.UPLOADED) if sources.is_upload(skey) else None
        new = connect.call(Store.create_session, scenario=skey, student_cap=int(cap), settings=settings.to_json(),
                           scenario_file=upload)
        if new is not None:
            st.session_state[state.LIVE_INSTRUCTOR] = new.instructor_token
            st.rerun()


def run(token: str) -> None:
    """The running class: its join panel, its questions and their controls, its parameters and its data."""
    found = instructor.tally_and_scenario(token)
    if found is None:
        return
    tally, scenario, settings = found
    st.markdown(f"**{scenario.title}** \u00b7 {tally.students} of at most {tally.student_cap} students joined")
    parts.join_panel(tally.join_code, big=False, page_id=instructor.SETUP_PAGE)
    instructor.projector_link()

    st.subheader("Questions")
    st.caption("Open one at a time; students answer on their phones. Reveal shows the model's answer on the "
               "projector and on each student's phone; nothing of it reaches a student before.")
    asked = {q.question_id: q for q in tally.questions}
    for qid in settings.questions:
        q = asked.get(qid)
        text, _ = parts.labels(scenario, qid)
        answered = f" \u00b7 {q.answered} of {tally.students} answered" if q else ""
        st.markdown(f"**{escape(text)}** \u2014 {instructor.state_badge(q)}{answered}")
        instructor.controls(token, scenario, qid, q, where="setup", reset=True)

    st.subheader("Students' own assumptions")
    params = {p.id: p for p in scenario.parameters}
    if settings.parameters:
        shown = ", ".join(common.title(params[p]) for p in settings.parameters)
        st.markdown(f"Students may set: {escape(shown)}. "
                    + ("**Open now**: they can send their values." if tally.assumptions_open else "Closed."))
        c1, c2 = st.columns(2)
        if c1.button("Open the parameters to students", disabled=tally.assumptions_open, icon=":material/tune:"):
            ranges = {p: (params[p].min, params[p].max) for p in settings.parameters}
            if instructor.act(Store.open_assumptions, instructor_token=token, ranges=ranges):
                st.rerun()
        if c2.button("Close the parameters", disabled=not tally.assumptions_open, icon=":material/stop:"):
            if instructor.act(Store.close_assumptions, instructor_token=token):
                st.rerun()
    else:
        st.caption("This class asks for no parameter values.")
    data_panel(token, tally.join_code)


def data_panel(token: str, join_code: str) -> None:
    """Export, reset, delete, leave; and the instructor key to return to the class from another window."""
    st.subheader("The class's data")
    store = connect.store()
    st.download_button("Export everything (CSV)", lambda: store.export_csv(instructor_token=token).encode("utf-8"),
                       file_name=f"class-{join_code}.csv", mime="text/csv", on_click="ignore",
                       icon=":material/download:",
                       help="The class, its questions, every student (seat, nickname), answer, reason and value.")
    c1, c2 = st.columns(2)
    sure_reset = c1.checkbox("Yes, clear every answer and value", key=state.LIVE_CONFIRM + "reset")
    if c1.button("Reset the class", disabled=not sure_reset, icon=":material/restart_alt:",
                 help="Every question back to closed, every answer and value cleared; students stay joined."):
        if instructor.act(Store.reset, instructor_token=token):
            del st.session_state[state.LIVE_CONFIRM + "reset"]
            st.rerun()
    sure_delete = c2.checkbox("Yes, delete the class and all its data", key=state.LIVE_CONFIRM + "delete")
    if c2.button("Delete the class", type="primary", disabled=not sure_delete, icon=":material/delete_forever:",
                 help="The class, its students, answers, values and scenario file, in one action; not undoable."):
        if instructor.act(Store.delete_session, instructor_token=token):
            instructor.forget()
            del st.session_state[state.LIVE_CONFIRM + "delete"]
            st.rerun()
    st.button("Leave the class in this window (it keeps running)", on_click=instructor.forget,
              icon=":material/logout:")
    with st.expander("Instructor key (to run this class from another window)", icon=":material/key:"):
        base, _ = parts.public_base(instructor.SETUP_PAGE)
        st.caption("Whoever has this key controls the class: keep it off the projector.")
        st.code(f"{base}/{instructor.PROJECTOR_PAGE}?{state.LINK_INSTRUCTOR}={token}", language=None)


def page() -> None:
    key, scenario = open_scenario()
    page_parts.page_header("Live class: instructor")
    st.markdown(parts.CSS, unsafe_allow_html=True)
    if access.local():
        st.warning("Every session of this app may open the instructor pages (CONDITIONAL_OFFER_INSTRUCTOR=local): a "
                   "student who joins can open them too, though never this class's controls without its instructor "
                   "key. For a class on a shared network, start the app with a passcode instead.",
                   icon=":material/lock_open:")
    token = instructor.key()
    if token is None:
        setup(key, scenario)
        st.divider()
        instructor.no_class()
        return
    run(token)


if __name__ == "__main__":
    page()
