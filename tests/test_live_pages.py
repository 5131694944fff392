"""The live class's pages in AppTest, on a real SQLite store in a temporary data folder: the instructor's page,
the projector and a student's phone page. What a student sees before and after a reveal, hostile links and
inputs, another student's token, and a store that refuses or fails, shown as NOT sent.

A student's page and the projector open as their own scripts (a phone opens the join link; the projector
window an instructor link); the instructor's page opens through the app, on a teacher's laptop
(``CONDITIONAL_OFFER_INSTRUCTOR=local``). ``tests/test_access.py`` keeps every instructor page from students.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3

import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest  # noqa: E402

import ui.live.classroom as classroom_module  # noqa: E402
import ui.model_calls as model_calls  # noqa: E402
from model import load_scenario, solve  # noqa: E402
from ui.access import LOCAL_ENV, PASSCODE_ENV  # noqa: E402
from ui.live import connect  # noqa: E402
from ui.live.classroom import ClassSettings  # noqa: E402
from ui.live.migrations import default_url  # noqa: E402
from ui.live.store import NewSession, Rejected, Store, open_store  # noqa: E402
from ui.pages import page as page_of  # noqa: E402

from .apptest import page  # noqa: E402
from .conftest import ROOT  # noqa: E402

DEFAULT = load_scenario(ROOT / "scenarios" / "default.toml")
MODEL = solve(DEFAULT)
JOIN, PROJECTOR = str(page_of("live_join").file), str(page_of("live_projector").file)
QUESTIONS = ("us_offer", "israel_answers")
PARAMETERS = ("p_detect", "w_il_deterrence")
CONTROLS = {"Open", "Open again", "Close", "Reveal", "Reset", "Reset the class", "Delete the class",
            "Open the parameters to students", "Close the parameters", "Export everything (CSV)"}


@pytest.fixture
def live(monkeypatch, tmp_path):
    """A fresh store in a temporary data folder, as the app's pages find it; a teacher's laptop."""
    for name in ("CONDITIONAL_OFFER_DB_URL", PASSCODE_ENV, "CONDITIONAL_OFFER_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONDITIONAL_OFFER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(LOCAL_ENV, "local")
    store = open_store()
    yield store
    store.close()


def actions(question_id: str) -> list[str]:
    return [a.id for a in DEFAULT.node(question_id).actions]


def make_class(store: Store, *, cap: int = 200, opened=QUESTIONS[:1], parameters: bool = False) -> NewSession:
    """A class as the instructor's page opens one, with some questions open (and the parameters)."""
    settings = ClassSettings(QUESTIONS, PARAMETERS, PARAMETERS).to_json()
    s = store.create_session(scenario="preset:default", settings=settings, student_cap=cap)
    for qid in opened:
        store.open_question(instructor_token=s.instructor_token, question_id=qid, actions=actions(qid))
    if parameters:
        store.open_assumptions(instructor_token=s.instructor_token, ranges={p: (0.0, 1.0) for p in PARAMETERS})
    return s


def phone(**query) -> AppTest:
    """A student's page opened from a link with ``query``."""
    at = AppTest.from_file(JOIN, default_timeout=30)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def projector(token: str) -> AppTest:
    at = AppTest.from_file(PROJECTOR, default_timeout=60)
    at.query_params["key"] = token
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [x.value for kind in (at.info, at.success, at.warning, at.error) for x in kind]
    return "\n".join(parts)


def button(at: AppTest, label: str, n: int = 0):
    return [b for b in at.button if b.label == label][n]


def join(at: AppTest, nickname: str = "") -> AppTest:
    at.text_input(key="live-nickname").input(nickname)
    return button(at, "Join").click().run()


def answer(at: AppTest, question_id: str, action: str, reason: str = "") -> AppTest:
    at.radio(key=f"live-answer-{question_id}").set_value(action)  # a tap does not rerun the page: Send does
    at.text_area(key=f"live-reason-{question_id}").input(reason)
    return button(at, "Send my answer").click().run()


def clean(at: AppTest) -> None:
    assert not at.exception, at.exception


# -- the instructor -----------------------------------------------------------------------------------


