"""What the sections of the Sensitivity page share: which sliders can move, their titles, the two
worth mapping, a form's last run, and downloads made only when clicked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from model import Parameter, Scenario, Thresholds

from ui import state, tables

PCT = {"format": "percent"}


def movable(scenario: Scenario) -> list[Parameter]:
    """The parameters with a range to move over."""
    return [p for p in scenario.parameters if p.max > p.min]


def weight_ids(scenario: Scenario) -> list[str]:
    """The parameters that are some side's weights (the default sliders to unlock)."""
    used = frozenset().union(*(e.names for p in scenario.players for _, e in p.weights))
    return [p.id for p in movable(scenario) if p.id in used]


def title(p: Parameter) -> str:
    return p.label + (f" ({p.unit})" if p.unit else "")


def two_that_matter(scenario: Scenario, values: Mapping[str, float], found: Thresholds,
                    swing_order: Sequence[str]) -> tuple[str, str]:
    """Two parameters worth mapping: those with a flip of equilibrium play nearest the current values
    (in units of each range), then those with the largest tornado swing, then the rest in file order."""
    params = {p.id: p for p in movable(scenario)}
    near = [t.parameter for t in found.nearest(scenario, values) if t.path_changes and t.parameter in params]
    ranked = list(dict.fromkeys(near + [p for p in swing_order if p in params] + list(params)))
    return ranked[0], ranked[1]


def current_run(run_key: str, key: str, values: dict[str, float]) -> dict | None:
    """The form's last run if it belongs to this scenario and these slider values; else a note, and None."""
    run = state.last_run(run_key)
    if run is None:
        return None
    if run["source"] != key or run["values"] != tuple(values.items()):
        st.info("The scenario or the sliders changed since the last run: press Run for results at the current "
                "values.", icon=":material/refresh:")
        return None
    return run


def deferred(build, *args):
    """A callable for a download button: the bytes are made only when it is clicked."""
    def make() -> bytes:
        out = build(*args)
        return out if isinstance(out, bytes) else tables.csv_bytes(out)
    return make

