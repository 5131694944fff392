"""Predict & reveal (presenter mode): the class predicts each side's choice at every decision of
the tree, then the model's answers are revealed and compared.

With private types (an ``[uncertainty]`` section) the informed player is asked about once for each of its
types, and every other side once at each of its moves (it does not see the type: one information set, one
answer). The reveal scores the whole prediction against each pure-strategy perfect Bayesian equilibrium and
reports the closest (``model.analyses.closest_equilibrium``): each answer is marked against that one equilibrium, and answers
that only different equilibria play are called a mix, never all counted correct; with no equilibrium, it says so.

Before the reveal nothing of the answer exists on the page: the solution is not computed, the tree is
drawn without choices or values, and the predictions are plain widgets (never in the URL). The
revealed flag is kept with the scenario and slider values it was set at, so moving to another scenario
or moving a slider hides the answers again.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import streamlit as st

from model import BayesianEquilibrium, Decision, PerfectBayesian, Scenario, ScenarioError, Solution, bayesian_tree_svg, \
    belief_option_values, fmt, perfect_bayesian, prob, solve, tree_svg, type_option_values

from model.analyses.closest_equilibrium import Match, closest, mix_sentence, numbers, score_line

from ui import bayesian, charts, page_parts, state
from ui import model_calls as mc
from ui.page_parts import decisions, question, type_condition
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
OFF = "off the equilibrium path"
HIDDEN_TREE_TITLE = "Game tree with no choices shown: who moves where, and the options at each move"
HIDDEN_TYPED_TITLE = HIDDEN_TREE_TITLE + "; chance draws the type first, and a dashed line joins each information set"

Context = tuple[str, tuple[tuple[str, float], ...]]  # (scenario source, slider values)


@dataclass(frozen=True)
class Question:
    """One prediction asked: a decision node, and with private types the informed player's type it is for
    (``type_id`` None: one answer for every type, asked of a side that does not see the type)."""

    key: str  # the radio's session key
    node: Decision
    type_id: str | None
    text: str


@dataclass(frozen=True)
class Result:
    node: str
    question: str
    predicted: str | None  # the predicted option's label
    actual: str  # the model's answer as written: “Accept”; with several equilibria, each one's (“A” in equilibrium 1, ...)
    correct: bool
    off: str  # "" on the equilibrium path, else where it is off: "off the equilibrium path"
    explanation: str
    verdict: str = ""  # with several equilibria: the mark against the closest one ("✓ as in equilibrium 2")


def questions(scenario: Scenario) -> list[Question]:
    """Every prediction asked, in the order of the file: one per decision; with private types, one per type at
    each of the informed player's decisions."""
    u = scenario.uncertainty
    out = []
    for node in decisions(scenario):
        for t in (u.types if u is not None and node.player == u.player else [None]):
            type_id = None if t is None else t.id
            text = question(scenario, node, condition=type_condition(scenario, node, None if t is None else t.label))
            out.append(Question(key=state.prediction_key(node.id, type_id=type_id), node=node, type_id=type_id,
                                text=text))
    return out


def is_revealed(context: Context) -> bool:
    return st.session_state.get(state.REVEALED) == context


def _reveal(context: Context) -> None:
    st.session_state[state.REVEALED] = context


def _next_round(keys: list[str]) -> None:
    """Hide the answers and clear the predictions."""
    st.session_state.pop(state.REVEALED, None)
    for k in keys:
        st.session_state[k] = None


def _labels(node: Decision) -> dict[str, str]:
    return {a.id: a.label for a in node.actions}


def results(scenario: Scenario, solution: Solution, asked: list[Question],
            predictions: dict[str, str | None]) -> list[Result]:
    """Each question's prediction (action id or None, by the question's key) against the model's choice."""
    out = []
    for q in asked:
        c = solution.choice(q.node.id)
        labels, guess = _labels(q.node), predictions.get(q.key)
        out.append(Result(node=q.node.id, question=q.text, predicted=labels.get(guess),
                          actual=f"\u201c{labels[c.action]}\u201d", correct=guess == c.action,
                          off="" if c.on_path else OFF, explanation=c.explanation))
    return out


