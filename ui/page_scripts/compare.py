"""Compare: two scenarios side by side (a shipped one or the Explore page's current state against a shipped one)."""

from __future__ import annotations

from ui import cards, compare_view
from ui.scenario_files import open_scenario

key, scenario = open_scenario()

cards.page_header("Compare two scenarios")
compare_view.panel(key, scenario)
