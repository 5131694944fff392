"""Parts every page shares: its header with the illustrative-assumptions note, the note on which slider
values an analysis uses, and the scenario's description."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from model import NOTE, Decision, Scenario

from ui.pages import page

SLIDER_NOTE = NOTE + " Move the sliders to change the assumptions."


def page_header(title: str, scenario: Scenario | None = None) -> None:
    """A page's title, the illustrative-assumptions note and, if given, the scenario's title."""
    st.title(title)
    st.caption(SLIDER_NOTE)
    if scenario is not None:
        st.markdown(f"**{scenario.title}**")


def decisions(scenario: Scenario) -> list[Decision]:
    """Every decision node, in the order of the file (the tree read from its first move): the questions of
    Predict & reveal and of a live class."""
    return [n for n in scenario.nodes if n.kind == "decision"]


def question(scenario: Scenario, node: Decision, *, condition: str = "") -> str:
    """A decision as a question to predict. A node whose label is already a question is asked as it stands,
    with who decides ("Does Israel accept? (Israel decides)"); any other: "What will Israel do at “label”?".
    ``condition`` is said after who decides: "(Israel decides, if its type is “High”)"."""
    name, label = scenario.player(node.player).name, (node.label or node.id).strip()
    tail = f", {condition}" if condition else ""
    if label.endswith("?"):
        return f"{label} ({name} decides{tail})"
    return f"What will {name} do at \u201c{label}\u201d{tail}?"


def type_condition(scenario: Scenario, node: Decision, type_label: str | None) -> str:
    """What a question on a game with private types is conditioned on: the informed player's type
    (``type_label``), or, for a side that does not see it, that it does not ("" without types)."""
    u = scenario.uncertainty
    if u is None:
        return ""
    if node.player == u.player:
        return f"if its type is \u201c{type_label}\u201d"
    return f"without seeing {scenario.player(u.player).name}'s type"


def values_note(scenario: Scenario, values: Mapping[str, float]) -> str:
    """Which values the analyses use: the Explore page's sliders, and which of them differ from the file."""
    moved = [p for p in scenario.parameters if values[p.id] != p.default]
    if not moved:
        return ("Computed at the slider values of the Explore page, which are the scenario's own values. "
                "Move the sliders there to analyse another state.")
    shown = ", ".join(f"{p.label} = {values[p.id]:g}" for p in moved[:4])
    more = f" and {len(moved) - 4} more" if len(moved) > 4 else ""
    return f"Computed at the slider values of the Explore page; moved from the scenario's values: {shown}{more}."


def full_information(scenario: Scenario, why: str) -> bool:
    """True for a scenario without private types; otherwise say in one sentence (``why``) why this page does
    not cover it, offer the pages that do, and return False (never a full-information answer in silence)."""
    if scenario.uncertainty is None:
        return True
    st.info(why, icon=":material/help:")
    c1, c2, _ = st.columns([1, 1, 2])
    if c1.button("Open Explore", type="primary"):
        st.switch_page(page("explore").file)
    if c2.button("Open the Uncertainty page"):
        st.switch_page(page("uncertainty").file)
    return False


def typed_note(scenario: Scenario) -> str:
    """What a page with types solves, in one sentence."""
    who = scenario.player(scenario.uncertainty.player).name
    return (f"{who}'s type is private (the scenario's [uncertainty] section): this page solves the game with the "
            "types, for every pure-strategy perfect Bayesian equilibrium.")


def scenario_description(scenario: Scenario) -> None:
    """The scenario's own description and what its model leaves out, folded away."""
    if scenario.description or scenario.teaches:
        with st.expander("What this scenario teaches", expanded=False):
            if scenario.teaches:
                st.markdown(f"**In one sentence:** {scenario.teaches}")
            if scenario.description:
                st.write(scenario.description)
    if scenario.leaves_out:
        with st.expander("What the model leaves out", expanded=False):
            st.markdown("\n".join(f"- {item}" for item in scenario.leaves_out))