def test_the_instructor_opens_a_class_shows_its_code_link_and_qr_runs_it_and_deletes_it(live):
    at = page(page_of("live_class").script)
    clean(at)
    button(at, "Open the class").click().run()
    clean(at)
    token = at.session_state["live-instructor"]
    tally = live.tally(instructor_token=token)
    code = tally.join_code
    shown = texts(at)
    assert f"{code[:4]}-{code[4:]}" in shown and f"/live_join?code={code}" in shown
    assert 'aria-label="QR code of the join link"' in shown and "<path" in shown
    assert token not in shown  # the key is shown only in its folded expander, as code
    button(at, "Open").click().run()  # the first question
    button(at, "Open the parameters to students").click().run()
    clean(at)
    tally = live.tally(instructor_token=token)
    assert [(q.question_id, q.state) for q in tally.questions] == [(DEFAULT.nodes[0].id, "open")]
    assert tally.assumptions_open and {p.name for p in tally.parameters} == set(ClassSettings.parse(
        tally.settings_json, DEFAULT).parameters)
    button(at, "Reveal").click().run()
    assert live.tally(instructor_token=token).questions[0].state == "revealed"
    assert button(at, "Delete the class").disabled  # not before it is confirmed
    at.checkbox(key="live-confirm-delete").check().run()
    button(at, "Delete the class").click().run()
    clean(at)
    with pytest.raises(Rejected, match="class was deleted"):
        live.tally(instructor_token=token)
    assert "Open the class" in [b.label for b in at.button]


# -- a student's phone ------------------------------------------------------------------------------


def test_a_student_joins_by_link_answers_and_a_reload_keeps_the_answer(live):
    s = make_class(live)
    at = phone(code=s.join_code)
    clean(at)
    assert at.text_input(key="live-code").value == s.join_code
    join(at, "Ann")
    token = at.query_params["t"]
    assert "code" not in at.query_params and "Seat 1" in texts(at)
    answer(at, "us_offer", "no_offer", "They cannot enforce it.")
    clean(at)
    assert [x.value for x in at.success] == ["Sent \u2713 \u201cNo offer\u201d is saved."]
    assert live.tally(instructor_token=s.instructor_token).question("us_offer").counts[2] == ("no_offer", 1)
    again = phone(t=token)  # a reload: a new session from the same link
    clean(again)
    assert again.radio(key="live-answer-us_offer").value == "no_offer"
    assert again.text_area(key="live-reason-us_offer").value == "They cannot enforce it."
    assert [x.value for x in again.success] == ["Sent \u2713 \u201cNo offer\u201d is saved."]


@pytest.fixture
def model_spy(monkeypatch):
    """Every model call a page makes (through ui.model_calls.run, and any sweep of the live class)."""
    calls = []
    real_run, real_sweep = model_calls.run, classroom_module.sweep

    def run(fn, *args, **kwargs):
        calls.append(fn.__name__)
        return real_run(fn, *args, **kwargs)

    def sweep(*args, **kwargs):
        calls.append("sweep")
        return real_sweep(*args, **kwargs)

    monkeypatch.setattr(model_calls, "run", run)
    monkeypatch.setattr(classroom_module, "sweep", sweep)
    return calls


def test_nothing_of_the_answer_reaches_a_students_page_before_the_reveal(live, model_spy):
    s = make_class(live, opened=QUESTIONS, parameters=True)
    other = live.join(join_code=s.join_code, nickname="Ben")
    live.submit_prediction(student_token=other.student_token, question_id="us_offer", action="no_offer",
                           reason="Only Ben's reason")
    at = join(phone(code=s.join_code), "Ann")
    answer(at, "us_offer", "conditional")
    live.close_question(instructor_token=s.instructor_token, question_id="us_offer")
    screens = []
    for target in ("us_offer", "israel_answers", "-values"):
        at.session_state["live-screen"] = target
        screens.append(texts(at.run()))
        clean(at)
    shown = "\n".join(screens)
    assert "This question is closed; wait for the reveal" in shown
    for c in MODEL.choices:
        assert c.explanation not in shown
    for word in ("The model", "the model", "\u2713 You predicted", "\u2717", "Only Ben's reason", "Ben"):
        assert word not in shown, word
    assert model_spy == []  # nothing solved: no answer exists on the server's side of this page either
    live.reveal_question(instructor_token=s.instructor_token, question_id="us_offer")
    at.session_state["live-screen"] = "us_offer"
    shown = texts(at.run())
    assert "The model: \u201cConditional offer\u201d" in shown and "\u2713 You predicted it." in shown
    assert MODEL.choice("us_offer").explanation in shown
    assert model_spy == ["solve"]
    at.session_state["live-screen"] = "israel_answers"  # still open: still nothing of its answer
    shown = texts(at.run())
    assert "The model" not in shown and MODEL.choice("israel_answers").explanation not in shown


