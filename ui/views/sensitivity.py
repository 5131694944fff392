"""Sensitivity: how the equilibrium depends on the assumptions, at the slider values set on the Explore
page. Each section (one-way, region map, tornado, Monte Carlo, what would it take) is a module of
``ui.sections``; they are lazy tabs (only the open one runs). The quick analyses follow their pickers
at once; Monte Carlo and what-would-it-take run only from their forms."""

from __future__ import annotations

import streamlit as st

from model import Scenario

from ui import page_parts, state
from ui.scenario_files import open_scenario
from ui.sections import common, sections

PAGE = "sensitivity"


@st.fragment  # a move on this page (a button, a pick) reruns only the panel, not the sidebar and the page
def panel(key: str, scenario: Scenario) -> None:
    values = state.slider_values(scenario)
    st.caption(page_parts.values_note(scenario, values))
    if not common.movable(scenario):
        st.info("This scenario has no parameters with a range, so there is nothing to vary.")
        return
    found = sections(PAGE)
    tabs = st.tabs([s.TITLE for s in found], key=state.ANALYSIS_TAB, on_change="rerun")
    for tab, section in zip(tabs, found):
        if tab.open is not False:
            with tab:
                section.draw(key, scenario, values)


def page() -> None:
    key, scenario = open_scenario()
    page_parts.page_header("Sensitivity", scenario)
    if page_parts.full_information(
            scenario, "This page does not cover a scenario with private types: its analyses solve the game of full "
                    "information, which would answer for neither type; the Uncertainty page maps the perfect Bayesian "
                    "equilibria over the prior and a second slider, and Explore marks where each slider changes them."):
        panel(key, scenario)


if __name__ == "__main__":
    page()
