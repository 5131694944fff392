"""Strategic form: the game as a table of whole plans, its pure Nash equilibria, and which are credible."""

from __future__ import annotations

from ui import cards, strategic_form_view
from ui.scenario_files import open_scenario

key, scenario = open_scenario()

cards.page_header("Strategic form", scenario)
strategic_form_view.panel(key, scenario)
