"""Predict & reveal (presenter mode): the class predicts every choice, then the model's answers are revealed."""

from __future__ import annotations

from ui import cards, predict_view
from ui.scenario_files import open_scenario

key, scenario = open_scenario()

cards.page_header("Predict & reveal", scenario)
predict_view.panel(key, scenario)
