"""The lesson is data (ui/content/lesson.toml); this contract keeps it true to the model.

Every step names a shipped scenario and a page of the app; every live figure names node, parameter
and scenario ids that exist, and renders; every claim (what an answer states as a fact of the model)
names ids that exist and holds, and the answer sentence it backs exists. Renaming a parameter, or a
scenario change that moves a stated figure, fails here.
"""

from __future__ import annotations

import pytest

from model import ScenarioError, load_scenario
from model.analyses.claims import check_claim, coverage
from model.analyses.figures import KINDS, problems, render
from model.files.claim_format import check_ids
from model.files.lesson import Figure, load_lesson

from .conftest import ROOT

LESSON_FILE = ROOT / "ui" / "content" / "lesson.toml"
LESSON = load_lesson(LESSON_FILE)
SHIPPED = sorted(p.stem for p in (ROOT / "scenarios").glob("*.toml"))
PAGE_IDS = {p.stem for p in (ROOT / "ui" / "views").glob("*.py")} - {"__init__"}
FIGURES = [(step, f) for step in LESSON.steps for f in step.figures]
CLAIMS = [(step, k, c) for step in LESSON.steps for k, c in enumerate(step.claims)]


def load(name: str):
    return load_scenario(ROOT / "scenarios" / f"{name}.toml")


def _id(x) -> str:
    return getattr(x, "id", None) or getattr(x, "kind", None) or str(x)


@pytest.mark.parametrize("step", LESSON.steps, ids=lambda s: s.id)
def test_each_step_names_a_shipped_scenario_and_a_page(step):
    assert step.scenario in SHIPPED, f"{step.id}: no shipped scenario {step.scenario!r}"
    assert step.page in PAGE_IDS, f"{step.id}: no page {step.page!r}"
    assert step.questions and step.answer


@pytest.mark.parametrize(("step", "figure"), FIGURES, ids=_id)
def test_each_figure_names_ids_that_exist_and_renders(step, figure):
    scenario = load(step.scenario)
    assert problems(scenario, figure, scenarios=SHIPPED) == [], step.id
    lines = render(scenario, figure, load=load)
    assert lines and all(isinstance(line, str) and line for line in lines)


@pytest.mark.parametrize(("step", "k", "claim"), CLAIMS, ids=_id)
def test_each_claim_names_ids_that_exist_and_holds(step, k, claim):
    scenario = load(step.scenario)
    check_ids(scenario, claim, f"{step.id}.claims[{k}]")
    result = check_claim(scenario, claim, load=load)
    assert result.holds, f"{step.id}: {claim.kind} claim does not hold: {result.detail}"


@pytest.mark.parametrize("step", [s for s in LESSON.steps if s.claims], ids=lambda s: s.id)
def test_each_claim_backs_a_sentence_of_its_answer(step):
    scenario = load(step.scenario)
    checked = [check_claim(scenario, c, load=load) for c in step.claims]
    backed = [s for s in coverage(step.answer, checked) if s.backed_by]
    assert backed and all(s.holds for s in backed), [(s.text, s.unmatched) for s in backed if not s.holds]


def test_the_lesson_states_claims_of_several_kinds():
    assert {"path", "choice", "threshold"} <= {c.kind for _, _, c in CLAIMS}


def test_a_wrong_id_or_a_wrong_figure_is_caught():
    """The checks above can fail: a renamed parameter, an unknown node and a wrong value are reported."""
    default = load("default")
    assert problems(default, Figure("flips", (("parameter", "p_detection"),)), scenarios=SHIPPED)
    assert problems(default, Figure("choice", (("node", "nowhere"),)), scenarios=SHIPPED)
    assert problems(default, Figure("teleport"), scenarios=SHIPPED)
    step, k, claim = next((s, k, c) for s, k, c in CLAIMS if c.kind == "threshold")
    wrong = type(claim)(claim.kind, claim.says, tuple((n, 0.2 if n == "value" else v) for n, v in claim.options))
    assert not check_claim(load(step.scenario), wrong, load=load).holds
    renamed = type(claim)(claim.kind, claim.says, tuple((n, "p_detection" if n == "parameter" else v)
                                                        for n, v in claim.options))
    with pytest.raises(ScenarioError, match="p_detection"):
        check_ids(load(step.scenario), renamed, "x")
    assert "range" in KINDS


@pytest.mark.parametrize("step", LESSON.steps, ids=lambda s: s.id)
def test_every_sentence_of_every_answer_is_backed_by_a_claim_or_marked_as_no_fact(step):
    """No model answer states a fact of the model that the model does not check: each sentence is backed
    by claims that hold (with every number in it one they produce), or by a ``story`` claim saying it
    states no fact of the model."""
    scenario = load(step.scenario)
    checked = [check_claim(scenario, c, load=load) for c in step.claims]
    bad = [(s.text, s.backed_by, s.unmatched) for s in coverage(step.answer, checked) if not s.holds]
    assert not bad, f"{step.id}: {bad}"
