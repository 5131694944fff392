"""Tornado: each slider at the low and the high end of its range, the others held: how far each side's
equilibrium utility swings, largest first, and whether the play changes at an end."""

from __future__ import annotations

import streamlit as st

from model import Scenario, ScenarioError, Tornado, tornado

from ui import charts, exports, tables
from ui import model_calls as mc

ID = "tornado"
TITLE = "Tornado"
PAGE = "sensitivity"
ORDER = 30


def tornado_rows(scenario: Scenario, t: Tornado) -> tables.Rows:
    """Per parameter (largest swing first): its range, each side's utility at both ends and the swing,
    and whether the equilibrium play changes at an end."""
    labels = tables.play_labels(scenario, t.paths)
    names = [tables.name(scenario, p) for p in t.players]
    out = []
    for b in t.bars:
        row = {"Parameter": scenario.parameter(b.parameter).label, "Minimum": b.low, "Maximum": b.high}
        for n, lo, hi, s in zip(names, b.utility_low, b.utility_high, b.swing):
            row |= {f"{n}: utility at the minimum": lo, f"{n}: utility at the maximum": hi, f"{n}: swing": s}
        row |= {"Changes the outcome": b.changes_outcome, "Play at the minimum": labels[b.path_low],
                "Play at the maximum": labels[b.path_high]}
        out.append(row)
    return out


def tornado_chart_rows(scenario: Scenario, t: Tornado) -> tables.Rows:
    """The rows ``tornado_chart`` draws: one per parameter and side."""
    names = [tables.name(scenario, p) for p in t.players]
    out = []
    for b in t.bars:
        label = scenario.parameter(b.parameter).label + (" (changes the outcome)" if b.changes_outcome else "")
        for n, lo, hi, base in zip(names, b.utility_low, b.utility_high, t.base):
            out.append({"parameter": label, "side": n, "low": lo, "high": hi, "base": base,
                        "changes": b.changes_outcome})
    return out


def tornado_chart(*, rows: list[dict], players: list[str]) -> dict:
    """Each parameter from the low to the high end of its range: the span of each side's equilibrium
    utility (one bar per side, sorted by the largest swing); the low end a circle, the high end a
    triangle; bars where the equilibrium play changes are solid and outlined, the others faint, and
    their names say "changes the outcome".

    ``rows``: one per parameter and side, with ``parameter`` (the display name, in sorted order),
    ``side``, ``low``, ``high`` (utilities at the two ends), ``base`` (now) and ``changes`` (bool)."""
    order = list(dict.fromkeys(r["parameter"] for r in rows))
    data = [{**r, "start": min(r["low"], r["high"]), "end": max(r["low"], r["high"]),
             "outcome": "changes at an end of the range" if r["changes"] else "the same across the range"}
            for r in rows]
    ends = [{"parameter": r["parameter"], "side": r["side"], "utility": r[k], "end": label}
            for r in rows for k, label in (("low", "slider at its minimum"), ("high", "slider at its maximum"))]
    y = {"field": "parameter", "type": "nominal", "sort": order, "title": None,
         "axis": {"labelLimit": 420, "labelFontSize": 12}}
    colours = {"scale": {"domain": players, "range": charts.OKABE_ITO[: len(players)]}}
    return {
        "$schema": charts.SCHEMA,
        "height": {"step": 13},  # per side's bar (the offset band), so about 30 px a parameter
        "layer": [
            {
                "data": {"values": data},
                "mark": {"type": "bar", "height": {"band": 0.9}, "stroke": charts.OKABE_ITO[7]},
                "encoding": {
                    "y": y, "yOffset": {"field": "side", "type": "nominal", "sort": players},
                    "x": {"field": "start", "type": "quantitative",
                          "title": "Equilibrium utility with the slider at the ends of its range"},
                    "x2": {"field": "end"},
                    "color": {"field": "side", "type": "nominal", "title": "Side", **colours,
                              "legend": {"orient": "bottom"}},
                    "opacity": {"field": "outcome", "type": "nominal", "title": "Equilibrium play",
                                "scale": {"domain": ["changes at an end of the range", "the same across the range"],
                                          "range": [1.0, 0.35]}, "legend": {"orient": "bottom", "labelLimit": 400}},
                    "strokeWidth": {"field": "outcome", "type": "nominal", "title": "Equilibrium play",
                                    "scale": {"domain": ["changes at an end of the range",
                                                         "the same across the range"], "range": [1.5, 0]},
                                    "legend": {"orient": "bottom", "labelLimit": 400}},
                    "tooltip": [{"field": "parameter", "type": "nominal"}, {"field": "side", "type": "nominal"},
                                {"field": "low", "type": "quantitative", "format": ".3f", "title": "at the minimum"},
                                {"field": "high", "type": "quantitative", "format": ".3f", "title": "at the maximum"},
                                {"field": "outcome", "type": "nominal", "title": "equilibrium play"}],
                },
            },
            {
                "data": {"values": ends},
                "mark": {"type": "point", "filled": True, "size": 60, "color": charts.OKABE_ITO[7]},
                "encoding": {
                    "y": y, "yOffset": {"field": "side", "type": "nominal", "sort": players},
                    "x": {"field": "utility", "type": "quantitative"},
                    "shape": {"field": "end", "type": "nominal", "title": "Marked",
                              "scale": {"domain": ["slider at its minimum", "slider at its maximum"],
                                        "range": ["circle", "triangle-right"]}, "legend": {"orient": "bottom"}},
                },
            },
            {
                "data": {"values": data},
                "mark": {"type": "tick", "thickness": 2, "color": charts.OKABE_ITO[7], "opacity": 0.8},
                "encoding": {"y": y, "yOffset": {"field": "side", "type": "nominal", "sort": players},
                             "x": {"field": "base", "type": "quantitative"},
                             "tooltip": [{"field": "side", "type": "nominal"},
                                         {"field": "base", "type": "quantitative", "format": ".3f",
                                          "title": "now"}]},
            },
        ],
    }


def draw(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    st.markdown("Each slider set to the low and then the high end of its range, the others held at their "
                "current values: how far each side's equilibrium utility swings. Largest swing first; solid, "
                "outlined bars and \u201c(changes the outcome)\u201d: the equilibrium play differs at an end.")
    try:
        t = mc.run(tornado, key, scenario, values)
    except ScenarioError as err:
        st.error(str(err))
        return
    stem = f"{exports.file_stem(key)}-tornado"
    names = [scenario.player(p).name for p in t.players]
    exports.chart(tornado_chart(rows=tornado_chart_rows(scenario, t), players=names), file_stem=stem,
                  alt="Tornado chart: for each slider, the span of each side's equilibrium utility between the ends "
                      "of its range, sorted by the largest swing; bars that change the outcome are solid.")
    exports.table(tornado_rows(scenario, t), file_name=f"{stem}.csv")
