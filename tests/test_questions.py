"""The questions a class is asked (Predict & reveal, the live class): one question mark, and who decides."""

from __future__ import annotations

import pytest

from model import load_scenario
from ui.page_parts import decisions, question

from .conftest import SCENARIOS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_question_names_who_decides_and_asks_once(path):
    scenario = load_scenario(path)
    for node in decisions(scenario):
        q = question(scenario, node)
        assert q.count("?") == 1 and q.rstrip(")").endswith(("?", "decides")), q
        assert scenario.player(node.player).name in q
        assert (node.label or node.id).rstrip("?") in q
