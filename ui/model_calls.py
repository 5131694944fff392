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
from model.equilibrium import Solution, solve_game
from model.game import Game, compile_game
from model.sweep import option_values, sweep_game
from model.thresholds import Threshold, thresholds_game

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
def _game(key: str, _scenario: Scenario) -> Game:
    return compile_game(_scenario)


def game(key: str, scenario: Scenario) -> Game:
    return _game(key, scenario)


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
    result = sweep_game(g, {parameter: (p.min, p.max, points)}, values=others, detail=True)
    return result.points[parameter], option_values(g, result, node)
