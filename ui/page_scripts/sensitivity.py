"""Sensitivity: how the equilibrium depends on the assumptions (one-way, region map, tornado, Monte
Carlo, what would it take), at the slider values set on the Explore page."""

from __future__ import annotations

from ui import cards, sensitivity_view
from ui.scenario_files import open_scenario

key, scenario = open_scenario()

cards.page_header("Sensitivity", scenario)
sensitivity_view.panel(key, scenario)
