"""The one module that owns session-state keys. Only user inputs live here; results come from the cache.

Slider keys are the parameter ids themselves, so a shared link reads ``?p_detect=0.3``; the few
keys of the app's own have a hyphen, which a parameter id can never contain.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import streamlit as st

from model import Scenario

PRESET = "preset"  # shipped scenario picked (bound to the URL)
UPLOAD = "upload-widget"  # the file uploader
UPLOADED = "uploaded-file"  # (name, bytes) of the accepted upload
UPLOAD_ERROR = "upload-error"  # the message of the last refused upload
SOURCE = "scenario-source"  # the source key (``ui.sources``) of the scenario the sliders belong to
BEFORE = "values-before"  # slider values before the most recent change
CURRENT = "values-current"  # slider values at the last run
CHART_PARAM = "chart-param"
CHART_NODE = "chart-node"
URL_NOTES = "url-notes"  # notes about ignored link parameters, shown once per session
SAVE_NAME = "save-name"

# The Sensitivity page: the open tab; each section's widgets have keys from ``section_key``.
ANALYSIS_TAB = "analysis-tab"

# The teaching pages. The step shown and the revealed flag are kept with the scenario source and slider values
# they belong to, so they reset when either changes.
STEP = "step-index"  # Step by step: ((source, values), index of the step shown)
REVEALED = "reveal-state"  # Predict & reveal: (source, values) at which the answers were revealed
PREDICTION = "prediction-"  # Predict & reveal: prefix of each decision node's prediction (never in the URL)
COMPARE_A = "compare-a"
COMPARE_B = "compare-b"
LESSON_OPEN = "lesson-open-"  # prefix of each lesson step's "open" button (student and instructor views)
NOTES_REDRAWN = "notes-redrawn"

# Scenarios with private types: the equilibrium drawn (Explore, Uncertainty) and the region map's second slider.
PBE_SHOWN = "pbe-shown"
PBE_REGION_Y = "pbe-region-y"


# The live class (ui/views/live_*.py). The link of a student carries its token (``?t=``), so a reload or a
# reconnect keeps its answers; a join link carries the class's code (``?code=``); an instructor link its key
# (``?key=``), moved into the session and out of the address bar at once (it must not reach a projector).
LINK_CODE, LINK_STUDENT, LINK_INSTRUCTOR = "code", "t", "key"
LIVE_INSTRUCTOR = "live-instructor"  # the instructor key of the class this session runs
LIVE_STUDENT = "live-student"  # the student token this session acts with (the first one it was given)
LIVE_CODE, LIVE_NICKNAME, LIVE_JOIN = "live-code", "live-nickname", "live-join"  # the join form
LIVE_SCREEN = "live-screen"  # the student's screen: a question id, or LIVE_VALUES_SCREEN
LIVE_VALUES_SCREEN = "-values"  # the screen of the student's own parameter values (a hyphen: never a node id)
LIVE_SEEN = "live-seen"  # what the student page last drew (its questions' states), for its poll
LIVE_READ_AT = "live-read-at"  # when the student page last read the store in full (its poll skips a read just after)
LIVE_SEND = "live-send-"  # prefix of the Send buttons: + question id or LIVE_VALUES_SCREEN
LIVE_ANSWER, LIVE_REASON = "live-answer-", "live-reason-"  # prefixes: + question id
LIVE_VALUE = "live-value-"  # prefix: + parameter id (a plain slider: never bound to the URL)
LIVE_FAILED = "live-failed-"  # prefix: + question id or LIVE_VALUES_SCREEN: (what was tried, the store's message)
LIVE_SETUP = "live-setup-"  # prefix of the instructor's set-up widgets
LIVE_SHOW_JOIN = "live-show-join"  # the projector shows the join code and QR code
LIVE_CONFIRM = "live-confirm-"  # prefix of the checkboxes that confirm a reset or a deletion
LIVE_CONTROL = "live-control-"  # prefix of a question's buttons: + page + question id + action
LIVE_BACK, LIVE_NEXT = "live-back", "live-next"  # the student's Back and Next


def live_key(prefix: str, name: str) -> str:
    """The key of a live-class widget or record about one question or parameter (``name``)."""
    return prefix + name


def section_key(section: str, name: str) -> str:
    """The key of one widget or record of a page section (e.g. ``one_way`` and ``param``): it has a hyphen,
    which a parameter id never has, so it can never clash with a slider."""
    return f"{section.replace('_', '-')}-{name}"


def preset_from_link(names: list[str]) -> None:
    """On first load, a link's ``?preset=NAME`` picks the shipped scenario (an unknown name is noted)."""
    if PRESET in st.session_state:
        return
    wanted = st.query_params.get(PRESET)
    if wanted in names:
        st.session_state[PRESET] = wanted
    elif wanted is not None:
        shown = wanted if len(wanted) <= 30 else wanted[:27] + "..."
        st.session_state[URL_NOTES + "-preset"] = [f"The link names a scenario {shown!r} that is not shipped; "
                                                   "the default scenario opens instead."]


