"""Who may see the instructor pages (those with ``instructor=True`` in ``ui.pages``).

- A shared deployment sets a passcode: ``instructor_passcode`` in Streamlit's secrets, or the
  environment variable ``CONDITIONAL_OFFER_INSTRUCTOR_PASSCODE``. A session that enters it in the
  sidebar sees the instructor pages; every other session has no such page at all, so not even its
  URL opens one.
- With no passcode set there are no instructor pages, unless the app was started with
  ``CONDITIONAL_OFFER_INSTRUCTOR=local`` (a teacher's own laptop): then every session sees them, and
  the sidebar says so.
"""

from __future__ import annotations

import hmac
import os
import time

import streamlit as st

PASSCODE_ENV = "CONDITIONAL_OFFER_INSTRUCTOR_PASSCODE"
LOCAL_ENV = "CONDITIONAL_OFFER_INSTRUCTOR"
UNLOCKED = "instructor-unlocked"
ATTEMPTS = "instructor-attempts"  # (count, time of the last wrong attempt)
CODE = "instructor-code"
MAX_ATTEMPTS = 5
LOCKOUT_S = 60.0


def local() -> bool:
    """The explicit switch for a teacher's own laptop."""
    return os.environ.get(LOCAL_ENV) == "local"


def passcode() -> str | None:
    """The configured passcode (secrets first, then the environment), or None."""
    try:
        code = st.secrets.get("instructor_passcode")
    except Exception:  # no secrets file at all
        code = None
    code = code or os.environ.get(PASSCODE_ENV)
    return str(code) if code else None


def unlocked() -> bool:
    """Whether this session may see the instructor pages."""
    return local() or (passcode() is not None and st.session_state.get(UNLOCKED) is True)


def _try() -> None:
    """Callback of the unlock form (it runs before the script, so the pages are right at once): compare
    in constant time; after MAX_ATTEMPTS wrong ones, wait LOCKOUT_S."""
    code = str(st.session_state.get(CODE) or "")
    st.session_state[CODE] = ""
    count, last = st.session_state.get(ATTEMPTS, (0, 0.0))
    if count >= MAX_ATTEMPTS and time.monotonic() - last < LOCKOUT_S:
        return
    expected = passcode()
    if expected is not None and hmac.compare_digest(code.encode(), expected.encode()):
        st.session_state[UNLOCKED] = True
        st.session_state.pop(ATTEMPTS, None)
    else:
        st.session_state[ATTEMPTS] = (count + 1 if count < MAX_ATTEMPTS else 1, time.monotonic())


def sidebar() -> None:
    """The instructor's unlock box in the sidebar (only where a passcode is set), or the local note."""
    with st.sidebar:
        if local():
            st.caption("Local: instructor view enabled (CONDITIONAL_OFFER_INSTRUCTOR=local).")
            return
        if passcode() is None or st.session_state.get(UNLOCKED) is True:
            return
        with st.expander("Instructor", icon=":material/lock:"):
            with st.form("instructor-form", border=False):
                st.text_input("Passcode", type="password", key=CODE)
                st.form_submit_button("Unlock", on_click=_try)
            count, last = st.session_state.get(ATTEMPTS, (0, 0.0))
            if count >= MAX_ATTEMPTS and time.monotonic() - last < LOCKOUT_S:
                st.error(f"Too many wrong passcodes; try again in {LOCKOUT_S:.0f} seconds.")
            elif count:
                st.error("That passcode is not right.")
