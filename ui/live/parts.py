"""Parts the live-class pages share: the class's scenario, its questions in words, the join link and its QR
code, and the page's styles (large touch targets on a phone, large type on a projector)."""

from __future__ import annotations

import os
from html import escape
from urllib.parse import urlparse

import streamlit as st

from model import Scenario, ScenarioError

from ui import model_calls as mc
from ui import sources
from ui.page_parts import question
from ui.pages import page

from . import classroom

PUBLIC_URL_ENV = "CONDITIONAL_OFFER_PUBLIC_URL"  # the address students use, where the browser's is not it
JOIN_PAGE = "live_join"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}

CSS = """
<style>
.co-code {font-family: ui-monospace, monospace; font-weight: 700; letter-spacing: 0.08em; line-height: 1.1;}
.co-code-big {font-size: clamp(2.4rem, 4.6vw, 6rem); white-space: nowrap;}
.co-code-small {font-size: 2.2rem;}
.co-link {font-size: 1.35rem; word-break: break-all;}
.co-qr-box svg {width: 100%; height: auto; max-width: 70vh; display: block; margin: 0 auto;}
.co-qr-small svg {max-width: 260px;}
.co-q {font-size: 1.45rem; font-weight: 700; line-height: 1.3; margin: 0.2rem 0 0.6rem 0;}
.co-bar {display: flex; align-items: center; gap: 0.6rem; margin: 0.25rem 0; font-size: 1.2rem;}
.co-bar-label {flex: 0 0 38%; text-align: right;}
.co-bar-track {flex: 1; background: #EEEEEE; height: 1.6rem; border-radius: 3px;}
.co-bar-fill {background: #0072B2; height: 100%; border-radius: 3px;}
.co-bar-fill.co-model {background: #009E73;}
.co-bar-n {flex: 0 0 6.5rem;}
.co-big {font-size: 2.1rem; font-weight: 700;}
.co-state {font-size: 1rem; padding: 0.1rem 0.5rem; border-radius: 0.6rem; background: #EEEEEE; margin-left: 0.5rem;}
</style>
"""

# A phone: options and buttons a thumb can hit (at least 48 px), text that needs no zoom.
PHONE_CSS = """
<style>
div[data-testid="stRadio"], div[data-testid="stRadio"] > div, div[data-testid="stRadioGroup"] > div {width: 100%;}
div[data-testid="stRadioGroup"] {gap: 0.6rem; width: 100%;}
label[data-testid="stRadioOption"] {border: 2px solid #BBBBBB; border-radius: 0.7rem; padding: 0.8rem 0.9rem;
  min-height: 3.3rem; width: 100%; margin: 0; align-items: center;}
label[data-testid="stRadioOption"]:has(input:checked) {border-color: #0072B2; background: #E8F1F8;}
label[data-testid="stRadioOption"] p {font-size: 1.25rem;}
div[data-testid="stButton"] button, div[data-testid="stFormSubmitButton"] button {min-height: 3.3rem;
  font-size: 1.15rem;}
div[data-testid="stTextInput"] input {font-size: 1.2rem; min-height: 3rem;}
</style>
"""


def class_scenario(store_key: str, load_file) -> Scenario | None:
    """The scenario of a class from its key: a shipped one by name, an uploaded one from the store
    (``load_file()`` gives its (name, bytes), fetched once per process: the key is the file's hash). Says
    why and returns None when it cannot be opened."""
    name = sources.preset_name(store_key)
    try:
        if name is not None:
            return mc.shipped(name)
        if sources.is_upload(store_key):
            file_name, data = _upload(store_key, load_file)
            return mc.uploaded(data, file_name)
    except (ScenarioError, LookupError) as error:
        st.error(f"This class's scenario cannot be opened: {error}", icon=":material/error:")
        return None
    st.error("This class's scenario is not one this app knows.", icon=":material/error:")
    return None


@st.cache_data(max_entries=32, show_spinner=False)
def _upload(store_key: str, _load_file) -> tuple[str, bytes]:
    found = _load_file()
    if found is None or sources.upload(found[1]) != store_key:
        raise LookupError("its file is not in the class store")
    return found


MARKDOWN = set("\\`*_{}[]()<>#+-.!|~:")


def plain(text: str) -> str:
    """Text a user typed, for st.markdown: shown as typed, never read as HTML or Markdown (every character that
    either would read becomes a character reference)."""
    return "".join(f"&#{ord(c)};" if c in MARKDOWN or c in "&\"'" else c for c in text).replace("\n", "<br>")


def labels(scenario: Scenario, question_id: str) -> tuple[str, dict[str, str]]:
    """A question in words and its answers' labels (ids the scenario does not have are shown as they are)."""
    try:
        node = scenario.node(question_id)
    except KeyError:
        return question_id, {}
    if node.kind != "decision":
        return question_id, {}
    return question(scenario, node), {a.id: a.label for a in node.actions}


def public_base(page_id: str) -> tuple[str, bool]:
    """The app's address for students (``CONDITIONAL_OFFER_PUBLIC_URL``, else the address this page was opened
    at, without the page's own path), and whether a phone can reach it (not this machine's loopback)."""
    base = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    if not base:
        base = classroom.base_url(st.context.url, page(page_id).id) or "http://localhost:8501"
    host = urlparse(base).hostname or ""
    return base, host not in LOCAL_HOSTS


def join_panel(join_code: str, *, big: bool, page_id: str) -> None:
    """The join code, the link and its QR code: on the projector big enough to read from the back of a hall."""
    base, reachable = public_base(page_id)
    link = classroom.join_link(base, page(JOIN_PAGE).id, join_code)
    code = escape(classroom.shown_code(join_code))
    qr = _qr(link)
    left, right = st.columns([1.1, 1] if big else [1, 2], gap="large")
    with left:
        st.markdown(f'<div class="co-qr-box{"" if big else " co-qr-small"}">{qr}</div>', unsafe_allow_html=True)
    with right:
        st.markdown(f'<div>Join on your phone: scan the code, or open</div><div class="co-link"><a href="'
                    f'{escape(link)}">{escape(link)}</a></div><div style="margin-top:1rem">and enter the code</div>'
                    f'<div class="co-code {"co-code-big" if big else "co-code-small"}">{code}</div>',
                    unsafe_allow_html=True)
        st.caption("No account; a nickname is optional.")
    if not reachable:
        st.warning(f"Students' phones cannot open {urlparse(base).hostname}: open this page at this computer's "
                   f"network address, or start the app with {PUBLIC_URL_ENV}=http://ADDRESS:PORT.",
                   icon=":material/wifi_off:")


@st.cache_data(max_entries=16, show_spinner=False)
def _qr(link: str) -> str:
    """The link's QR code (the projector redraws it every refresh: encoded once)."""
    return classroom.qr_svg(link, title=f"Join the class: {link}")


def bar_rows(counts: tuple[tuple[str, int], ...], names: dict[str, str], *, model: str | None) -> str:
    """The distribution of a question's answers as HTML bars (every label escaped); the model's answer is
    marked only when ``model`` is given (after the reveal)."""
    total = sum(n for _, n in counts) or 1
    rows = []
    for action, n in counts:
        mark = ' co-model' if action == model else ''
        tick = " \u2713 the model" if action == model else ""
        rows.append(f'<div class="co-bar"><div class="co-bar-label">{escape(names.get(action, action))}{tick}</div>'
                    f'<div class="co-bar-track"><div class="co-bar-fill{mark}" style="width:{100 * n / total:.1f}%">'
                    f'</div></div><div class="co-bar-n">{n} ({100 * n / total:.0f}%)</div></div>')
    return "".join(rows)
