"""Join a class (for students; built for a phone): join with the class's code and an optional nickname, no
account; then one question per screen (a move of the tree: "What will Israel do here?"), a prediction, an
optional reason, and the student's own values of the parameters the instructor opened.

The student's token is kept in the link (``?t=``), so a reload or a reconnect keeps the answers; a session
acts only with the first token it was given. A submission is shown as sent only when the store confirmed it
(its receipt); otherwise the page says it was NOT sent, and why. Nothing of an answer reaches this page
before its question is revealed: the page never solves the game for a question that is not revealed, and
the store gives a student only its own answers.

A tap on an answer or typing a reason does not rerun the page (``on_change="ignore"``): the values go with
Send, which is handled before the page is drawn, so a confirmed answer moves the phone on to the next open
question in the same run.
"""

from __future__ import annotations

import dataclasses
import time
from html import escape

import streamlit as st

from model import NOTE, Scenario, solve

from ui import model_calls as mc
from ui import state
from ui.live import classroom, connect, parts
from ui.live.records import StudentQuestion, StudentView
from ui.live.store import MAX_NICKNAME, MAX_REASON, RETENTION_DAYS, LiveError, Rejected

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


def join_form() -> str | None:
    """The join form; the new student's token once the store has added the student, else None."""
    code = st.query_params.get(state.LINK_CODE)
    if code and state.LIVE_CODE not in st.session_state:
        st.session_state[state.LIVE_CODE] = code[:20]
    if st.session_state.get(state.LIVE_JOIN):  # joined in this run: the class's page is drawn at once
        nickname = (st.session_state.get(state.LIVE_NICKNAME) or "").strip() or None
        try:
            joined = connect.store().join(join_code=st.session_state.get(state.LIVE_CODE) or "", nickname=nickname)
        except LiveError as error:
            message = str(error)
        else:
            st.session_state[state.LIVE_STUDENT] = joined.student_token
            st.query_params.pop(state.LINK_CODE, None)
            st.query_params[state.LINK_STUDENT] = joined.student_token
            return joined.student_token
    else:
        message = None
    st.title("Join a class")
    with st.form("live-join", border=False):
        st.text_input("Join code", key=state.LIVE_CODE, max_chars=20, placeholder="K7QM-3XPA")
        st.text_input("Nickname (optional)", key=state.LIVE_NICKNAME, max_chars=MAX_NICKNAME)
        st.form_submit_button("Join", type="primary", width="stretch", icon=":material/login:", key=state.LIVE_JOIN)
    if message:
        st.error(message, icon=":material/error:")
    st.caption(f"No account. The nickname is optional; the class sees only seat numbers. Your answers stay until "
               f"your instructor deletes the class, at most {RETENTION_DAYS} days. Keep this page's link to come "
               "back to your answers.")
    return None


def signature(view: StudentView) -> tuple:
    return tuple((q.question_id, q.state) for q in view.questions), view.assumptions_open, view.parameters


def poll(token: str, drawn: tuple) -> None:
    """A fragment that asks the store whether anything changed, and redraws the page if so."""
    if time.monotonic() - st.session_state.get(state.LIVE_READ_AT, 0.0) < POLL_S / 2:
        return  # the page has just read the store
    try:
        view = connect.store().student_view(student_token=token)
    except LiveError:
        return  # the next full run shows why
    if signature(view) != drawn:
        st.rerun()


def _clean(reason: str | None) -> str | None:
    """A reason as the store keeps it (so what is on screen can be compared with what was saved)."""
    return (reason or "").replace("\r\n", "\n").strip() or None


def sends(token: str, view: StudentView) -> tuple[StudentView, tuple[str, str] | None]:
    """A Send pressed in this run, handled before anything is drawn: the view with what the store confirmed,
    and (the screen sent, the sentence that says so); a refusal or failure is kept to be shown as NOT sent."""
    for q in view.questions:
        if not st.session_state.get(state.LIVE_SEND + q.question_id):
            continue
        failed_key = state.live_key(state.LIVE_FAILED, q.question_id)
        choice = st.session_state.get(state.live_key(state.LIVE_ANSWER, q.question_id))
        reason = _clean(st.session_state.get(state.live_key(state.LIVE_REASON, q.question_id)))
        try:
            if choice is None:
                raise LiveError("Choose an answer first.")
            receipt = connect.store().submit_prediction(student_token=token, question_id=q.question_id,
                                                        action=choice, reason=reason)
        except LiveError as error:
            st.session_state[failed_key] = ((choice, reason), str(error))
            return view, None
        st.session_state.pop(failed_key, None)
        saved = dataclasses.replace(q, my_action=receipt.action, my_reason=reason)
        view = dataclasses.replace(view, questions=tuple(saved if x is q else x for x in view.questions))
        waiting = [x.question_id for x in view.questions if x.state == "open" and not x.my_action]
        if waiting:  # on to the next open question
            st.session_state[state.LIVE_SCREEN] = waiting[0]
        return view, (q.question_id, f"Sent \u2713 Your answer to question {view.questions.index(saved) + 1} "
                                      "is saved.")
    if st.session_state.get(state.LIVE_SEND + VALUES):
        failed_key = state.live_key(state.LIVE_FAILED, VALUES)
        shown = {r.name: st.session_state.get(state.live_key(state.LIVE_VALUE, r.name)) for r in view.parameters}
        try:
            receipt = connect.store().submit_assumptions(student_token=token, values=shown)
        except LiveError as error:
            st.session_state[failed_key] = ((tuple(sorted(shown.items())), None), str(error))
            return view, None
        st.session_state.pop(failed_key, None)
        return dataclasses.replace(view, my_values=tuple(sorted({**dict(view.my_values), **dict(receipt.values)}
                                                                 .items()))), None
    return view, None


