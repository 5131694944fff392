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


CLAIMED = [p for p in SCENARIOS if load_scenario(p).claims]


def _load_shipped(name: str):
    from .conftest import ROOT

    return load_scenario(ROOT / "scenarios" / f"{name}.toml")


def test_every_full_information_preset_states_its_lesson_as_claims():
    """Every shipped scenario the solvers of full information answer for says what it teaches, in one
    sentence, and backs its description with claims (the typed presets are checked by their own claims)."""
    for path in SCENARIOS:
        scenario = load_scenario(path)
        if scenario.uncertainty is not None:
            continue
        assert scenario.teaches, f"{path.name}: no 'teaches'"
        assert scenario.claims, f"{path.name}: no [[claims]]"


@pytest.mark.parametrize("path", CLAIMED, ids=lambda p: p.name)
def test_every_claim_of_a_shipped_scenario_holds_and_backs_its_description(path):
    from model.analyses.claims import check_claims

    report = check_claims(load_scenario(path), load=_load_shipped)
    assert report.checked and all(c.holds for c in report.checked), [c.detail for c in report.checked if not c.holds]
    # every sentence of the description is backed by claims that hold (or is a story), with no number
    # written in it that its claims do not produce
    assert report.sentences and all(s.holds for s in report.sentences), [
        (s.text, s.backed_by, s.unmatched) for s in report.sentences if not s.holds]


def test_a_claim_that_the_model_contradicts_fails_the_contract():
    """The contract can fail: the default's threshold at a wrong value, and its path with a move flipped."""
    from model.analyses.claims import check_claim

    default = _load_shipped("default")
    threshold = next(c for c in default.claims if c.kind == "threshold")
    wrong = type(threshold)(threshold.kind, threshold.says,
                            tuple((n, v + 0.05 if n == "value" else v) for n, v in threshold.options))
    assert not check_claim(default, wrong, load=_load_shipped).holds
    path = next(c for c in default.claims if c.kind == "path" and c.option("expect"))
    flipped = type(path)(path.kind, path.says, tuple(
        (n, tuple(m.replace(":keep", ":break") for m in v) if n == "expect" else v) for n, v in path.options))
    assert not check_claim(default, flipped, load=_load_shipped).holds


def test_a_reasons_claim_must_name_reasons_that_outweigh_the_costs():
    """Signs are not enough. At share_anyway's us_after_reject the terms are intelligence_value +0.100,
    sharing_cost -0.100, escalation_risk +0.018, civilian_harm +0.045: escalation and civilian harm
    alone (0.063) do not outweigh the cost of sharing, and the largest gain (intelligence_value) must be
    named; with it the claim holds."""
    from model.analyses.claims import check_claim
    from model.core.scenario import Claim

    share = _load_shipped("share_anyway")

    def reasons(favour, against=("sharing_cost",)):
        return Claim("reasons", ("x",), (("node", "us_after_reject"), ("action", "share_anyway"),
                                         ("favour", tuple(favour)), ("against", tuple(against))))

    assert check_claim(share, reasons(["intelligence_value", "escalation_risk", "civilian_harm"]),
                       load=_load_shipped).holds
    assert not check_claim(share, reasons(["escalation_risk", "civilian_harm"]), load=_load_shipped).holds
    # the minor gains named without the largest, even with no cost listed
    assert not check_claim(share, reasons(["civilian_harm"], against=()), load=_load_shipped).holds


def test_range_ends_do_not_fall_on_a_tie_that_contradicts_the_description():
    """trust_game: at every truster's loss the slider allows (from its minimum up), no trust is given;
    at 0 the truster would be indifferent and the tie rule would have it trust. entry_deterrence: at
    fighting = accommodating (1) the tie rule picks fighting, so the description says "at least"."""
    trust = _load_shipped("trust_game")
    p = trust.parameter("sucker_loss")
    assert p.min > 0
    for x in (p.min, p.default, p.max):
        sol = solve(trust, values={"sucker_loss": x})
        assert [s.action for s in sol.path if s.action] == ["no_trust"], x
        assert sol.choice("truster_moves").margin > 0, x
    entry = _load_shipped("entry_deterrence")
    assert "at least as much as accommodating (1)" in entry.description
    assert [s.action for s in solve(entry, values={"fight_payoff": 1.0}).path if s.action] == ["stay_out"]
