"""The instructor pages: out of a student's reach, in the menu and by URL; open to the passcode, or on a
teacher's own laptop with the explicit local switch."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit")

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.access import LOCAL_ENV, PASSCODE_ENV  # noqa: E402
from ui.pages import PAGES  # noqa: E402

from .apptest import APP  # noqa: E402
from .servers import browser, have_browser, streamlit_server  # noqa: E402

INSTRUCTOR = [p for p in PAGES if p.instructor]
ANSWERS = "model answers"  # the instructor page's warning names them


@pytest.fixture(autouse=True)
def no_access_settings(monkeypatch):
    monkeypatch.delenv(PASSCODE_ENV, raising=False)
    monkeypatch.delenv(LOCAL_ENV, raising=False)


def registered(at: AppTest) -> set[str]:
    """The titles of the instructor pages the session's navigation holds (AppTest reads them from the last run)."""
    found = set()
    for p in INSTRUCTOR:
        try:
            at.switch_page(p.script)
        except ValueError:
            continue
        found.add(p.title)
    return found


def shown(at: AppTest) -> str:
    return "\n".join(x.value for x in [*at.title, *at.markdown, *at.warning, *at.caption])


def test_there_is_an_instructor_page():
    assert INSTRUCTOR and all(not p.default for p in INSTRUCTOR)
    assert {"live_class", "live_projector"} <= {p.id for p in INSTRUCTOR}  # the live class's controls
    assert not next(p for p in PAGES if p.id == "live_join").instructor  # and a student's page, for everyone


def test_without_a_passcode_a_session_has_no_instructor_page():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert registered(at) == set()
    assert not any(e.label == "Instructor" for e in at.expander)  # nothing to unlock either


def test_a_wrong_passcode_opens_nothing_and_the_right_one_opens_the_page(monkeypatch):
    monkeypatch.setenv(PASSCODE_ENV, "correct horse")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert registered(at) == set()
    at.text_input(key="instructor-code").input("battery staple")
    next(b for b in at.button if b.label == "Unlock").click()
    at.run()
    assert "not right" in "\n".join(e.value for e in at.error)
    assert registered(at) == set()
    at.text_input(key="instructor-code").input("correct horse")
    next(b for b in at.button if b.label == "Unlock").click()
    at.run()
    assert registered(at) == {p.title for p in INSTRUCTOR}
    at.switch_page(INSTRUCTOR[0].script).run()
    assert not at.exception
    assert ANSWERS in shown(at)


def test_the_passcode_from_secrets_works_too():
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["instructor_passcode"] = "from-secrets"
    at.run()
    assert registered(at) == set()
    at.text_input(key="instructor-code").input("from-secrets")
    next(b for b in at.button if b.label == "Unlock").click()
    at.run()
    at.switch_page(INSTRUCTOR[0].script).run()
    assert ANSWERS in shown(at)


def test_the_local_switch_opens_it_and_says_so(monkeypatch):
    monkeypatch.setenv(LOCAL_ENV, "local")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "instructor view enabled" in "\n".join(c.value for c in at.sidebar.caption)
    at.switch_page(INSTRUCTOR[0].script).run()
    assert ANSWERS in shown(at)


@pytest.mark.skipif(not have_browser(), reason="headless Chromium or playwright is not installed")
def test_a_student_cannot_open_the_instructor_page_by_its_url():
    """A real browser asks for each instructor page on a server with a passcode: the page is not there."""
    with streamlit_server(env={PASSCODE_ENV: "correct horse", LOCAL_ENV: ""}) as url, browser() as b:
        for p in INSTRUCTOR:
            page = b.new_page()
            page.goto(url + "/" + p.id + "?key=" + "k" * 22)
            page.get_by_role("slider").first.wait_for(timeout=30_000)  # the app answered (Explore, the default)
            text = page.inner_text("body")
            assert ANSWERS not in text and "instructor's notes" not in text
            assert "Open the class" not in text and "Reveal" not in text and "joined" not in text
            nav = page.locator("[data-testid='stSidebarNav']").inner_text()
            assert not any(q.title in nav for q in INSTRUCTOR)
            page.close()