def preset_to_link(name: str, default: str) -> None:
    """Keep ``?preset=`` in the URL in step with the picker (absent for the default)."""
    if name == default:
        if PRESET in st.query_params:
            del st.query_params[PRESET]
    elif st.query_params.get(PRESET) != name:
        st.query_params[PRESET] = name



def first_redraw(values: Mapping[str, float]) -> bool:
    """True once per set of slider values: lets the Explore panel redraw its notes a single time."""
    marker = tuple(sorted(values.items()))
    if st.session_state.get(NOTES_REDRAWN) == marker:
        return False
    st.session_state[NOTES_REDRAWN] = marker
    return True


def param_key(param_id: str) -> str:
    """The widget key (and URL query key) of a parameter's slider."""
    return param_id


def slider_values(scenario: Scenario) -> dict[str, float]:
    """The current value of every slider (the scenario's value where the slider is not set yet)."""
    out = {}
    for p in scenario.parameters:
        v = st.session_state.get(param_key(p.id), p.default)
        out[p.id] = float(v) if isinstance(v, (int, float)) and p.contains(v) else p.default
    return out


def reset_sliders(scenario: Scenario) -> None:
    """Callback: put every slider back to the scenario's value."""
    for p in scenario.parameters:
        st.session_state[param_key(p.id)] = p.default
    st.session_state.pop(BEFORE, None)
    st.session_state.pop(CURRENT, None)


def enter_scenario(scenario: Scenario, source: str) -> None:
    """When the scenario changes, the sliders take its values (a link's values win on first load)."""
    if st.session_state.get(SOURCE) == source:
        return
    first_load = SOURCE not in st.session_state
    st.session_state[SOURCE] = source
    if not first_load:
        reset_sliders(scenario)


def track_change(values: Mapping[str, float]) -> tuple[dict | None, dict]:
    """Remember the values before the most recent slider move: returns (before, now)."""
    now = dict(values)
    if st.session_state.get(CURRENT) != now:
        if CURRENT in st.session_state:
            st.session_state[BEFORE] = st.session_state[CURRENT]
        st.session_state[CURRENT] = now
    return st.session_state.get(BEFORE), now


def check_link(scenario: Scenario, query: Mapping[str, list[str]]) -> list[str]:
    """Notes on link parameters the app ignores: unknown keys and values that are not allowed.

    Streamlit ignores a bound value that is not a number inside the slider's range; this says so
    visibly, once, instead of silently.
    """
    notes = list(st.session_state.get(URL_NOTES + "-preset", []))
    params = {param_key(p.id): p for p in scenario.parameters}
    unknown = [k for k in query if k not in params and k != PRESET]
    for key, raw in query.items():
        if key not in params:
            continue
        p = params[key]
        if len(raw) > 1:
            notes.append(f"The link gives \u201c{p.label}\u201d {len(raw)} times; it was ignored and the "
                         f"scenario's value {p.default:g} is used.")
            continue
        text = raw[-1] if raw else ""
        shown = text if len(text) <= 20 else text[:17] + "..."
        try:
            x = float(text)
        except ValueError:
            x = math.nan
        if not (math.isfinite(x) and p.min <= x <= p.max):
            notes.append(f"The link's value {shown!r} for \u201c{p.label}\u201d was ignored: allowed is a number "
                         f"from {p.min:g} to {p.max:g}. The scenario's value {p.default:g} is used instead.")
    if unknown:
        shown = ", ".join(repr(k if len(k) <= 20 else k[:17] + "...") for k in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        notes.append(f"The link's unknown setting(s) {shown}{more} were ignored.")
    return notes


def carry_over(key: str) -> None:
    """Keep a widget's value across a page switch: every page draws the widget anew, and Streamlit
    forgets a widget's value when the page that drew it is left; set as a plain value, it stays."""
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]


def keep_valid(key: str, options) -> None:
    """Forget a remembered choice that is no longer offered (another scenario has other parameters)."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def number_in(value: object, low: float, high: float) -> bool:
    """Whether a remembered slider value is a finite number inside ``[low, high]`` (else it is put back)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and low <= value <= high


def keep_valid_many(key: str, options) -> None:
    """The same for a multiselect: forget the remembered choices if any is no longer offered."""
    if key in st.session_state and any(v not in options for v in st.session_state[key]):
        del st.session_state[key]


def remember_run(key: str, request: dict) -> None:
    """Keep the inputs of a form's last run, so its (cached) result stays on screen across reruns."""
    st.session_state[key] = request


def last_run(key: str) -> dict | None:
    return st.session_state.get(key)


def prediction_key(node_id: str, *, type_id: str | None = None) -> str:
    """The widget key of the prediction at one decision node (a plain widget: not bound to the URL); with
    private types, of the informed player's node for one of its types (``type_id``)."""
    return PREDICTION + (f"{type_id}/" if type_id else "") + node_id


def lesson_open_key(view: str, step_id: str) -> str:
    """The key of a lesson step's "open" button in one view ("student" or "instructor")."""
    return f"{LESSON_OPEN}{view}-{step_id}"


def open_preset(name: str) -> None:
    """Callback: switch to a shipped scenario, as the sidebar's picker does (leaving any upload)."""
    st.session_state.pop(UPLOADED, None)
    st.session_state[PRESET] = name
