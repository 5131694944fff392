"""Charts as pure functions from model results to a figure (Graphviz DOT text or an Altair chart).

Colours come from the Okabe-Ito palette (safe for colour-blind readers); the equilibrium is always
marked by more than colour (thick lines and a star).
"""

from __future__ import annotations

import textwrap

import altair as alt
import numpy as np
import pandas as pd

from model import Scenario, Solution
from model.explanations import fmt
from model.thresholds import Threshold

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
ON_PATH = "#0072B2"
PREFERRED = "#555555"
OTHER = "#BBBBBB"
STAR = "\u2605 "


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(text: str, width: int = 24) -> str:
    return "\n".join("\n".join(textwrap.wrap(line, width)) or line for line in text.split("\n"))


def tree_dot(scenario: Scenario, solution: Solution, *, reveal: bool = True) -> str:
    """The game tree in DOT: decisions as boxes (mover, choice, margin), chance nodes as ellipses,
    outcomes with every player's utility; the equilibrium path thick, blue and starred.

    With ``reveal=False`` the tree is drawn without any choice, value or highlight (presenter mode).
    """
    reach = dict(solution.reach)
    values = dict(solution.node_values)
    choice = {c.node: c for c in solution.choices}
    names = [p.name for p in scenario.players]
    lines = ["digraph G {", 'rankdir=TB; bgcolor="transparent"; nodesep=0.3; ranksep=0.45;',
             'node [fontname="Helvetica", fontsize=12]; edge [fontname="Helvetica", fontsize=11];']
    for node in scenario.nodes:
        on = reveal and reach.get(node.id, 0.0) > 0
        width = 2.5 if on else 1.0
        if node.kind == "decision":
            who = scenario.player(node.player).name
            text = _wrap(f"{who}: {node.label or node.id}")
            if reveal:
                c = choice[node.id]
                chosen = next(a.label for a in node.actions if a.id == c.action)
                margin = "tie" if c.ties else ("only option" if c.margin is None else f"margin {fmt(c.margin)}")
                text += "\n" + _wrap((STAR if on else "") + f"prefers: {chosen} ({margin})")
            lines.append(f'{_q(node.id)} [shape=box, style="rounded,filled", fillcolor="#F2F2F2", '
                         f'penwidth={width}, color="{ON_PATH if on else "#444444"}", label={_q(text)}];')
        elif node.kind == "chance":
            lines.append(f'{_q(node.id)} [shape=ellipse, style="dashed", penwidth={width}, '
                         f'label={_q(_wrap("Chance: " + (node.label or node.id)))}];')
        else:
            text = _wrap(node.label or node.id, 22)
            if reveal:
                text += "\n" + ", ".join(f"{n} {fmt(v)}" for n, v in zip(names, values[node.id]))
            lines.append(f'{_q(node.id)} [shape=note, penwidth={width}, color="{ON_PATH if on else "#444444"}", '
                         f'label={_q(text)}];')
    for node in scenario.nodes:
        if node.kind == "outcome":
            continue
        for a in node.actions:
            label = a.label
            if node.kind == "chance":
                label += f" ({fmt(solution.probabilities(node.id)[a.id])})"
            style, color, width = "solid", OTHER, 1.0
            if reveal and node.kind == "decision" and choice[node.id].action == a.id:
                on = reach.get(a.next, 0.0) > 0
                style, color, width = ("bold", ON_PATH, 3.5) if on else ("dashed", PREFERRED, 2.0)
                label = (STAR if on else "") + label
            elif reveal and node.kind == "chance" and reach.get(a.next, 0.0) > 0:
                style, color, width = "bold", ON_PATH, 2.5
            lines.append(f'{_q(node.id)} -> {_q(a.next)} [label={_q(_wrap(label, 18))}, style={style}, color="{color}", '
                         f'penwidth={width}];')
    lines.append("}")
    return "\n".join(lines)


def option_chart(*, xs: np.ndarray, values: np.ndarray, labels: list[str], current: float,
                 crossings: list[Threshold], parameter_label: str, mover: str) -> alt.Chart:
    """Each option's value to the mover across a parameter's range, the flips and the current value."""
    frame = pd.DataFrame({
        "x": np.tile(xs, len(labels)),
        "value": values.reshape(-1),
        "option": np.repeat(labels, len(xs)),
    })
    color = alt.Color("option:N", title="Option", scale=alt.Scale(domain=labels, range=OKABE_ITO[: len(labels)]),
                      legend=alt.Legend(orient="bottom", labelLimit=400))
    lines = alt.Chart(frame).mark_line(strokeWidth=3).encode(
        x=alt.X("x:Q", title=parameter_label),
        y=alt.Y("value:Q", title=f"Value to {mover}"),
        color=color,
        strokeDash=alt.StrokeDash("option:N", legend=None),
        tooltip=[alt.Tooltip("option:N"), alt.Tooltip("x:Q", format=".3f"), alt.Tooltip("value:Q", format=".3f")],
    )
    now = alt.Chart(pd.DataFrame({"x": [current], "what": ["current value"]})).mark_rule(
        color="black", strokeDash=[6, 3], strokeWidth=2).encode(x="x:Q", tooltip=["what:N", alt.Tooltip("x:Q")])
    layers = [lines, now]
    if crossings:
        cross = pd.DataFrame({"x": [t.value for t in crossings], "what": ["flip"] * len(crossings)})
        layers.append(alt.Chart(cross).mark_rule(color="#D55E00", strokeWidth=2).encode(
            x="x:Q", tooltip=["what:N", alt.Tooltip("x:Q", format=".4f")]))
    return alt.layer(*layers).properties(height=320)