def answer_words(picks: list[str]) -> str:
    """The model's answer at one question given each equilibrium's pick (labels, equilibrium 1 first)."""
    if len(set(picks)) == 1:
        return f"\u201c{picks[0]}\u201d" + (" (in every equilibrium)" if len(picks) > 1 else "")
    by = {label: [k for k, x in enumerate(picks, start=1) if x == label] for label in dict.fromkeys(picks)}
    return ", ".join(f"\u201c{label}\u201d in {numbers(ks)}" for label, ks in by.items())


def option_sentence(scenario: Scenario, result: PerfectBayesian, eq: BayesianEquilibrium, q: Question,
                    values: dict[str, float]) -> str:
    """Why a type chooses what it does at one of its moves: each option's value to it in one equilibrium."""
    type_label = next(t.label for t in scenario.uncertainty.types if t.id == q.type_id)
    options = type_option_values(scenario, result, eq, type_id=q.type_id, node_id=q.node.id, values=values)
    return (f"For the type \u201c{type_label}\u201d, {scenario.player(q.node.player).name}'s utility from each option "
            "(later moves as in the equilibrium): " + ", ".join(f"\u201c{label}\u201d {fmt(v)}" for label, v in options)
            + ".")


def _factor(v: float) -> str:
    return fmt(v) if v >= 0 else f"({fmt(v)})"


def belief_values_sentence(scenario: Scenario, eq: BayesianEquilibrium, node_id: str) -> str:
    """Why the side that does not see the type chooses what it does: on the path, each option's expected utility
    at its belief (the model's sum, with its terms); off it, each option's utility against each type."""
    b = next(x for x in eq.beliefs if x.node == node_id)
    who, labels = scenario.player(b.player).name, _labels(scenario.node(node_id))
    if b.belief is not None:
        mu = [p for _, p in b.belief]
        terms = {a: " + ".join(f"{prob(m)} \u00d7 {_factor(v)}" for m, v in zip(mu, per)) for a, per in b.values}
        expected = belief_option_values(scenario, eq, node_id=node_id)
        return (f"{who}'s utility from each option, expected over that belief: "
                + ", ".join(f"\u201c{labels[a]}\u201d {fmt(v)} ({terms[a]})" for a, v in expected) + ".")
    names = [t.label for t in scenario.uncertainty.types]
    return (f"{who}'s utility from each option against each type: " + "; ".join(
        f"\u201c{labels[a]}\u201d " + ", ".join(f"{fmt(v)} if \u201c{n}\u201d" for n, v in zip(names, per))
        for a, per in b.values) + ".")


def _picks(scenario: Scenario, result: PerfectBayesian, q: Question, values: dict[str, float]) -> tuple:
    """One question in every equilibrium: each one's action, the equilibria where play does not reach it, the
    reasons (one per equilibrium), and who or where it is asked, in a few words ("for “Weak”")."""
    eqs, node = result.equilibria, q.node.id
    if q.type_id is None:  # a side that does not see the type: its information set's choice and belief
        picks = [dict(e.strategy)[node] for e in eqs]
        held = [next(b for b in e.beliefs if b.node == node) for e in eqs]
        off = [k for k, b in enumerate(held, start=1) if not b.on_path]
        why = [f"{b.sentence} {belief_values_sentence(scenario, e, node)}" for b, e in zip(held, eqs)]
        where = f"at \u201c{q.node.label or node}\u201d"
    else:  # the informed player, one type: its best reply in each equilibrium
        plays = [next(t for t in e.types if t.id == q.type_id) for e in eqs]
        picks = [dict(t.choices)[node] for t in plays]
        off = [k for k, t in enumerate(plays, start=1) if node not in t.reached]
        why = [option_sentence(scenario, result, e, q, values) for e in eqs]
        where = f"for \u201c{plays[0].label}\u201d"
    return picks, off, why, where


