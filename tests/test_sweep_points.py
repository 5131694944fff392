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


def test_a_sweep_names_its_decision_nodes_and_all_nodes_in_the_order_of_its_arrays(default):
    result = sweep(default, vary={"p_detect": [0.5]}, detail=True)
    assert result.node_ids[0] == "us_offer" and set(result.node_ids) == {n.id for n in default.nodes}
    assert set(result.decisions) == {n.id for n in default.nodes if n.kind == "decision"}
    assert result.choice.shape[0] == len(result.decisions)
    sol = solve(default, values={"p_detect": 0.5})
    for r, node in enumerate(result.decisions):
        actions = [a.id for a in default.node(node).actions]
        assert actions[result.choice[r, 0]] == sol.choice_map[node]
    for j, node in enumerate(result.node_ids):
        assert result.node_values[j, :, 0].tolist() == pytest.approx(dict(sol.node_values)[node])


@pytest.mark.parametrize("row, words", [
    ([0.5, float("nan"), float("nan")], "2 value(s) are NaN; allowed: numbers from 0 to 1"),
    ([-0.5, 0.5, 2.0], "values from -0.5 to 2 are outside the range; allowed: numbers from 0 to 1"),
])
def test_values_outside_a_range_are_refused_saying_which_and_naming_the_parameter(default, row, words):
    with pytest.raises(ScenarioError) as err:
        sweep(default, rows=(("p_detect", ONE), np.array([row, [1.0, 1.0, 1.0]])))
    assert err.value.field == "parameters.p_detect" and err.value.message == words


def test_a_row_of_ones_must_hold_only_ones(default):
    with pytest.raises(ScenarioError) as err:
        sweep(default, rows=(("p_detect", ONE), np.array([[0.5, 0.5], [1.0, 2.0]])))
    assert err.value.message == "the row named '#one' must hold only ones"


@pytest.mark.parametrize("kwargs, field, words", [
    ({"vary": {"p_detect": [0.1, 0.2], "package": [0.1, 0.2, 0.3]}}, None,
     "parameter arrays have different lengths: p_detect has 2, package has 3"),
    ({"values": {"package": np.array([[0.1, 0.2], [0.3, 0.4]])}}, "parameters.package",
     "expected a number or a one-dimensional array, got shape (2, 2)"),
    ({"values": {"package": 1.5}}, "parameters.package", "value 1.5 is outside the range; allowed: 0 to 1"),
    ({"values": {"package": np.array([0.1, 0.2])}, "rows": (("p_detect", ONE), np.ones((2, 2)))}, None,
     "give varied parameters either as rows or as arrays in values, not both: package"),
    ({"rows": (("p_detect", ONE), np.ones((3, 4)))}, None, "rows must have one row per name: 2 names, shape (3, 4)"),
    ({"rows": (("p_detect", "nonsense", ONE), np.ones((3, 4)))}, None, "nonsense"),
])
def test_malformed_points_are_refused_saying_what_is_wrong(default, kwargs, field, words):
    with pytest.raises(ScenarioError) as err:
        sweep(default, **kwargs)
    assert words in str(err.value)
    if field is not None:
        assert err.value.field == field


def test_arrays_broadcast_and_held_values_apply_to_every_point(default):
    result = sweep(default, vary={"p_detect": [0.1, 0.9], "package": [0.7]}, values={"w_us_mediator": 0.0})
    assert result.n == 2 and result.points["package"].tolist() == [0.7, 0.7]
    for j, x in enumerate((0.1, 0.9)):
        sol = solve(default, values={"p_detect": x, "package": 0.7, "w_us_mediator": 0.0})
        assert result.root[:, j].tolist() == pytest.approx([v for _, v in sol.payoffs])
