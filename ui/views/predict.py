"""Predict & reveal (presenter mode): the class predicts each side's choice at every decision of
the tree, then the model's answers are revealed and compared.

Before the reveal nothing of the answer exists on the page: the solution is not computed, the tree is
drawn without choices or values, and the predictions are plain widgets (never in the URL). The
revealed flag is kept with the scenario and slider values it was set at, so moving to another scenario
or moving a slider hides the answers again.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import streamlit as st

from model import Scenario, Solution, solve, tree_svg

from ui import charts, page_parts, state
from ui import model_calls as mc
from ui.page_parts import decisions, question
from ui.scenario_files import open_scenario

CSS = """
<style>
div[data-testid="stRadio"] [data-testid="stWidgetLabel"] p {font-size: 1.5rem; font-weight: 700;}
div[data-testid="stRadio"] div[role="radiogroup"] p {font-size: 1.35rem;}
.co-result {font-size: 1.35rem; padding: 0.9rem 0 0.1rem 0;}
.co-result-why {font-size: 1.1rem; color: #333333; padding: 0 0 0.4rem 0;}
.co-score {font-size: 1.9rem; font-weight: 700; padding: 0.6rem 0;}
.co-off {color: #555555; font-style: italic; font-weight: 400;}
</style>
"""
RIGHT = "\u2713 correct"
WRONG = "\u2717 not what the model predicts"
NONE = "no prediction made"
HIDDEN_TREE_TITLE = "Game tree with no choices shown: who moves where, and the options at each move"

Context = tuple[str, tuple[tuple[str, float], ...]]  # (scenario source, slider values)


@dataclass(frozen=True)
class Result:
    node: str
    question: str
    predicted: str | None  # the predicted option's label
    actual: str  # the label of the option the model's side prefers
    correct: bool
    on_path: bool
    explanation: str


def is_revealed(context: Context) -> bool:
    return st.session_state.get(state.REVEALED) == context


def _reveal(context: Context) -> None:
    st.session_state[state.REVEALED] = context


def _next_round(keys: list[str]) -> None:
    """Hide the answers and clear the predictions."""
    st.session_state.pop(state.REVEALED, None)
    for k in keys:
        st.session_state[k] = None


def results(scenario: Scenario, solution: Solution, predictions: dict[str, str | None]) -> list[Result]:
    """Each decision's prediction (action id or None) against the model's choice."""
    out = []
    for node in decisions(scenario):
        c = solution.choice(node.id)
        labels = {a.id: a.label for a in node.actions}
        guess = predictions.get(node.id)
        out.append(Result(node=node.id, question=question(scenario, node), predicted=labels.get(guess),
                          actual=labels[c.action], correct=guess == c.action, on_path=c.on_path,
                          explanation=c.explanation))
    return out


def result_html(r: Result) -> str:
    if r.predicted is None:
        verdict = f"\u2014 {NONE}"
    else:
        verdict = RIGHT if r.correct else WRONG
    guess = "(none)" if r.predicted is None else f"\u201c{escape(r.predicted, quote=False)}\u201d"
    where = "" if r.on_path else ' <span class="co-off">(off the equilibrium path: if play got here)</span>'
    return (f'<div class="co-result"><b>{escape(r.question, quote=False)}</b>{where}<br>'
            f'Predicted: {guess} \u00b7 The model: '
            f'\u201c{escape(r.actual, quote=False)}\u201d \u00b7 <b>{verdict}</b></div>'
            f'<div class="co-result-why">{escape(r.explanation, quote=False)}</div>')


def score(found: list[Result]) -> str:
    right = sum(r.correct for r in found)
    made = sum(r.predicted is not None for r in found)
    return f"{right} of {len(found)} predictions correct" + (f" ({len(found) - made} not made)" if made < len(found)
                                                             else "")


@st.cache_data(max_entries=64, show_spinner=False)
def hidden_tree(key: str, _scenario: Scenario) -> str:
    """The tree without choices: it depends on the scenario only (``key`` names it), so it is drawn once."""
    return tree_svg(_scenario, None, reveal=False, title=HIDDEN_TREE_TITLE)


@st.fragment  # a move on this page (a button, a pick) reruns only the panel, not the sidebar and the page
def panel(key: str, scenario: Scenario) -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    values = state.slider_values(scenario)
    st.caption(page_parts.values_note(scenario, values))
    frozen = tuple(values.items())
    context = (key, frozen)
    revealed = is_revealed(context)
    nodes = decisions(scenario)
    keys = [state.prediction_key(n.id) for n in nodes]
    if not nodes:
        st.info("This scenario has no decisions to predict.", icon=":material/info:")
        return
    if not revealed:
        st.markdown("Predict each side's choice at every move, including moves that might never be reached. "
                    "Then reveal what backward induction says.")
    predictions = {}
    for node, k in zip(nodes, keys):
        labels = {a.id: a.label for a in node.actions}
        state.keep_valid(k, list(labels))
        if revealed:  # the questions give way to the answers; the predictions stay in the session
            predictions[node.id] = st.session_state.get(k)
            continue
        predictions[node.id] = st.radio(question(scenario, node), list(labels), index=None, format_func=labels.get,
                                        key=k, horizontal=True, persist_state="session")
    c1, c2, _ = st.columns([1, 1.4, 2])
    c1.button("Reveal", icon=":material/visibility:", shortcut="V", type="primary", on_click=_reveal,
              args=(context,), disabled=revealed, width="stretch", help="Show the model's answers (key: V).")
    c2.button("Hide again / next round", icon=":material/visibility_off:", shortcut="H", on_click=_next_round,
              args=(keys,), width="stretch", help="Hide the answers and clear the predictions (key: H).")
    if not revealed:
        st.markdown(hidden_tree(key, scenario), unsafe_allow_html=True)
        return

    solution = mc.run(solve, key, scenario, values)
    found = results(scenario, solution, predictions)
    st.markdown(f'<div class="co-score">{escape(score(found), quote=False)}</div>', unsafe_allow_html=True)
    st.markdown("".join(result_html(r) for r in found), unsafe_allow_html=True)
    st.subheader("The tree, solved")
    st.caption("\u2605 and thick blue lines: equilibrium play. Dashed: what a side would choose if play got there.")
    st.markdown(charts.tree(scenario, solution), unsafe_allow_html=True)


def page() -> None:
    key, scenario = open_scenario()
    page_parts.page_header("Predict & reveal", scenario)
    if page_parts.full_information(
            scenario, "This page does not cover a scenario with private types yet: a prediction would be needed for "
                      "each type, and the full-information answer would be for neither; Step by step walks through the "
                      "perfect Bayesian solver, and Explore lists its equilibria."):
        panel(key, scenario)


if __name__ == "__main__":
    page()
