"""The live class's figures and tables as pure functions (no Streamlit calls): the class map (the model's
region map of two parameters with each student's own point on it), the plays of the class's own
assumptions, and the spread of each parameter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from model import RegionMap, Scenario

from ui import charts, tables
from ui.sections.region_map import region_chart

from .classroom import PlayShare, Spread


def class_map(scenario: Scenario, rm: RegionMap, *, seats: Sequence[int], xs: Sequence[float],
              ys: Sequence[float], x_label: str, y_label: str) -> dict:
    """The region map of ``rm`` (regions numbered and named in the legend, the class's values a diamond) with
    one white-ringed dot per student at its own values (tooltips name the seat, never the nickname)."""
    spec = region_chart(xs=rm.xs, ys=rm.ys, grid=rm.path, play_labels=tables.play_labels(scenario, rm.paths),
                        current=rm.current, current_play=rm.current_path, x_label=x_label, y_label=y_label)
    dots = [{"x": float(x), "y": float(y), "who": f"student {seat}"} for seat, x, y in zip(seats, xs, ys)]
    spec["layer"].append({
        "data": {"values": dots},
        "mark": {"type": "circle", "size": 190, "color": charts.OKABE_ITO[5], "stroke": "white", "strokeWidth": 1.5,
                 "opacity": 0.9},
        "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
                     "tooltip": [{"field": "who", "type": "nominal", "title": "Own values of"},
                                 {"field": "x", "type": "quantitative", "format": ".3f", "title": x_label},
                                 {"field": "y", "type": "quantitative", "format": ".3f", "title": y_label}]},
    })
    return spec


def own_play_sentence(labels: Sequence[str], shares: Sequence[PlayShare], students: int) -> str:
    """"With their own assumptions, 62% of the class (18 of 29) get: <play>; the model's values do too.\""""
    top = shares[0]
    model = next(s for s in shares if s.model)
    where = ("the model's values lead there too" if top.model
             else f"the model's values lead to another play: {labels[model.play]}")
    return (f"With their own assumptions, {100 * top.share:.0f}% of the class ({top.count} of {students}) get: "
            f"{labels[top.play]}; {where}.")


def share_rows(labels: Sequence[str], shares: Sequence[PlayShare]) -> tables.Rows:
    """One row per equilibrium play that any student's assumptions (or the model's values) lead to."""
    return [{tables.PLAY: labels[s.play], "Students": s.count, "Share of the class": s.share,
             "The model's values": "\u25c6 this play" if s.model else ""} for s in shares]


def spread_rows(scenario: Scenario, spreads: Sequence[Spread]) -> tables.Rows:
    """The spread of each parameter the students set: how many set it, its quartiles, and the model's value."""
    return [{"Parameter": scenario.parameter(s.parameter).label, "Students": s.n, "Lowest": s.low, "25%": s.q1,
             "Median": s.median, "75%": s.q3, "Highest": s.high, "The model's value": s.model} for s in spreads]


def spread_chart(scenario: Scenario, points, names: Sequence[str], values: Mapping[str, float]) -> dict:
    """Each parameter the students set on its own row: one tick per student, the model's value a diamond."""
    ticks = [{"parameter": scenario.parameter(n).label, "value": float(v)}
             for p in points for n, v in p.values if n in names]
    model = [{"parameter": scenario.parameter(n).label, "value": float(values[n]), "what": "the model's value"}
             for n in names]
    y = {"field": "parameter", "type": "nominal", "title": None, "sort": [scenario.parameter(n).label for n in names],
         "axis": {"labelLimit": 400}}
    return {
        "$schema": charts.SCHEMA,
        "layer": [
            {"data": {"values": ticks}, "mark": {"type": "tick", "thickness": 2, "size": 22, "opacity": 0.55,
                                                   "color": charts.OKABE_ITO[0]},
             "encoding": {"x": {"field": "value", "type": "quantitative", "title": "Students' own values"}, "y": y}},
            {"data": {"values": model}, "mark": {"type": "point", "shape": "diamond", "filled": True, "size": 200,
                                                   "color": charts.OKABE_ITO[7]},
             "encoding": {"x": {"field": "value", "type": "quantitative"}, "y": y,
                          "tooltip": [{"field": "what"}, {"field": "value", "format": ".3f"}]}},
        ],
    }

