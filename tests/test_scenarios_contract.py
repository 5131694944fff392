"""The contract every file in scenarios/ must keep: it loads, validates, solves and round-trips."""

from __future__ import annotations

import json

import pytest

from model import ScenarioError, dumps_scenario, load_scenario, loads_scenario, solve, thresholds
from model.analyses.thresholds import SIDE
from model.files.scenario_format import json_schema
from model.files.document import to_data

from .conftest import SCENARIOS


def test_there_are_a_default_and_at_least_four_presets():
    names = {p.name for p in SCENARIOS}
    assert "default.toml" in names
    assert len(names) >= 5


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_scenario_solves_and_explains(path):
    scenario = load_scenario(path)
    if scenario.uncertainty is not None:  # private types: the solvers of full information refuse, and say why
        with pytest.raises(ScenarioError, match="uncertainty") as info:
            solve(scenario)
        assert info.value.field == "uncertainty"
        return
    sol = solve(scenario)
    assert sol.path, "equilibrium play has at least one move"
    for c in sol.choices:
        assert c.explanation.endswith("."), c.explanation
        assert c.action in dict(c.values)
    found = thresholds(scenario)
    assert found.parameters == tuple(p.id for p in scenario.parameters)
    # each reported flip is one: the choice differs just below and just above it, as reported
    for t in found:
        p = scenario.parameter(t.parameter)
        assert p.min <= t.value <= p.max, t
        eps = SIDE * (p.max - p.min)
        below = solve(scenario, values={p.id: max(p.min, t.value - eps)}).choice_map[t.node]
        above = solve(scenario, values={p.id: min(p.max, t.value + eps)}).choice_map[t.node]
        assert (below, above) == (t.below, t.above), t
    assert any(t.path_changes for t in found), "some slider of every preset changes equilibrium play"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_scenario_is_labelled_illustrative(path):
    text = path.read_text()
    assert "illustrative assumption" in text.lower()
    scenario = load_scenario(path)
    assert "illustrative" in scenario.title.lower()
    for p in scenario.parameters:
        assert p.description, f"{p.id} needs a one-line description"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_scenario_round_trips_in_toml_and_json(path):
    scenario = load_scenario(path)
    for fmt in (".toml", ".json"):
        again = loads_scenario(dumps_scenario(scenario, fmt=fmt), name=f"x{fmt}")
        assert again == scenario


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_scenario_matches_the_shipped_json_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(to_data(load_scenario(path)), json_schema())


def test_presets_lead_to_different_equilibrium_paths():
    paths = {}
    for path in SCENARIOS:
        if load_scenario(path).uncertainty is not None:
            continue
        sol = solve(load_scenario(path))
        paths[path.name] = tuple((s.node, s.action) for s in sol.path)
    assert len(set(paths.values())) >= 4, paths


def test_shipped_schema_is_the_generated_one():
    from pathlib import Path

    import model

    shipped = json.loads((Path(model.__file__).parent / "files" / "scenario.schema.json").read_text())
    assert shipped == json_schema()