# -- hostile links and inputs -----------------------------------------------------------------------


@pytest.mark.parametrize("link, message", [
    pytest.param(lambda s, a: {"t": secrets.token_urlsafe(16)}, "This student link is not valid, or its class was "
                 "deleted; join again", id="forged-token"),
    pytest.param(lambda s, a: {"t": "../../etc/passwd"}, "This student link is not valid; open the link", id="path"),
    pytest.param(lambda s, a: {"t": "x" * 5000}, "This student link is not valid; open the link", id="huge-token"),
    pytest.param(lambda s, a: {"t": s.instructor_token}, "This student link is not valid", id="instructor-key"),
    pytest.param(lambda s, a: {"key": s.instructor_token}, None, id="instructor-key-as-key"),
    pytest.param(lambda s, a: {"t": a.student_token + "x"}, "This student link is not valid", id="altered-token"),
])
def test_a_hostile_student_link_opens_nothing_but_the_join_form(live, link, message):
    s = make_class(live)
    a = live.join(join_code=s.join_code)
    live.submit_prediction(student_token=a.student_token, question_id="us_offer", action="unconditional")
    at = phone(**link(s, a))
    clean(at)
    if message:
        assert message in "\n".join(e.value for e in at.error)
    assert [b.label for b in at.button] == ["Join"] and not at.radio  # no question, no control, nothing of a's
    assert not CONTROLS & {b.label for b in at.button}
    assert "Share unconditionally" not in texts(at) and "t" not in at.query_params


@pytest.mark.parametrize("code, message", [
    ("ABCD-EFGH", "No class has the join code ABCD-EFGH; check the code with your instructor."),
    ("0000-1111", "'0000-1111' is not a join code: a join code is 8 letters and digits (no 0, 1, I, L or O)"),
    ("<script>", "'<script>' is not a join code"),
])
def test_a_wrong_join_code_gets_a_clear_message(live, code, message):
    make_class(live)
    at = join(phone(code=code))
    clean(at)
    assert message in "\n".join(e.value for e in at.error)
    assert "t" not in at.query_params


def test_hostile_inputs_on_the_phone_are_refused_capped_or_shown_escaped(live):
    s = make_class(live, parameters=True)
    nickname = "<img src=x onerror=alert(1)>[me](javascript:x)"[:40]
    at = join(phone(code=s.join_code), nickname)
    header = next(m.value for m in at.markdown if "Seat 1" in m.value)
    assert "<img" not in header and "[me]" not in header and "&#60;img" in header  # shown as typed, never read
    answer(at, "us_offer", "conditional", "x" * 2000)  # longer than the cap: the widget drops it
    assert live.export_csv(instructor_token=s.instructor_token).count("x" * 281) == 0
    at.session_state["live-screen"] = "-values"
    at.session_state["live-value-p_detect"] = 7.5  # outside the range
    at.session_state["live-value-w_il_deterrence"] = float("nan")
    at.run()
    clean(at)
    assert at.slider(key="live-value-p_detect").value == pytest.approx(DEFAULT.values["p_detect"])
    button(at, "Send my values").click().run()
    assert [x.value for x in at.success] == ["Sent \u2713 Your values are saved."]
    (point,) = live.assumption_points(instructor_token=s.instructor_token)
    assert all(0.0 <= v <= 1.0 for _, v in point.values)
    too_long = join(phone(code=s.join_code), "n" * 41)  # longer than the widget allows: the widget drops it
    assert "Seat 2" in texts(too_long)


def test_a_student_session_never_acts_with_another_students_token(live):
    s = make_class(live)
    ben = live.join(join_code=s.join_code, nickname="Ben")
    live.submit_prediction(student_token=ben.student_token, question_id="us_offer", action="no_offer")
    at = join(phone(code=s.join_code), "Ann")
    mine = at.query_params["t"]
    at.query_params["t"] = ben.student_token  # the link now names Ben
    at.run()
    clean(at)
    assert "does not switch to another student's link" in "\n".join(w.value for w in at.warning)
    assert at.query_params["t"] == mine and "Seat 2" in texts(at) and "Ben" not in texts(at)
    answer(at, "us_offer", "conditional")
    assert live.student_view(student_token=ben.student_token).questions[0].my_action == "no_offer"
    assert live.student_view(student_token=mine).questions[0].my_action == "conditional"