def screen(view: StudentView, screens: list[str]) -> str:
    """The screen to show: the one chosen; or a question that has just opened (or been revealed), when the
    student is not in the middle of an open one; or the first open question not yet answered."""
    before = st.session_state.get(state.LIVE_SEEN, {})
    now = {q.question_id: q.state for q in view.questions}
    st.session_state[state.LIVE_SEEN] = now
    chosen = st.session_state.get(state.LIVE_SCREEN)
    busy = now.get(chosen) == "open" and not next(q.my_action for q in view.questions if q.question_id == chosen)
    fresh = [qid for qid, s in now.items() if s in ("open", "revealed") and before.get(qid) != s and before]
    if chosen in screens and (busy or not fresh):
        return chosen
    waiting = [q.question_id for q in view.questions if q.state == "open" and not q.my_action]
    pick = (fresh or waiting or ([chosen] if chosen in screens else screens[:1]))[0]
    st.session_state[state.LIVE_SCREEN] = pick
    return pick


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
                  key=state.LIVE_BACK)
        st.button("Next \u2192", on_click=_go, args=(screens[min(i + 1, len(screens) - 1)],),
                  disabled=i == len(screens) - 1, width="stretch", key=state.LIVE_NEXT)


def question_screen(scenario: Scenario, settings: classroom.ClassSettings, key: str, q: StudentQuestion) -> None:
    text, names = parts.labels(scenario, q.question_id)
    st.markdown(f'<div class="co-q">{escape(text)}</div>', unsafe_allow_html=True)
    failed_key = state.live_key(state.LIVE_FAILED, q.question_id)
    if q.state == "revealed":
        revealed(scenario, settings, key, q, names)
        return
    if q.state == "closed":
        mine = f"Your answer: \u201c{escape(names.get(q.my_action, q.my_action))}\u201d." if q.my_action else \
            "You did not answer it."
        if failed_key in st.session_state:
            st.error(f"NOT sent. {st.session_state[failed_key][1]}", icon=":material/error:")
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
                      label_visibility="collapsed", on_change="ignore", **extra)
    reason = _clean(st.text_area("Why? (optional)", key=rk, max_chars=MAX_REASON, height=90, on_change="ignore"))
    st.button("Send my answer", type="primary", width="stretch", icon=":material/send:",
              key=state.LIVE_SEND + q.question_id)
    status((q.my_action, _clean(q.my_reason)), (choice, reason), failed_key,
           f"Sent \u2713 \u201c{names.get(q.my_action, q.my_action)}\u201d is saved.")


def status(confirmed: tuple, shown: tuple, failed_key: str, saved: str) -> None:
    """Sent (the store confirmed what is on screen), NOT sent (the store refused or failed: why), or not sent yet."""
    failed = st.session_state.get(failed_key)
    if failed is not None and failed[0] == shown and shown != confirmed:
        st.error(f"NOT sent. {failed[1]}", icon=":material/error:")
    elif shown == confirmed and confirmed[0] is not None:
        st.success(saved, icon=":material/check_circle:")
    elif confirmed[0] is not None:
        st.warning(f"Not sent yet: press Send to save what is on screen. {saved.replace('Sent', 'Saved before:', 1)}",
                   icon=":material/schedule_send:")
    else:
        st.caption("Choose, then press Send.")


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


def values_screen(scenario: Scenario, settings: classroom.ClassSettings, view: StudentView) -> None:
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
                                disabled=not view.assumptions_open, on_change="ignore")
    if not view.assumptions_open:
        st.info("Your instructor has closed the parameters; your values as saved are shown.", icon=":material/lock:")
        return
    st.button("Send my values", type="primary", width="stretch", icon=":material/send:", key=state.LIVE_SEND + VALUES)
    confirmed = tuple(sorted(mine.items())) or None
    status((confirmed, None), (tuple(sorted(shown.items())), None), state.live_key(state.LIVE_FAILED, VALUES),
           "Sent \u2713 Your values are saved.")


def page() -> None:
    st.markdown(parts.CSS + parts.PHONE_CSS, unsafe_allow_html=True)
    token = bound_token() or join_form()
    if token is None:
        return
    try:
        view = connect.store().student_view(student_token=token)
    except Rejected as error:
        st.session_state.pop(state.LIVE_STUDENT, None)
        st.query_params.pop(state.LINK_STUDENT, None)
        st.error(str(error), icon=":material/error:")
        join_form()
        return
    except LiveError as error:
        st.error(f"{error} Your answers so far are kept.", icon=":material/error:")
        st.button("Try again", icon=":material/refresh:")
        return
    st.session_state[state.LIVE_READ_AT] = time.monotonic()
    scenario = parts.class_scenario(view.scenario, lambda: connect.store().scenario_file(student_token=token))
    if scenario is None:
        return
    settings = classroom.ClassSettings.parse(view.settings_json, scenario)
    view, sent = sends(token, view)
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
    if sent and current != sent[0]:  # moved on: say here that the last answer is saved
        st.success(sent[1], icon=":material/check_circle:")
    where(screens, current)
    if current == VALUES:
        values_screen(scenario, settings, view)
    else:
        question_screen(scenario, settings, view.scenario, next(q for q in view.questions if q.question_id == current))
    navigation(screens, current)


if __name__ == "__main__":
    page()
