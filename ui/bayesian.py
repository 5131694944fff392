"""Page pieces for a scenario with private types (``[uncertainty]``): the set of perfect Bayesian equilibria,
one card per equilibrium, the beliefs panel and the tree with information sets. Text builders are pure
functions of model results (tested without a browser); ``draw_*`` put them on the page."""

from __future__ import annotations

import streamlit as st

from model import BayesianEquilibrium, PerfectBayesian, Scenario, bayesian_tree_svg, belief_option_values, fmt, play_words, prob, \
    type_sentences

from . import state

TREE_CAPTION = ("Chance draws the type first; each type plays its own copy of the tree. A dashed vermillion line "
                "joins the nodes of an information set: the side moving there does not know which of them it is at. "
                "\u2605 and thick blue lines: the chosen equilibrium's play for each type; dashed grey: what a side "
                "would choose if play got there.")


def informed_name(scenario: Scenario) -> str:
    return scenario.player(scenario.uncertainty.player).name


def utilities_text(scenario: Scenario, values) -> str:
    return ", ".join(f"{p.name} {fmt(v)}" for p, v in zip(scenario.players, values))


def play_text(scenario: Scenario, play) -> str:
    """A type's play in words: "US: Limited package → Israel: Reject and operate"."""
    return play_words(scenario, play, joiner=" \u2192 ") or "no move"


def equilibrium_title(k: int, eq: BayesianEquilibrium) -> str:
    """"Equilibrium 1: separating" (with the intuitive criterion's verdict when assessed)."""
    title = f"Equilibrium {k}: {eq.kind}"
    if eq.intuitive is not None:
        title += " (survives the intuitive criterion)" if eq.intuitive else " (fails the intuitive criterion)"
    return title


def equilibrium_lines(scenario: Scenario, eq: BayesianEquilibrium) -> list[str]:
    """One equilibrium as Markdown list items: the uninformed side's choices, each type's play and utilities,
    the expected utilities over the prior."""
    who = informed_name(scenario)
    out = []
    for node_id, action in eq.strategy:
        node = scenario.node(node_id)
        label = next(a.label for a in node.actions if a.id == action)
        out.append(f"- **{scenario.player(node.player).name}** (does not see {who}'s type), at "
                   f"\u201c{node.label or node.id}\u201d: **{label}**")
    for t in eq.types:
        out.append(f"- **{t.label}** (prior {prob(t.prior)}): {play_text(scenario, t.play)}; utility "
                   f"{utilities_text(scenario, t.utility)}")
    out.append(f"- **Expected utility** over the prior: {utilities_text(scenario, [v for _, v in eq.payoffs])}")
    return out


def belief_rows(scenario: Scenario, result: PerfectBayesian, eq: BayesianEquilibrium) -> list[dict]:
    """Each information set of the equilibrium: where, on or off the path, the belief (the first type's
    probability, or the interval that supports the choice off the path) and the sentence."""
    first_id, first_label, _ = result.types[0]
    out = []
    for b in eq.beliefs:
        node = scenario.node(b.node)
        if b.belief is not None:
            belief = prob(dict(b.belief)[first_id])
        elif b.support is not None:
            belief = f"{prob(b.support[0])} to {prob(b.support[1])}"
        else:
            belief = "none supports it"
        out.append({"Information set": node.label or node.id, "Reached": "on the path" if b.on_path else "off the path",
                    f"Belief: {first_label}": belief, "Sentence": b.sentence})
    return out


def value_rows(scenario: Scenario, result: PerfectBayesian, eq: BayesianEquilibrium, node_id: str) -> list[dict]:
    """At one information set: each action's value to the mover against each type, and its expected value at
    the Bayes belief when there is one."""
    b = next(x for x in eq.beliefs if x.node == node_id)
    node = scenario.node(node_id)
    labels = {a.id: a.label for a in node.actions}
    expected = dict(belief_option_values(scenario, eq, node_id=node_id)) if b.belief is not None else None
    rows = []
    for action, per_type in b.values:
        row = {"Action": ("\u2605 " if action == b.action else "") + labels[action]}
        row |= {f"If {label}": v for (_, label, _), v in zip(result.types, per_type)}
        if expected is not None:
            row["Expected at the belief"] = expected[action]
        rows.append(row)
    return rows


