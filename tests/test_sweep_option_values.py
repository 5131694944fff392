"""Each action's value across a sweep (what the Explore page plots): the same numbers a single solve
gives at each point, and a clear error when the sweep kept no node values."""

from __future__ import annotations

import numpy as np
import pytest

from model import load_scenario, option_values, solve, sweep

from .conftest import ROOT


def test_option_values_are_each_actions_value_to_the_mover_at_every_point():
    default = load_scenario(ROOT / "scenarios" / "default.toml")
    xs = np.array([0.0, 0.3, 0.6, 1.0])
    result = sweep(default, vary={"p_detect": xs}, detail=True)
    for node in ("us_offer", "israel_keeps_pledge"):
        values = option_values(default, result, node)
        actions = [a.id for a in default.node(node).actions]
        assert values.shape == (len(actions), len(xs))
        for j, x in enumerate(xs):
            choice = solve(default, values={"p_detect": float(x)}).choice(node)
            assert values[:, j] == pytest.approx([choice.value(a) for a in actions], abs=1e-12)


def test_option_values_need_a_sweep_with_node_values():
    default = load_scenario(ROOT / "scenarios" / "default.toml")
    with pytest.raises(ValueError, match=r"^option_values needs a sweep with detail=True$"):
        option_values(default, sweep(default, vary={"p_detect": [0.5]}), "us_offer")
