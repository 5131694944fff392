"""Live class, the projector (instructor only): the join code and QR code, how many have answered, each
question's distribution of answers and, after its reveal, the share that matched the model; for the
students' own assumptions, each student's point on the model's region map of the class's two parameters,
the share of the class whose own assumptions lead to each equilibrium play (one batched solve over every
student), and the spread of each parameter.

The board is one fragment that polls the store every ``REFRESH_S`` seconds while a question or the
parameters are open or the join code is shown (``st.fragment(run_every=...)``); otherwise it waits for a
click. It shows the model's answer to a question only once that question is revealed.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from model import NOTE, Scenario, region_map, solve

from ui import model_calls as mc
from ui import state, tables
from ui.live import classroom, connect, figures, instructor, parts
from ui.live.records import QuestionTally, Tally
from ui.live.store import Store
from ui.sections import common

REFRESH_S = 2.0
MAP_POINTS = 150  # the class map's grid: 150 x 150 cells, one batched solve, cached
MAP_HEIGHT = 560  # px: the class map, read from the back of a hall


def signature(tally: Tally) -> tuple:
    """What decides whether the board polls: the questions' states and the parameters switch."""
    return tuple((q.question_id, q.state) for q in tally.questions), tally.assumptions_open


def board(token: str, scenario: Scenario, settings: classroom.ClassSettings, drawn: tuple) -> None:
    """The live part of the page: read the store, draw the room's answers (a fragment: reruns on its own)."""
    tally = connect.call(Store.tally, instructor_token=token)
    if tally is None:
        return
    if signature(tally) != drawn:  # a question opened or closed elsewhere: redraw the page (and its polling)
        st.rerun()
    answers = instructor.revealed_answers(tally, scenario, settings)
    if answers:
        tally = connect.call(Store.tally, instructor_token=token, model_actions=answers) or tally
    if st.session_state.get(state.LIVE_SHOW_JOIN, True):
        parts.join_panel(tally.join_code, big=True, page_id=instructor.PROJECTOR_PAGE)
    st.markdown(f'<div class="co-big">{tally.students} joined</div>', unsafe_allow_html=True)
    for q in sorted(tally.questions, key=lambda q: (q.state != "open", -tally.questions.index(q))):
        question_panel(token, tally, scenario, settings, q, answers.get(q.question_id))
    if settings.parameters:
        assumptions_panel(token, tally, scenario, settings)


def question_panel(token: str, tally: Tally, scenario: Scenario, settings: classroom.ClassSettings,
                   q: QuestionTally, model: str | None) -> None:
    text, names = parts.labels(scenario, q.question_id)
    with st.container(border=True):
        st.markdown(f'<div class="co-q">{escape(text)}<span class="co-state">{instructor.state_badge(q)}</span></div>'
                    f'<div class="co-big">{q.answered} of {tally.students} answered</div>', unsafe_allow_html=True)
        st.markdown(parts.bar_rows(q.counts, names, model=model), unsafe_allow_html=True)
        if q.state == "revealed" and model is not None:
            share = "no answers" if q.matched is None else f"{100 * q.matched:.0f}% matched the model"
            st.markdown(f'<div class="co-big">{share}: \u201c{escape(names.get(model, model))}\u201d</div>',
                        unsafe_allow_html=True)
            solution = mc.run(solve, tally.scenario, scenario, classroom.class_values(scenario, settings))
            st.caption(solution.choice(q.question_id).explanation)
            reasons(token, q, names)
        instructor.controls(token, scenario, q.question_id, q, where="projector")


def reasons(token: str, q: QuestionTally, names: dict[str, str]) -> None:
    """The reasons students gave, without names, each shown as plain text (escaped)."""
    found = connect.call(Store.reasons, instructor_token=token, question_id=q.question_id)
    if not found:
        return
    with st.expander(f"Reasons given ({len(found)}, no names)"):
        st.markdown("".join(f"<p>\u201c{parts.plain(reason)}\u201d <i>\u2014 {escape(names.get(action, action))}</i></p>"
                            for action, reason in found[-30:]), unsafe_allow_html=True)


def assumptions_panel(token: str, tally: Tally, scenario: Scenario, settings: classroom.ClassSettings) -> None:
    """The class's own assumptions: the map, the plays they lead to (one batched solve), the spread."""
    st.subheader("The class's own assumptions")
    points = connect.call(Store.assumption_points, instructor_token=token)
    if points is None:
        return
    values = classroom.class_values(scenario, settings)
    st.markdown(f'<div class="co-big">{len(points)} of {tally.students} sent their values</div>',
                unsafe_allow_html=True)
    if not points:
        st.caption("Open the parameters (instructor page); each student's point appears here as it arrives.")
        return
    names = settings.parameters
    seats, block = classroom.student_matrix(points, names, values)
    result = mc.run(classroom.own_plays, tally.scenario, scenario, values, names=names,
                    points=tuple(tuple(row) for row in block.tolist()))
    labels = tables.play_labels(scenario, result.paths)
    shares = classroom.play_shares(result)
    st.markdown(f'<div class="co-q">{escape(figures.own_play_sentence(labels, shares, len(points)), quote=False)}</div>',
                unsafe_allow_html=True)
    st.dataframe(figures.share_rows(labels, shares), hide_index=True, width="stretch",
                 column_config={"Share of the class": st.column_config.NumberColumn(**common.PCT)})
    params = {p.id: p for p in scenario.parameters}
    if settings.map:
        x, y = settings.map
        rm = mc.run(region_map, tally.scenario, scenario, values, big=True, x=x, y=y, points=MAP_POINTS)
        row = {n: i for i, n in enumerate(names)}
        spec = figures.class_map(scenario, rm, seats=seats, xs=block[row[x]], ys=block[row[y]],
                                 x_label=common.title(params[x]), y_label=common.title(params[y]))
        st.vega_lite_chart(spec, width="stretch", height=MAP_HEIGHT)
        st.caption("Each dot: one student's own values (a value a student did not send is the model's); "
                   "\u25c6 the model's values; each region coloured and numbered by its equilibrium play.")
    st.markdown("**The spread of each parameter the class set**")
    st.vega_lite_chart(figures.spread_chart(scenario, points, names, values), width="stretch")
    st.dataframe(figures.spread_rows(scenario, classroom.spread(points, names, values)), hide_index=True,
                 width="stretch")


def page() -> None:
    st.markdown(parts.CSS, unsafe_allow_html=True)
    token = instructor.key()
    if token is None:
        st.title("Live class: projector")
        instructor.no_class()
        return
    found = instructor.tally_and_scenario(token)
    if found is None:
        return
    tally, scenario, settings = found
    st.markdown(f"**{escape(scenario.title)}**")
    st.caption(NOTE)
    show = st.toggle("Show the join code", value=True, key=state.LIVE_SHOW_JOIN)
    drawn = signature(tally)
    live = show or tally.assumptions_open or any(q.state == "open" for q in tally.questions)
    st.fragment(board, run_every=REFRESH_S if live else None)(token, scenario, settings, drawn)
    if not live:
        st.button("Refresh", icon=":material/refresh:")


if __name__ == "__main__":
    page()
