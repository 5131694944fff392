"""Uncertainty: one side does not know the other's type; each type's answer to each offer, and the offer
the uninformed side prefers on the prior (scenarios with an [uncertainty] section)."""

from __future__ import annotations

from ui import cards, screening_view
from ui.scenario_files import open_scenario

key, scenario = open_scenario()

cards.page_header("Uncertainty about the other side", scenario)
screening_view.panel(key, scenario)
