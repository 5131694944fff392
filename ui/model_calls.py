"""Every model call the app makes, cached. Cached functions depend only on their arguments.

Scenarios are immutable resources (``st.cache_resource``; each compiles its game once). Every
analysis goes through one cached call, ``run(fn, key, scenario, values, **options)``: ``fn`` is
any model function of the form ``fn(scenario, /, *, values=..., **options)``, cached by its name,
the scenario's source key, the slider values and the options (the scenario object itself is passed
unhashed, because the key already identifies it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import streamlit as st

from model import Grid, Scenario, ScenarioError, loads_scenario, option_values, sweep

from . import sources

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
CACHE = dict(max_entries=512, show_spinner=False)
BIG = dict(max_entries=64, show_spinner=False)  # results that hold a large grid or many draws

Values = tuple[tuple[str, float], ...]


def shipped_names() -> list[str]:
    """The shipped scenarios, default first."""
    names = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    return sorted(names, key=lambda n: (n != sources.DEFAULT, n))


@st.cache_resource(max_entries=64, show_spinner=False)
def shipped(name: str) -> Scenario:
    if name not in shipped_names():
        raise ScenarioError(f"no shipped scenario called {name!r}; shipped: {', '.join(shipped_names())}")
    path = SCENARIO_DIR / f"{name}.toml"
    return loads_scenario(path.read_bytes(), name=path.name)


@st.cache_resource(max_entries=64, show_spinner=False)
def uploaded(data: bytes, name: str) -> Scenario:
    return loads_scenario(data, name=name)


def run(fn: Callable[..., Any], key: str, scenario: Scenario, values: Mapping[str, float] | Values, *,
        big: bool = False, shared: bool = False, unhashed: Mapping[str, Any] | None = None, **options: Any) -> Any:
    """``fn(scenario, values=values, **options, **unhashed)``, cached (``big``: in the smaller cache for
    large results). ``unhashed`` options (another scenario, say) are left out of the cache key, so
    ``key`` must identify them too. ``shared``: for a result nobody can change (frozen records, read-only
    arrays): every session gets the same object, neither pickled when stored nor copied when read (the
    Explore page's calls, on every slider move of a class)."""
    frozen = tuple(values.items()) if isinstance(values, Mapping) else tuple(values)
    ordered = tuple(sorted(options.items()))
    cached = _shared if shared else _big if big else _small
    # The cache key is one string: the function's name, the source key, the values and the options, written
    # exactly (repr keeps every digit of a float). Streamlit hashes a string at once, where hashing the tuples
    # object by object cost about as much as a solve on every call.
    token = repr((f"{fn.__module__}.{fn.__qualname__}", key, frozen, ordered))
    return cached(token, scenario, frozen, ordered, fn, dict(unhashed or {}))


@st.cache_data(**CACHE)
def _small(token: str, _scenario: Scenario, _values: Values, _options: tuple, _fn: Callable, _unhashed: dict) -> Any:
    return _fn(_scenario, values=dict(_values), **dict(_options), **_unhashed)


@st.cache_resource(**CACHE)
def _shared(token: str, _scenario: Scenario, _values: Values, _options: tuple, _fn: Callable, _unhashed: dict) -> Any:
    return _fn(_scenario, values=dict(_values), **dict(_options), **_unhashed)


@st.cache_data(**BIG)
def _big(token: str, _scenario: Scenario, _values: Values, _options: tuple, _fn: Callable, _unhashed: dict) -> Any:
    return _fn(_scenario, values=dict(_values), **dict(_options), **_unhashed)


def option_curves(scenario: Scenario, *, values: Mapping[str, float], parameter: str, node: str,
                  points: int = 101) -> tuple[np.ndarray, np.ndarray]:
    """``(xs, values)``: each option's value to the mover at ``node`` across ``parameter``'s range
    (called through ``run``)."""
    p = scenario.parameter(parameter)
    others = {k: v for k, v in values.items() if k != parameter}
    result = sweep(scenario, vary={parameter: Grid(p.min, p.max, points)}, values=others, detail=True)
    xs, curves = np.array(result.points[parameter]), np.array(option_values(scenario, result, node))
    xs.flags.writeable = curves.flags.writeable = False  # shared between sessions (``run(..., shared=True)``)
    return xs, curves