def chosen_equilibrium(result: PerfectBayesian, key: str = state.PBE_SHOWN) -> int:
    """The equilibrium picked to draw (kept valid as the set changes)."""
    n = len(result.equilibria)
    k = st.session_state.get(key, 0)
    return k if isinstance(k, int) and 0 <= k < n else 0


def draw_set(scenario: Scenario, result: PerfectBayesian) -> None:
    """The set's sentence and one bordered card per equilibrium."""
    odds = ", ".join(f"{label} {prob(p)}" for _, label, p in result.types)
    st.markdown(f"{informed_name(scenario)}'s type is private; the prior: {odds}. Perfect Bayesian equilibria in pure "
                f"strategies at these values: **{len(result.equilibria)}**.")
    st.caption("What each type changes: " + " ".join(type_sentences(scenario)))
    if not result.equilibria:
        st.warning(result.sentence, icon=":material/block:")
        return
    st.info(result.sentence, icon=":material/psychology:")
    for k, eq in enumerate(result.equilibria, start=1):
        with st.container(border=True):
            st.markdown(f"**{equilibrium_title(k, eq)}**")
            st.markdown("\n".join(equilibrium_lines(scenario, eq)))
            if eq.intuitive_reason:
                st.caption(eq.intuitive_reason)


def pick_equilibrium(result: PerfectBayesian, key: str = state.PBE_SHOWN) -> int | None:
    """A picker of the equilibrium shown in the beliefs panel and the tree (none when there is one or none)."""
    n = len(result.equilibria)
    if n == 0:
        return None
    if n == 1:
        return 0
    state.keep_valid(key, list(range(n)))
    return st.radio("Show the beliefs and the play of", list(range(n)), key=key, horizontal=True,
                    format_func=lambda k: equilibrium_title(k + 1, result.equilibria[k]))


def draw_beliefs(scenario: Scenario, result: PerfectBayesian, k: int | None) -> None:
    """The beliefs panel: each information set's belief in a sentence, on and off the path."""
    st.subheader("Beliefs")
    if k is None:
        st.write("No equilibrium, so no beliefs to show.")
        return
    eq = result.equilibria[k]
    who = informed_name(scenario)
    st.caption(f"What the side that does not see {who}'s type believes at each of its information sets in "
               f"equilibrium {k + 1}. On the path Bayes's rule gives the belief from the prior and the types' play; "
               "off the path it says nothing, so the panel gives the beliefs for which the choice is still best.")
    for b in eq.beliefs:
        mark = ":material/visibility:" if b.on_path else ":material/visibility_off:"
        st.markdown(f"{mark} {b.sentence}")
        with st.expander(f"Each option's value at \u201c{scenario.node(b.node).label or b.node}\u201d", expanded=False):
            st.dataframe(value_rows(scenario, result, eq, b.node), hide_index=True)


def tree(scenario: Scenario, result: PerfectBayesian | None, k: int | BayesianEquilibrium | None) -> str:
    title = "Game tree with the type drawn first and information sets dashed"
    return bayesian_tree_svg(scenario, result, k, title=title)


def draw_tree(scenario: Scenario, result: PerfectBayesian, k) -> None:
    st.markdown(f'<p class="co-caption">{TREE_CAPTION}</p>' + tree(scenario, result, k), unsafe_allow_html=True)


def slider_notes(scenario: Scenario, found) -> dict[str, str]:
    """Next to each slider: where along it the equilibrium set changes, or that a type sets it."""
    notes = {}
    for p in scenario.parameters:
        if p.id in found.skipped:
            notes[p.id] = "set by the types: the slider is not used"
            continue
        at = [f.value for f in found.flips if f.parameter == p.id]
        if at:
            notes[p.id] = "\u2605 equilibria change at " + ", ".join(f"{v:.3g}" for v in at)
    return notes
