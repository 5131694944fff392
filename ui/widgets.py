"""Sliders built from the scenario's parameter metadata: label, range, step, unit and help come from
the file; the UI never repeats a range or a label."""

from __future__ import annotations

import streamlit as st

from model import Parameter, Scenario, parameter_groups

from . import state


def _format(p: Parameter) -> str:
    decimals = max(0, min(6, len(f"{p.step:.10f}".rstrip("0").split(".")[1]) if p.step < 1 else 0))
    return f"%.{decimals}f" + (f" {p.unit}" if p.unit else "")


def slider(p: Parameter, note: str = "") -> float:
    """A parameter's slider; ``note`` (where its choices flip) follows the label. The widget's identity
    is its key and range, so a changing note never resets it."""
    label = p.label + (f" ({p.unit})" if p.unit else "") + (f" \u00b7 :gray[{note}]" if note else "")
    return float(st.slider(label, min_value=float(p.min), max_value=float(p.max), value=float(p.default),
                           step=float(p.step), format=_format(p), key=state.param_key(p.id), help=p.description,
                           bind="query-params"))


def slider_panel(scenario: Scenario, notes: dict[str, str]) -> dict[str, float]:
    """All sliders, grouped (outcome levels folded away), each labelled with its note; their values."""
    values = {}
    for label, params in parameter_groups(scenario):
        with st.expander(label, expanded=label != "Outcome levels"):
            for p in params:
                values[p.id] = slider(p, notes.get(p.id, ""))
    return values
