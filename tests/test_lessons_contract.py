"""The lesson is data (ui/content/lesson.toml); this contract keeps it true to the model.

Every step names a shipped scenario and a page of the app; every figure names node, parameter and
scenario ids that exist, and renders; every figure that carries ``expect`` is a claim the model
must make true. Renaming a parameter, or a scenario change that moves a stated figure, fails here.
"""

from __future__ import annotations

import pytest

from model import load_scenario
from model.analyses.figures import CLAIMS, KINDS, check, problems, render
from model.files.lesson import Figure, load_lesson

from .conftest import ROOT

LESSON_FILE = ROOT / "ui" / "content" / "lesson.toml"
LESSON = load_lesson(LESSON_FILE)
SHIPPED = sorted(p.stem for p in (ROOT / "scenarios").glob("*.toml"))
PAGE_IDS = {p.stem for p in (ROOT / "ui" / "views").glob("*.py")} - {"__init__"}
FIGURES = [(step, f) for step in LESSON.steps for f in step.figures]


def load(name: str):
    return load_scenario(ROOT / "scenarios" / f"{name}.toml")


@pytest.mark.parametrize("step", LESSON.steps, ids=lambda s: s.id)
def test_each_step_names_a_shipped_scenario_and_a_page(step):
    assert step.scenario in SHIPPED, f"{step.id}: no shipped scenario {step.scenario!r}"
    assert step.page in PAGE_IDS, f"{step.id}: no page {step.page!r}"
    assert step.questions and step.answer


@pytest.mark.parametrize(("step", "figure"), FIGURES, ids=lambda x: getattr(x, "id", getattr(x, "kind", "")))
def test_each_figure_names_ids_that_exist_and_renders(step, figure):
    scenario = load(step.scenario)
    assert problems(scenario, figure, scenarios=SHIPPED) == [], step.id
    lines = render(scenario, figure, load=load)
    assert lines and all(isinstance(line, str) and line for line in lines)


@pytest.mark.parametrize(("step", "figure"), [(s, f) for s, f in FIGURES if f.expect is not None],
                         ids=lambda x: getattr(x, "id", getattr(x, "kind", "")))
def test_each_stated_figure_is_what_the_model_says(step, figure):
    result = check(load(step.scenario), figure, load=load)
    assert result.holds, f"{step.id}: the lesson states {result.expected}; the model gives {result.actual}"


def test_the_lesson_states_claims_of_several_kinds():
    kinds = {f.kind for _, f in FIGURES if f.expect is not None}
    assert {"path", "choice", "flips"} <= kinds, kinds


def test_a_wrong_id_or_a_wrong_figure_is_caught():
    """The checks above can fail: a renamed parameter, an unknown node and a wrong value are reported."""
    default = load("default")
    assert problems(default, Figure("flips", (("parameter", "p_detection"),)), scenarios=SHIPPED)
    assert problems(default, Figure("choice", (("node", "nowhere"),), expect="tolerate"), scenarios=SHIPPED)
    assert problems(default, Figure("path", (), expect=("us_offer:bribe",)), scenarios=SHIPPED)
    assert problems(default, Figure("margins", (), expect=1.0), scenarios=SHIPPED)  # not a claim kind
    assert problems(default, Figure("teleport"), scenarios=SHIPPED)
    wrong = check(default, Figure("flips", (("parameter", "p_detect"), ("path_changes", True)), expect=(0.2,)),
                  load=load)
    assert not wrong.holds and wrong.actual.startswith("[0.07")
    assert set(CLAIMS) <= set(KINDS)