def typed_results(scenario: Scenario, result: PerfectBayesian, asked: list[Question],
                  predictions: dict[str, str | None], *, values: dict[str, float]) -> tuple[list[Result], str, str]:
    """The whole prediction against the perfect Bayesian equilibria: each question's result, marked against the
    closest equilibrium, the score line and the sentence saying the answers mix equilibria ("" when not).
    With no equilibrium: no results."""
    eqs = result.equilibria
    if not eqs:
        return [], "", ""
    several = len(eqs) > 1
    each = [_picks(scenario, result, q, values) for q in asked]
    guesses = [predictions.get(q.key) for q in asked]
    m: Match = closest([p for p, *_ in each], guesses)
    out, said = [], []
    for q, guess, (picks, off, why, where) in zip(asked, guesses, each):
        labels = _labels(q.node)
        said.append(f"\u201c{labels.get(guess)}\u201d {where}")
        correct = guess is not None and picks[m.best - 1] == guess
        verdict = ""
        if several and guess is not None:
            others = [k for k, a in enumerate(picks, start=1) if a == guess and k != m.best]
            play = f" ({numbers(others)} play{'s' if len(others) == 1 else ''} it)" if others else ""
            verdict = f"\u2713 as in equilibrium {m.best}" if correct else \
                f"\u2717 not what equilibrium {m.best} plays{play}"
        if several:
            why = [f"Equilibrium {k}: {line}" for k, line in enumerate(why, start=1)]
        out.append(Result(node=q.node.id, question=q.text, predicted=labels.get(guess),
                          actual=answer_words([labels[a] for a in picks]), correct=correct,
                          off="" if not off else OFF if len(off) == len(eqs) else f"{OFF} in {numbers(off)}",
                          explanation=" ".join(why), verdict=verdict))
    return out, score_line(m, several=several), mix_sentence(m, said)


def result_html(r: Result) -> str:
    if r.predicted is None:
        verdict = f"\u2014 {NONE}"
    else:
        verdict = r.verdict or (RIGHT if r.correct else WRONG)
    guess = "(none)" if r.predicted is None else f"\u201c{escape(r.predicted, quote=False)}\u201d"
    where = f' <span class="co-off">({r.off}: if play got here)</span>' if r.off else ""
    return (f'<div class="co-result"><b>{escape(r.question, quote=False)}</b>{where}<br>'
            f'Predicted: {guess} \u00b7 The model: {escape(r.actual, quote=False)} \u00b7 <b>{verdict}</b></div>'
            f'<div class="co-result-why">{escape(r.explanation, quote=False)}</div>')


def score(found: list[Result]) -> str:
    right = sum(r.correct for r in found)
    made = sum(r.predicted is not None for r in found)
    return f"{right} of {len(found)} predictions correct" + (f" ({len(found) - made} not made)" if made < len(found)
                                                             else "")


def intro(scenario: Scenario, values: dict[str, float]) -> str:
    """What the class is asked to do, before the reveal; with private types, the prior too (not an answer)."""
    u = scenario.uncertainty
    if u is None:
        return ("Predict each side's choice at every move, including moves that might never be reached. "
                "Then reveal what backward induction says.")
    odds = " and ".join(f"\u201c{t.label}\u201d with probability {prob(p)}"
                        for t, p in zip(u.types, u.priors({**scenario.values, **values})))
    who = bayesian.informed_name(scenario)
    return (f"Chance draws {who}'s type: {odds}. {who} knows its type; the other side does not. Predict {who}'s "
            "choice for each of its types, and the other side's choice once at each of its moves (it cannot tell the "
            "types apart there), including moves that might never be reached. Then reveal what the perfect Bayesian "
            "solver says.")


@st.cache_data(max_entries=64, show_spinner=False)
def hidden_tree(key: str, _scenario: Scenario) -> str:
    """The tree without choices: it depends on the scenario only (``key`` names it), so it is drawn once."""
    if _scenario.uncertainty is not None:
        return bayesian_tree_svg(_scenario, None, reveal=False, title=HIDDEN_TYPED_TITLE)
    return tree_svg(_scenario, None, reveal=False, title=HIDDEN_TREE_TITLE)


