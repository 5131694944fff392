"""Join a class (for students; built for a phone): join with the class's code and an optional nickname, no
account; then one question per screen (a move of the tree: "What will Israel do here?"), a prediction, an
optional reason, and the student's own values of the parameters the instructor opened.

The student's token is kept in the link (``?t=``), so a reload or a reconnect keeps the answers; a session
acts only with the first token it was given. A submission is shown as sent only when the store confirmed it
(its receipt); otherwise the page says it was NOT sent, and why. Nothing of an answer reaches this page
before its question is revealed: the page never solves the game for a question that is not revealed, and
the store gives a student only its own answers.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from model import NOTE, Scenario, solve

from ui import model_calls as mc
from ui import state
from ui.live import classroom, connect, parts
from ui.live.records import StudentQuestion, StudentView
from ui.live.store import MAX_NICKNAME, MAX_REASON, LiveError, Rejected, RETENTION_DAYS

POLL_S = 4.0  # how often an open page asks the store whether a question opened, closed or was revealed
VALUES = state.LIVE_VALUES_SCREEN


def bound_token() -> str | None:
    """The token this session acts with: the first one it was given (by joining here, or in its link)."""
    link = st.query_params.get(state.LINK_STUDENT)
    bound = st.session_state.get(state.LIVE_STUDENT)
    if bound is None:
        if link:
            st.session_state[state.LIVE_STUDENT] = link
        return link or None
    if link != bound:
        if link is not None:
            st.warning("This page keeps answering for the student who joined in it; it does not switch to another "
                       "student's link.", icon=":material/block:")
        st.query_params[state.LINK_STUDENT] = bound
    return bound


def join_form() -> None:
    st.title("Join a class")
    code = st.query_params.get(state.LINK_CODE)
    if code and state.LIVE_CODE not in st.session_state:
        st.session_state[state.LIVE_CODE] = code[:20]
    with st.form("live-join", border=False):
        st.text_input("Join code", key=state.LIVE_CODE, max_chars=20, placeholder="K7QM-3XPA")
        st.text_input("Nickname (optional)", key=state.LIVE_NICKNAME, max_chars=MAX_NICKNAME)
        joining = st.form_submit_button("Join", type="primary", width="stretch", icon=":material/login:")
    if joining:
        nickname = (st.session_state.get(state.LIVE_NICKNAME) or "").strip() or None
        try:
            joined = connect.store().join(join_code=st.session_state.get(state.LIVE_CODE) or "", nickname=nickname)
        except LiveError as error:
            st.error(str(error), icon=":material/error:")
        else:
            st.session_state[state.LIVE_STUDENT] = joined.student_token
            st.query_params.pop(state.LINK_CODE, None)
            st.query_params[state.LINK_STUDENT] = joined.student_token
            st.rerun()
    st.caption(f"No account. The nickname is optional; the class sees only seat numbers. Your answers stay until "
               f"your instructor deletes the class, at most {RETENTION_DAYS} days. Keep this page's link to come "
               "back to your answers.")


def signature(view: StudentView) -> tuple:
    return tuple((q.question_id, q.state) for q in view.questions), view.assumptions_open, view.parameters


def poll(token: str, drawn: tuple) -> None:
    """A fragment that asks the store whether anything changed, and redraws the page if so."""
    try:
        view = connect.store().student_view(student_token=token)
    except LiveError:
        return  # the next full run shows why
    if signature(view) != drawn:
        st.rerun()


def screen(view: StudentView, screens: list[str]) -> str:
    """The screen to show: the one chosen; or a question that has just opened (or been revealed), when the
    student is not in the middle of an open one; or the first open question not yet answered."""
    before = st.session_state.get(state.LIVE_SEEN, {})
    now = {q.question_id: q.state for q in view.questions}
    st.session_state[state.LIVE_SEEN] = now
    chosen = st.session_state.get(state.LIVE_SCREEN)
    busy = chosen in now and now[chosen] == "open" and not _answer_of(view, chosen)
    fresh = [qid for qid, s in now.items() if s in ("open", "revealed") and before.get(qid) != s and before]
    if chosen in screens and (busy or not fresh):
        return chosen
    waiting = [q.question_id for q in view.questions if q.state == "open" and not q.my_action]
    pick = (fresh or waiting or ([chosen] if chosen in screens else screens[:1]))[0]
    st.session_state[state.LIVE_SCREEN] = pick
    return pick


def _answer_of(view: StudentView, question_id: str) -> str | None:
    return next((q.my_action for q in view.questions if q.question_id == question_id), None)


def _go(target: str) -> None:
    st.session_state[state.LIVE_SCREEN] = target


def where(screens: list[str], current: str) -> None:
    n = len([s for s in screens if s != VALUES])
    st.caption("Your own assumptions" if current == VALUES else f"Question {screens.index(current) + 1} of {n}")


def navigation(screens: list[str], current: str) -> None:
    """Back and Next, side by side even on a phone (a horizontal container does not stack)."""
    if len(screens) < 2:
        return
    i = screens.index(current)
    with st.container(horizontal=True):
        st.button("\u2190 Back", on_click=_go, args=(screens[max(i - 1, 0)],), disabled=i == 0, width="stretch",
                  key="live-back")
        st.button("Next \u2192", on_click=_go, args=(screens[min(i + 1, len(screens) - 1)],),
                  disabled=i == len(screens) - 1, width="stretch", key="live-next")


def _clean(reason: str | None) -> str | None:
    """A reason as the store keeps it (so what is on screen can be compared with what was saved)."""
    return (reason or "").replace("\r\n", "\n").strip() or None


def question_screen(token: str, scenario: Scenario, settings: classroom.ClassSettings, key: str,
                    q: StudentQuestion) -> None:
    text, names = parts.labels(scenario, q.question_id)
    st.markdown(f'<div class="co-q">{escape(text)}</div>', unsafe_allow_html=True)
    if q.state == "revealed":
        revealed(scenario, settings, key, q, names)
        return
    if q.state == "closed":
        mine = f"Your answer: \u201c{escape(names.get(q.my_action, q.my_action))}\u201d." if q.my_action else \
            "You did not answer it."
        st.info(f"This question is closed; wait for the reveal. {mine}", icon=":material/lock:")
        return
    k, rk = state.live_key(state.LIVE_ANSWER, q.question_id), state.live_key(state.LIVE_REASON, q.question_id)
    state.keep_valid(k, q.actions)  # only the question's own answers, whatever the session was sent
    if k not in st.session_state and q.my_action in q.actions:
        st.session_state[k] = q.my_action
    if rk not in st.session_state and q.my_reason:
        st.session_state[rk] = q.my_reason
    extra = {} if k in st.session_state else {"index": None}
    choice = st.radio("Your prediction", q.actions, key=k, format_func=lambda a: names.get(a, a),
                      label_visibility="collapsed", **extra)
    reason = _clean(st.text_area("Why? (optional)", key=rk, max_chars=MAX_REASON, height=90))
    confirmed = (q.my_action, _clean(q.my_reason))
    failed_key = state.live_key(state.LIVE_FAILED, q.question_id)
    if st.button("Send my answer", type="primary", width="stretch", disabled=choice is None, icon=":material/send:",
                 key=f"live-send-{q.question_id}"):
        try:
            receipt = connect.store().submit_prediction(student_token=token, question_id=q.question_id, action=choice,
                                                        reason=reason)
        except LiveError as error:
            st.session_state[failed_key] = ((choice, reason), str(error))
        else:
            st.session_state.pop(failed_key, None)
            confirmed = (receipt.action, reason)
    status(confirmed, (choice, reason), failed_key, f"Sent \u2713 \u201c{names.get(choice, choice)}\u201d is saved.")


def status(confirmed: tuple, shown: tuple, failed_key: str, saved: str) -> None:
    """Sent (the store confirmed what is on screen), NOT sent (the store refused or failed: why), or not sent yet."""
    failed = st.session_state.get(failed_key)
    if shown == confirmed:
        st.success(saved, icon=":material/check_circle:")
    elif failed is not None and failed[0] == shown:
        st.error(f"NOT sent. {failed[1]}", icon=":material/error:")
    elif shown[0] is None:
        st.caption("Choose an answer, then press Send.")
    else:
        st.warning("Not sent yet: press Send to save it.", icon=":material/schedule_send:")


def revealed(scenario: Scenario, settings: classroom.ClassSettings, key: str, q: StudentQuestion,
             names: dict[str, str]) -> None:
    """The model's answer to a revealed question (solved here, and only here), against the student's own."""
    solution = mc.run(solve, key, scenario, classroom.class_values(scenario, settings))
    choice = solution.choice(q.question_id)
    model = escape(names.get(choice.action, choice.action))
    if q.my_action is None:
        verdict = "You did not answer."
    elif q.my_action == choice.action:
        verdict = "\u2713 You predicted it."
    else:
        verdict = f"\u2717 You predicted \u201c{escape(names.get(q.my_action, q.my_action))}\u201d."
    st.markdown(f'<div class="co-big">The model: \u201c{model}\u201d</div><p style="font-size:1.25rem">{verdict}</p>',
                unsafe_allow_html=True)
    st.caption(choice.explanation)


def values_screen(token: str, scenario: Scenario, settings: classroom.ClassSettings, view: StudentView) -> None:
    st.markdown('<div class="co-q">Your own assumptions</div>', unsafe_allow_html=True)
    st.caption("Set each as you think it really is. The projector shows where the class's own values put the "
               "equilibrium.")
    mine, values, shown = dict(view.my_values), classroom.class_values(scenario, settings), {}
    known = {p.id: p for p in scenario.parameters}
    for r in view.parameters:
        p = known.get(r.name)
        if p is None:
            continue
        low, high = max(r.low, p.min), min(r.high, p.max)
        k = state.live_key(state.LIVE_VALUE, p.id)
        if not state.number_in(st.session_state.get(k), low, high):  # new, or not a number inside the range
            st.session_state[k] = min(max(mine.get(p.id, values[p.id]), low), high)
        shown[p.id] = st.slider(p.label, min_value=low, max_value=high, step=p.step, key=k, help=p.description,
                                disabled=not view.assumptions_open)
    if not view.assumptions_open:
        st.info("Your instructor has closed the parameters; your values as saved are shown.", icon=":material/lock:")
        return
    failed_key = state.live_key(state.LIVE_FAILED, VALUES)
    confirmed = tuple(sorted(mine.items()))
    now = tuple(sorted(shown.items()))
    if st.button("Send my values", type="primary", width="stretch", icon=":material/send:", key="live-send-values"):
        try:
            receipt = connect.store().submit_assumptions(student_token=token, values=shown)
        except LiveError as error:
            st.session_state[failed_key] = ((now, None), str(error))
        else:
            st.session_state.pop(failed_key, None)
            confirmed = tuple(sorted({**mine, **dict(receipt.values)}.items()))
    status((confirmed, None), (now, None), failed_key, "Sent \u2713 Your values are saved.")


def page() -> None:
    st.markdown(parts.CSS + parts.PHONE_CSS, unsafe_allow_html=True)
    token = bound_token()
    if token is None:
        join_form()
        return
    try:
        view = connect.store().student_view(student_token=token)
    except Rejected as error:
        st.error(str(error), icon=":material/error:")
        st.session_state.pop(state.LIVE_STUDENT, None)
        st.query_params.pop(state.LINK_STUDENT, None)
        join_form()
        return
    except LiveError as error:
        st.error(f"{error} Your answers so far are kept.", icon=":material/error:")
        st.button("Try again", icon=":material/refresh:")
        return
    scenario = parts.class_scenario(view.scenario, lambda: connect.store().scenario_file(student_token=token))
    if scenario is None:
        return
    settings = classroom.ClassSettings.parse(view.settings_json, scenario)
    who = f" \u00b7 {parts.plain(view.nickname)}" if view.nickname else ""
    st.markdown(f"**{escape(scenario.title)}**  \nSeat {view.seat}{who}", unsafe_allow_html=True)
    st.caption(NOTE)
    st.fragment(poll, run_every=POLL_S)(token, signature(view))
    screens = [q.question_id for q in view.questions]
    if view.parameters and (view.assumptions_open or view.my_values):
        screens.append(VALUES)
    if not screens:
        st.info("You have joined. Wait for your instructor to open a question: this page updates by itself.",
                icon=":material/hourglass_top:")
        return
    current = screen(view, screens)
    where(screens, current)
    if current == VALUES:
        values_screen(token, scenario, settings, view)
    else:
        question_screen(token, scenario, settings, view.scenario,
                        next(q for q in view.questions if q.question_id == current))
    navigation(screens, current)


if __name__ == "__main__":
    page()
