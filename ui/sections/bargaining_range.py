"""Bargaining range: for one term of the deal (by default the package's size), each side's surplus of
the kept deal over its best alternative, and where every side prefers the deal (Fearon 1995)."""

from __future__ import annotations

import streamlit as st

from model import BargainingRange, Scenario, ScenarioError, bargaining_range

from ui import charts, exports, state, tables
from ui import model_calls as mc
from ui.sections import common

ID = "bargaining_range"
TITLE = "Bargaining range"
PAGE = "sensitivity"
ORDER = 25
PARAM = state.section_key(ID, "param")


def range_rows(scenario: Scenario, r: BargainingRange) -> tables.Rows:
    """Where each side, and every side, prefers the deal: one row per interval."""
    label = scenario.parameter(r.parameter).label
    rows = [{"Who prefers the deal": tables.name(scenario, s.player), f"{label}: from": a, "to": b}
            for s in r.sides for a, b in s.intervals]
    rows += [{"Who prefers the deal": "Every side (the range)", f"{label}: from": a, "to": b} for a, b in r.intervals]
    return rows


def range_chart(*, xs, surplus, sides: list[str], intervals, current: float, parameter_label: str) -> dict:
    """Each side's surplus of the deal over its best alternative across the term (one line per side,
    told apart by dash and colour); above zero the side prefers the deal. The range where every side
    does is shaded; the current value is a dashed rule."""
    lines = [{"x": float(x), "surplus": float(v), "side": side} for side, row in zip(sides, surplus)
             for x, v in zip(xs, row)]
    bands = [{"from": a, "to": b, "what": "every side prefers the deal"} for a, b in intervals]
    return {
        "$schema": charts.SCHEMA,
        "height": 320,
        "layer": [
            {"data": {"values": bands}, "mark": {"type": "rect", "opacity": 0.25, "color": charts.OKABE_ITO[2]},
             "encoding": {"x": {"field": "from", "type": "quantitative", "title": parameter_label},
                          "x2": {"field": "to"}}},
            {"data": {"values": [{"y": 0}]}, "mark": {"type": "rule", "color": "#333333"},
             "encoding": {"y": {"field": "y", "type": "quantitative"}}},
            {"data": {"values": lines}, "mark": {"type": "line", "strokeWidth": 3},
             "encoding": {"x": {"field": "x", "type": "quantitative"},
                          "y": {"field": "surplus", "type": "quantitative",
                                "title": "Surplus of the deal over the side's best alternative"},
                          "color": {"field": "side", "type": "nominal", "title": "Side",
                                    "scale": {"domain": sides, "range": charts.OKABE_ITO[: len(sides)]},
                                    "legend": {"orient": "bottom"}},
                          "strokeDash": {"field": "side", "type": "nominal",
                                         "scale": {"domain": sides, "range": charts.PLAYER_DASHES[: len(sides)]}},
                          "tooltip": [{"field": "side"}, {"field": "x", "type": "quantitative", "format": ".3f"},
                                      {"field": "surplus", "type": "quantitative", "format": ".3f"}]}},
            {"data": {"values": [{"x": float(current)}]}, "mark": {"type": "rule", "strokeDash": [6, 3],
                                                                     "color": charts.MARK, "strokeWidth": 2},
             "encoding": {"x": {"field": "x", "type": "quantitative"}}},
        ],
    }


def draw(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    if scenario.bargaining is None:
        st.info("This scenario declares no deal to bargain over (a [bargaining] section names the deal's outcome "
                "and each side's alternatives), so there is no bargaining range to show.", icon=":material/info:")
        return
    st.markdown("For one term of the deal, each side's surplus of the kept deal over its best alternative, the "
                "other sliders held at their current values. Above zero a side prefers the deal; the shaded "
                "stretch, where every side does, is the bargaining range.")
    params = {p.id: p for p in common.movable(scenario)}
    ids = list(params)
    default = scenario.bargaining.parameter
    state.keep_valid(PARAM, ids)
    pid = st.selectbox("Term of the deal", ids, index=ids.index(default) if default in ids else 0, key=PARAM,
                       format_func=lambda i: common.title(params[i]), persist_state="session",
                       help="Preselected: the term the scenario bargains over.")
    try:
        r = mc.run(bargaining_range, key, scenario, values, parameter=pid)
    except ScenarioError as err:
        st.error(str(err))
        return
    st.info(r.sentence(scenario), icon=":material/handshake:" if not r.empty else ":material/block:")
    sides = [tables.name(scenario, s.player) for s in r.sides]
    stem = f"{exports.file_stem(key)}-range-{pid}"
    exports.chart(range_chart(xs=r.xs, surplus=r.surplus, sides=sides, intervals=r.intervals, current=r.current,
                              parameter_label=common.title(params[pid])),
                  file_stem=stem, alt=f"Each side's surplus of the deal across {params[pid].label}; the stretch "
                                      "where every side's surplus is above zero is shaded.")
    exports.table(range_rows(scenario, r), file_name=f"{stem}.csv")
    if scenario.bargaining.description:
        st.caption(scenario.bargaining.description)
