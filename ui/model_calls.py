"""Every model call the app makes, cached. Cached functions depend only on their arguments.

Scenarios and compiled games are immutable resources (``st.cache_resource``); results go through
``st.cache_data`` keyed by the scenario's source key and the slider values (a tuple), with the
scenario object itself passed unhashed (``_scenario``) because the key already identifies it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import streamlit as st

from model import Scenario, ScenarioError, loads_scenario
from model.analyses import compare as compare_model
from model.analyses import montecarlo
from model.text import report
from model.analyses import sensitivity
from model.analyses import screening as screening_model
from model.analyses import what_it_takes as what_it_takes_model
from model.analyses.compare import Comparison
from model.core.equilibrium import Solution, solve_game
from model.core.game import Game, compile_game
from model.analyses.montecarlo import MonteCarlo
from model.analyses.normal_form import NormalForm, normal_form_game
from model.analyses.screening import Screening
from model.analyses.sensitivity import OneWay, RegionMap, Tornado
from model.analyses.steps import Step, steps_game
from model.analyses.sweep import Path as Play
from model.analyses.sweep import Grid, option_values, sweep_game
from model.analyses.thresholds import Threshold, thresholds_game
from model.analyses.what_it_takes import WhatItTakes

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DEFAULT = "default"
CACHE = dict(max_entries=512, show_spinner=False)

Values = tuple[tuple[str, float], ...]


def shipped_names() -> list[str]:
    """The shipped scenarios, default first."""
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    return sorted(names, key=lambda n: (n != DEFAULT, n))


@st.cache_resource(max_entries=64, show_spinner=False)
def shipped(name: str) -> Scenario:
    if name not in shipped_names():
        raise ScenarioError(f"no shipped scenario called {name!r}; shipped: {', '.join(shipped_names())}")
    path = SCENARIO_DIR / f"{name}.toml"
    return loads_scenario(path.read_bytes(), name=path.name)


@st.cache_resource(max_entries=64, show_spinner=False)
def uploaded(data: bytes, name: str) -> Scenario:
    return loads_scenario(data, name=name)


def upload_key(data: bytes) -> str:
    return "upload:" + hashlib.sha256(data).hexdigest()[:16]


@st.cache_resource(max_entries=64, show_spinner=False)
def game(key: str, _scenario: Scenario) -> Game:
    return compile_game(_scenario)


@st.cache_data(**CACHE)
def solution(key: str, _scenario: Scenario, values: Values) -> Solution:
    return solve_game(game(key, _scenario), dict(values))


@st.cache_data(**CACHE)
def flip_thresholds(key: str, _scenario: Scenario, values: Values) -> tuple[Threshold, ...]:
    return thresholds_game(game(key, _scenario), dict(values))


@st.cache_data(**CACHE)
def option_curves(key: str, _scenario: Scenario, values: Values, parameter: str, node: str,
                  points: int = 101) -> tuple[np.ndarray, np.ndarray]:
    """``(xs, values)``: each option's value to the mover at ``node`` across ``parameter``'s range."""
    g = game(key, _scenario)
    p = _scenario.parameter(parameter)
    others = {k: v for k, v in values if k != parameter}
    result = sweep_game(g, {parameter: Grid(p.min, p.max, points)}, values=others, detail=True)
    return result.points[parameter], option_values(g, result, node)


# -- analyses (the Sensitivity and Uncertainty pages) ------------------------------------------------
# Region maps hold a 200 x 200 grid each, so fewer of them are kept.
BIG = dict(max_entries=64, show_spinner=False)


@st.cache_data(**CACHE)
def one_way(key: str, _scenario: Scenario, values: Values, parameter: str, points: int = 201) -> OneWay:
    return sensitivity.one_way(_scenario, parameter=parameter, points=points, values=dict(values),
                               game=game(key, _scenario))


@st.cache_data(**BIG)
def region_map(key: str, _scenario: Scenario, values: Values, x: str, y: str, points: int = 200) -> RegionMap:
    return sensitivity.region_map(_scenario, x=x, y=y, points=points, values=dict(values), game=game(key, _scenario))


@st.cache_data(**CACHE)
def tornado(key: str, _scenario: Scenario, values: Values) -> Tornado:
    return sensitivity.tornado(_scenario, values=dict(values), game=game(key, _scenario))


@st.cache_data(**BIG)
def monte_carlo(key: str, _scenario: Scenario, values: Values, draws: int, seed: int, mode: str, spread: float,
                concentration: float | None) -> MonteCarlo:
    return montecarlo.monte_carlo(_scenario, draws=draws, seed=seed, mode=mode, spread=spread,
                                  concentration=concentration, values=dict(values), game=game(key, _scenario))


@st.cache_data(**CACHE)
def plays(key: str, _scenario: Scenario) -> tuple[Play, ...]:
    return what_it_takes_model.plays(_scenario)


@st.cache_data(**CACHE)
def what_it_takes(key: str, _scenario: Scenario, values: Values, target: Play,
                  unlocked: tuple[str, ...]) -> WhatItTakes:
    return what_it_takes_model.what_it_takes(_scenario, target=target, unlocked=unlocked, values=dict(values),
                                             game=game(key, _scenario))


@st.cache_data(**CACHE)
def screening(key: str, _scenario: Scenario, values: Values) -> Screening:
    return screening_model.screen(_scenario, values=dict(values), game=game(key, _scenario))


# -- teaching (strategic form, step by step, compare, lesson facts, handouts) ------------------------


@st.cache_data(**CACHE)
def strategic_form(key: str, _scenario: Scenario, values: Values) -> NormalForm:
    return normal_form_game(game(key, _scenario), dict(values))


@st.cache_data(**CACHE)
def backward_steps(key: str, _scenario: Scenario, values: Values) -> tuple[tuple[Step, ...], Solution]:
    """Backward induction one node at a time, and the solution it arrives at."""
    return steps_game(game(key, _scenario), dict(values))


@st.cache_data(**CACHE)
def comparison(key_a: str, _a: Scenario, values_a: Values, key_b: str, _b: Scenario, values_b: Values) -> Comparison:
    """How scenario B (at ``values_b``) differs from scenario A (at ``values_a``)."""
    return compare_model.compare(_a.with_values(dict(values_a)), _b.with_values(dict(values_b)))


@st.cache_data(**CACHE)
def lesson_facts(key: str, _scenario: Scenario, values: Values, names: tuple[str, ...]) -> tuple[str, ...]:
    """The live figures of a lesson step (``names``: its ``facts``) on a scenario at ``values``."""
    from . import lesson  # content-driven; imported where it is used

    return tuple(lesson.facts({"facts": list(names)}, _scenario.with_values(dict(values)), shipped))


@st.cache_data(**CACHE)
def handout_html(key: str, _scenario: Scenario, values: Values) -> str:
    return report.handout_html(_scenario, values=dict(values))


@st.cache_data(**CACHE)
def handout_markdown(key: str, _scenario: Scenario, values: Values, figure: str) -> tuple[str, dict[str, bytes]]:
    return report.handout_markdown(_scenario, values=dict(values), figure=figure)