def ask(asked: list[Question], revealed: bool) -> dict[str, str | None]:
    """The radios (or, once revealed, the predictions kept in the session), by question key."""
    predictions = {}
    for q in asked:
        labels = _labels(q.node)
        state.keep_valid(q.key, list(labels))
        if revealed:  # the questions give way to the answers; the predictions stay in the session
            predictions[q.key] = st.session_state.get(q.key)
            continue
        predictions[q.key] = st.radio(q.text, list(labels), index=None, format_func=labels.get, key=q.key,
                                      horizontal=True, persist_state="session")
    return predictions


def show_results(found: list[Result], line: str | None = None, mix: str = "") -> None:
    """The score line (``line``, else the count of correct answers), the sentence on a mix, then each answer."""
    st.markdown(f'<div class="co-score">{escape(line or score(found), quote=False)}</div>', unsafe_allow_html=True)
    if mix:
        st.warning(mix, icon=":material/call_split:")
    st.markdown("".join(result_html(r) for r in found), unsafe_allow_html=True)


def reveal_solved(key: str, scenario: Scenario, values: dict[str, float], asked: list[Question],
                  predictions: dict[str, str | None]) -> None:
    """The reveal with full information: backward induction's choice at each question, then the tree solved."""
    solution = mc.run(solve, key, scenario, values)
    show_results(results(scenario, solution, asked, predictions))
    st.subheader("The tree, solved")
    st.caption("\u2605 and thick blue lines: equilibrium play. Dashed: what a side would choose if play got there.")
    st.markdown(charts.tree(scenario, solution), unsafe_allow_html=True)


def reveal_typed(key: str, scenario: Scenario, values: dict[str, float], asked: list[Question],
                 predictions: dict[str, str | None]) -> None:
    """The reveal with private types: each question against the perfect Bayesian equilibria, then the beliefs
    and the tree with its information sets."""
    try:
        result = mc.run(perfect_bayesian, key, scenario, values)
    except ScenarioError as err:
        st.error(str(err))
        return
    k = None
    if not result.equilibria:
        st.warning(f"{result.sentence} So the model has no answer to score the predictions against.",
                   icon=":material/block:")
    else:
        show_results(*typed_results(scenario, result, asked, predictions, values=values))
        st.info(result.sentence, icon=":material/psychology:")
        k = bayesian.pick_equilibrium(result)
        bayesian.draw_beliefs(scenario, result, k)
    st.subheader("The tree, with information sets")
    bayesian.draw_tree(scenario, result, k)


@st.fragment  # a move on this page (a button, a pick) reruns only the panel, not the sidebar and the page
def panel(key: str, scenario: Scenario) -> None:
    st.markdown(CSS, unsafe_allow_html=True)
    values = state.slider_values(scenario)
    note = page_parts.values_note(scenario, values)
    st.caption(note if scenario.uncertainty is None else f"{note} {page_parts.typed_note(scenario)}")
    context = (key, tuple(values.items()))
    revealed = is_revealed(context)
    asked = questions(scenario)
    if not asked:
        st.info("This scenario has no decisions to predict.", icon=":material/info:")
        return
    if not revealed:
        st.markdown(intro(scenario, values))
    predictions = ask(asked, revealed)
    c1, c2, _ = st.columns([1, 1.4, 2])
    c1.button("Reveal", icon=":material/visibility:", shortcut="V", type="primary", on_click=_reveal,
              args=(context,), disabled=revealed, width="stretch", help="Show the model's answers (key: V).")
    c2.button("Hide again / next round", icon=":material/visibility_off:", shortcut="H", on_click=_next_round,
              args=([q.key for q in asked],), width="stretch", help="Hide the answers and clear the predictions (key: H).")
    if not revealed:
        st.markdown(hidden_tree(key, scenario), unsafe_allow_html=True)
        return
    reveal = reveal_solved if scenario.uncertainty is None else reveal_typed
    reveal(key, scenario, values, asked, predictions)


def page() -> None:
    key, scenario = open_scenario()
    page_parts.page_header("Predict & reveal", scenario)
    panel(key, scenario)


if __name__ == "__main__":
    page()
