"""Charts as pure functions from model results to a figure: SVG text or a Vega-Lite spec.

Colours come from the Okabe-Ito palette (safe for colour-blind readers); the equilibrium is always
marked by more than colour (thick lines and a star; line dashes in the chart).
"""

from __future__ import annotations

import numpy as np

from model import Scenario, Solution
from model.explanations import fmt
from model.thresholds import Threshold
from model.tree_svg import tree_svg

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def tree(scenario: Scenario, solution: Solution, *, reveal: bool = True) -> str:
    """The game tree as inline SVG (laid out in ``model.tree_svg``; a static SVG redraws in a few
    milliseconds, where st.graphviz_chart's in-browser re-layout and path tweening took about 220 ms
    of the browser's time on every slider move)."""
    return tree_svg(scenario, solution, reveal=reveal,
                    title="Game tree: the equilibrium path is drawn thick and marked with a star")


def option_chart(*, xs: np.ndarray, values: np.ndarray, labels: list[str], current: float,
                 crossings: list[Threshold], parameter_label: str, mover: str) -> dict:
    """Each option's value to the mover across a parameter's range, the flips and the current value,
    as a Vega-Lite spec (a plain dict: building it costs well under a millisecond, where the same
    chart through Altair's objects and validation cost about 23 ms a rerun)."""
    rows = [{"x": float(x), "value": float(v), "option": label}
            for label, vs in zip(labels, values) for x, v in zip(xs, vs)]
    marks = [{"x": float(current), "what": "current value"}] + [
        {"x": float(t.value), "what": "flip"} for t in crossings]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "height": 320,
        "layer": [
            {
                "data": {"values": rows},
                "mark": {"type": "line", "strokeWidth": 3},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "title": parameter_label},
                    "y": {"field": "value", "type": "quantitative", "title": f"Value to {mover}"},
                    "color": {"field": "option", "type": "nominal", "title": "Option",
                              "scale": {"domain": labels, "range": OKABE_ITO[: len(labels)]},
                              "legend": {"orient": "bottom", "labelLimit": 400}},
                    "strokeDash": {"field": "option", "type": "nominal", "legend": None},
                    "tooltip": [{"field": "option", "type": "nominal"},
                                {"field": "x", "type": "quantitative", "format": ".3f"},
                                {"field": "value", "type": "quantitative", "format": ".3f"}],
                },
            },
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative"},
                    "color": {"value": "#D55E00"},
                    "strokeDash": {"field": "what", "type": "nominal", "title": "Marked",
                                   "scale": {"domain": ["current value", "flip"], "range": [[6, 3], [1, 0]]},
                                   "legend": {"orient": "bottom"}},
                    "tooltip": [{"field": "what", "type": "nominal"},
                                {"field": "x", "type": "quantitative", "format": ".4f"}],
                },
            },
        ],
    }
