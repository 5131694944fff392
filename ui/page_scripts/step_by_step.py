"""Step by step: backward induction one node at a time, from the outcomes back to the first move."""

from __future__ import annotations

from ui import cards, step_by_step_view
from ui.scenario_files import open_scenario

key, scenario = open_scenario()

cards.page_header("Backward induction, step by step", scenario)
step_by_step_view.panel(key, scenario)