def test_a_full_class_says_so(live):
    s = make_class(live, cap=1)
    join(phone(code=s.join_code))
    at = join(phone(code=s.join_code))
    assert [e.value for e in at.error] == ["This class is full (1 students); ask your instructor to raise the cap."]


# -- what the store did not confirm is NOT sent -------------------------------------------------------


@contextlib.contextmanager
def held_write_lock():
    conn = sqlite3.connect(default_url().removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_a_locked_database_shows_not_sent_and_a_retry_sends(live, monkeypatch):
    monkeypatch.setattr(connect, "TIMEOUT_S", 0.3)
    s = make_class(live)
    at = join(phone(code=s.join_code))
    with held_write_lock():
        answer(at, "us_offer", "conditional")
    clean(at)
    assert not at.success
    assert [e.value for e in at.error] == ["NOT sent. The class store could not save your answer: the database is "
                                           "busy (another writer holds its lock). It was NOT sent; try again."]
    assert live.tally(instructor_token=s.instructor_token).question("us_offer").answered == 0
    at.run()  # until it is sent, it says so
    assert at.error and not at.success
    button(at, "Send my answer").click().run()
    assert [x.value for x in at.success] == ["Sent \u2713 \u201cConditional offer\u201d is saved."] and not at.error


def test_the_rate_limit_shows_not_sent(live):
    s = make_class(live)
    at = join(phone(code=s.join_code))
    for i in range(10):
        answer(at, "us_offer", ["conditional", "no_offer"][i % 2])
        assert at.success
    answer(at, "us_offer", "unconditional")
    assert at.error[0].value.startswith("NOT sent. Too many answers too fast (at most 10 in 10 s)")
    assert live.student_view(student_token=at.query_params["t"]).questions[0].my_action == "no_offer"


def test_an_unreachable_database_is_said_on_the_page(live, monkeypatch):
    s = make_class(live)
    a = live.join(join_code=s.join_code)
    monkeypatch.setenv("CONDITIONAL_OFFER_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:9/nothing")
    monkeypatch.setattr(connect, "TIMEOUT_S", 1.0)
    at = phone(t=a.student_token)
    clean(at)
    assert at.error[0].value.startswith("The class store could not open: the database cannot be reached.")
    assert "Your answers so far are kept." in at.error[0].value
    assert join(phone(code=s.join_code)).error[0].value.startswith("The class store could not open")


# -- the projector ------------------------------------------------------------------------------------


def test_the_projector_counts_the_answers_and_shows_the_match_only_after_the_reveal(live):
    s = make_class(live)
    for action, reason in (("conditional", "<b>deal</b>"), ("conditional", None), ("no_offer", None)):
        j = live.join(join_code=s.join_code)
        live.submit_prediction(student_token=j.student_token, question_id="us_offer", action=action, reason=reason)
    live.join(join_code=s.join_code)  # one who has not answered
    at = projector(s.instructor_token)
    clean(at)
    shown = texts(at)
    assert "4 joined" in shown and "3 of 4 answered" in shown
    assert "2 (67%)" in shown and "0 (0%)" in shown and "1 (33%)" in shown
    assert "matched the model" not in shown and "\u2713 the model" not in shown
    assert MODEL.choice("us_offer").explanation not in shown
    assert "key" not in at.query_params  # the instructor key left the address bar at once
    button(at, "Reveal").click().run()
    clean(at)
    shown = texts(at)
    assert "67% matched the model: \u201cConditional offer\u201d" in shown
    assert "Conditional offer \u2713 the model" in shown and MODEL.choice("us_offer").explanation in shown
    assert "&#60;b&#62;deal&#60;/b&#62;" in shown and "<b>deal</b>" not in shown  # a reason, shown as typed


def test_the_projector_shows_the_class_assumptions_with_one_batched_solve(live, model_spy):
    s = make_class(live, opened=(), parameters=True)
    own = [{"p_detect": 0.2, "w_il_deterrence": 0.9}, {"p_detect": 0.9, "w_il_deterrence": 0.1},
           {"p_detect": 0.7, "w_il_deterrence": 0.7}, {"p_detect": 0.3}]
    for values in own:
        j = live.join(join_code=s.join_code)
        live.submit_assumptions(student_token=j.student_token, values=values)
    at = projector(s.instructor_token)
    clean(at)
    assert model_spy.count("own_plays") == model_spy.count("sweep") == 1  # every student in one solve, not one each
    plays = [solve(DEFAULT, values=v).path for v in own]  # the check: each student solved on its own
    steps = [tuple((step.node, step.action) for step in p if step.action) for p in plays]
    top = max(set(steps), key=steps.count)
    shown = texts(at)
    assert "4 of 4 sent their values" in shown
    assert f"{100 * steps.count(top) / 4:.0f}% of the class ({steps.count(top)} of 4) get" in shown
    assert "the model's values lead there too" in shown
    shares, spread = (d.value for d in at.dataframe)
    assert sorted(shares["Students"].tolist(), reverse=True) == sorted((steps.count(p) for p in set(steps)),
                                                                       reverse=True)
    row = spread.set_index("Parameter").loc[DEFAULT.parameter("p_detect").label]
    assert (row["Students"], row["Median"], row["The model's value"]) == (4, pytest.approx(0.5), 0.6)


def test_a_class_on_the_current_scenario_an_upload_at_moved_values_reaches_every_phone(live):
    """"The current one": an uploaded file at the Explore page's values. The file is kept with the class, so a
    phone (another session, any process) opens it; the model's answer is the one at those values."""
    data = (ROOT / "scenarios" / "default.toml").read_bytes().replace(b'"No offer"', b'"Offer nothing"')
    at = page(page_of("live_class").script)
    at.file_uploader[0].set_value(("my_class.toml", data, "application/toml")).run()
    at.session_state["p_detect"] = 0.2  # a slider moved on the Explore page (the US then makes no offer)
    at.run()
    button(at, "Open the class").click().run()
    clean(at)
    token = at.session_state["live-instructor"]
    tally = live.tally(instructor_token=token)
    assert tally.scenario.startswith("upload:") and live.scenario_file(instructor_token=token) == ("my_class.toml", data)
    assert ClassSettings.parse(tally.settings_json, DEFAULT).values == (("p_detect", 0.2),)
    live.open_question(instructor_token=token, question_id="us_offer", actions=actions("us_offer"))
    student = join(phone(code=tally.join_code))
    assert "Offer nothing" in student.radio(key="live-answer-us_offer").options
    live.reveal_question(instructor_token=token, question_id="us_offer")
    assert "The model: \u201cOffer nothing\u201d" in texts(student.run())


def test_the_phone_follows_the_class_one_screen_at_a_time(live):
    """A question opened later comes up by itself once the current one is answered; Send moves on to the next
    open question; the parameters get a screen of their own, values inside their ranges."""
    s = make_class(live)
    at = join(phone(code=s.join_code))
    assert "Question 1 of 1" in texts(at) and not [b for b in at.button if b.label.startswith("Next")]
    answer(at, "us_offer", "conditional")
    live.open_question(instructor_token=s.instructor_token, question_id="israel_answers",
                       actions=actions("israel_answers"))
    at.run()  # what the page's poll does when the store changed
    assert "Question 2 of 2" in texts(at) and at.radio(key="live-answer-israel_answers").value is None
    live.open_assumptions(instructor_token=s.instructor_token, ranges={"p_detect": (0.2, 0.8)})
    at.run()
    assert "Question 2 of 2" in texts(at)  # in the middle of an open question: it stays
    answer(at, "israel_answers", "reject")
    assert "Sent \u2713 \u201cReject\u201d is saved." in texts(at)
    button(at, "Next \u2192").click().run()
    assert "Your own assumptions" in texts(at)
    slider = at.slider(key="live-value-p_detect")
    assert (slider.min, slider.max, slider.value) == (0.2, 0.8, DEFAULT.values["p_detect"])
    slider.set_value(0.25)
    button(at, "Send my values").click().run()
    assert [x.value for x in at.success] == ["Sent \u2713 Your values are saved."]
    assert live.student_view(student_token=at.query_params["t"]).my_values == (("p_detect", 0.25),)
    button(at, "\u2190 Back").click().run()
    button(at, "\u2190 Back").click().run()
    assert at.radio(key="live-answer-us_offer").value == "conditional"
