"""The points a sweep solves: grids of 1 to 100,000,000 values, and arrays of values in any shape,
taken in order as one list of points."""

from __future__ import annotations

import numpy as np
import pytest

from model import Grid, ScenarioError, load_scenario, solve, sweep
from model.core.game import ONE

from .conftest import ROOT


@pytest.fixture(scope="module")
def default():
    return load_scenario(ROOT / "scenarios" / "default.toml")


def test_a_grid_of_one_value_is_that_value(default):
    result = sweep(default, vary={"p_detect": Grid(0.25, 0.25, 1)})
    assert result.n == 1 and list(result.points["p_detect"]) == [0.25]


@pytest.mark.parametrize("n", [0, -3, 100_000_001])
def test_a_grid_size_outside_1_to_100_million_is_refused_naming_the_parameter(default, n):
    with pytest.raises(ScenarioError) as err:
        sweep(default, vary={"p_detect": Grid(0.0, 1.0, n)})
    assert err.value.field == "parameters.p_detect"
    assert err.value.message == f"grid size {n} must be between 1 and 100,000,000"


def test_values_given_as_a_table_or_as_whole_numbers_are_points_in_order(default):
    result = sweep(default, vary={"p_detect": [[0, 1], [0.5, 0.25]]})
    assert result.points["p_detect"].tolist() == [0.0, 1.0, 0.5, 0.25]
    assert result.points["p_detect"].dtype == np.float64
    alone = sweep(default, vary={"p_detect": [1, 0]})
    assert alone.points["p_detect"].tolist() == [1.0, 0.0]
    assert [alone.paths[k] for k in alone.path] == [result.paths[result.path[1]], result.paths[result.path[0]]]


def test_with_nothing_varied_a_sweep_solves_the_current_point(default):
    result = sweep(default)
    assert result.n == 1 and result.parameters == ()
    assert result.root[:, 0].tolist() == pytest.approx([v for _, v in solve(default).payoffs])


def test_rows_are_checked_against_the_ranges_unless_the_caller_says_they_were_drawn_inside(default):
    names, block = ("p_detect", ONE), np.array([[0.5, 1.5], [1.0, 1.0]])
    with pytest.raises(ScenarioError, match="outside the range"):
        sweep(default, rows=(names, block))
    assert sweep(default, rows=(names, block), validate=False).n == 2
    assert sweep(default, vary={"p_detect": [1.5]}, validate=False).n == 1
