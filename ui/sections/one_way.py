"""One-way sensitivity: each side's equilibrium utility as one slider moves across its range, with
bands naming the equilibrium play where it holds, the flips, and the tables behind them."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from model import OneWay, Scenario, ScenarioError, one_way, thresholds

from ui import charts, exports, state, tables
from ui import model_calls as mc
from ui.sections import common

ID = "one_way"
TITLE = "One-way"
PAGE = "sensitivity"
ORDER = 10


def runs(xs: np.ndarray, path: np.ndarray, cuts: Sequence[float] = ()) -> list[tuple[float, float, int]]:
    """Stretches of ``xs`` with one equilibrium play: ``(from, to, play index)``. Where the play changes
    between two grid points the boundary is a flip threshold lying between them, else their midpoint."""
    xs, path = np.asarray(xs, float), np.asarray(path)
    out, start = [], float(xs[0])
    for i in np.flatnonzero(np.diff(path)):
        lo, hi = xs[i], xs[i + 1]
        inside = [c for c in cuts if lo <= c <= hi]
        edge = float(inside[0]) if inside else float((lo + hi) / 2)
        out.append((start, edge, int(path[i])))
        start = edge
    out.append((start, float(xs[-1]), int(path[-1])))
    return out


def one_way_bands(ow: OneWay) -> list[tuple[float, float, int]]:
    return runs(ow.xs, ow.path, [t.value for t in ow.thresholds if t.path_changes])


def one_way_segments(scenario: Scenario, ow: OneWay) -> tables.Rows:
    """Where along the parameter's range each equilibrium play holds."""
    labels = tables.play_labels(scenario, ow.paths)
    label = scenario.parameter(ow.parameter).label
    return [{"Band": k + 1, f"{label}: from": lo, "to": hi, tables.PLAY: labels[k],
             "Holds at the current value": lo <= ow.current <= hi} for lo, hi, k in one_way_bands(ow)]


def one_way_curve(scenario: Scenario, ow: OneWay) -> tables.Rows:
    """Every point of the sweep: the parameter's value, the equilibrium play and each side's utility."""
    labels = tables.play_labels(scenario, ow.paths)
    label = scenario.parameter(ow.parameter).label
    names = [tables.name(scenario, p) for p in ow.players]
    return [{label: float(x), tables.PLAY: labels[int(k)],
             **{f"{n}: equilibrium utility": float(u) for n, u in zip(names, ow.utility[:, j])}}
            for j, (x, k) in enumerate(zip(ow.xs, ow.path))]


def one_way_chart(*, xs: np.ndarray, utility: np.ndarray, players: list[str], bands: list[tuple[float, float, int]],
                  play_labels: list[str], flips: list[float], current: float, parameter_label: str) -> dict:
    """Each side's equilibrium utility across one parameter's range (one line per side, told apart by
    dash and a name at the line's end), over shaded bands that show which equilibrium play holds where
    (colour and a number, named in the legend); flips (solid) and the current value (dashed) marked.

    ``bands`` are ``(from, to, play index)``; ``play_labels`` name the plays by index."""
    names = charts.numbered(play_labels)
    used = sorted({k for _, _, k in bands})
    domain = [names[k] for k in used]
    span = float(xs[-1] - xs[0]) or 1.0
    band_rows = [{"from": float(lo), "to": float(hi), "mid": float((lo + hi) / 2), "play": names[k],
                  "number": str(k + 1) if (hi - lo) >= charts.NUMBERED_WIDTH * span else ""} for lo, hi, k in bands]
    line_rows = [{"x": float(x), "utility": float(u), "side": name}
                 for name, us in zip(players, utility) for x, u in zip(xs, us)]
    ends = [{"x": float(xs[-1]), "utility": float(us[-1]), "side": name} for name, us in zip(players, utility)]
    marks = [{"x": float(current), "what": "current value"}] + [{"x": float(v), "what": "flip"} for v in flips]
    return {
        "$schema": charts.SCHEMA,
        "height": 360,
        "layer": [
            {
                "data": {"values": band_rows},
                "mark": {"type": "rect", "opacity": 0.28},
                "encoding": {
                    "x": {"field": "from", "type": "quantitative", "title": parameter_label},
                    "x2": {"field": "to"},
                    "color": {"field": "play", "type": "nominal", "scale": {"domain": domain, "range": [
                        charts.BANDS[k % len(charts.BANDS)] for k in used]}, "legend": charts.bottom_legend("Equilibrium play (shaded)")},
                    "tooltip": [{"field": "play", "type": "nominal", "title": "Equilibrium play"},
                                {"field": "from", "type": "quantitative", "format": ".4g"},
                                {"field": "to", "type": "quantitative", "format": ".4g"}],
                },
            },
            {
                "data": {"values": band_rows},
                "mark": {"type": "text", "fontSize": 15, "fontWeight": "bold", "baseline": "top", "dy": 4,
                         "color": "#333333"},
                "encoding": {"x": {"field": "mid", "type": "quantitative"}, "y": {"value": 0},
                             "text": {"field": "number"}},
            },
            {
                "data": {"values": line_rows},
                "mark": {"type": "line", "strokeWidth": 3, "color": charts.OKABE_ITO[7]},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative"},
                    "y": {"field": "utility", "type": "quantitative", "title": "Equilibrium utility"},
                    "strokeDash": {"field": "side", "type": "nominal", "title": "Side",
                                   "scale": {"domain": players, "range": charts.PLAYER_DASHES[: len(players)]},
                                   "legend": {"orient": "bottom"}},
                    "tooltip": [{"field": "side", "type": "nominal"},
                                {"field": "x", "type": "quantitative", "format": ".3f", "title": parameter_label},
                                {"field": "utility", "type": "quantitative", "format": ".3f"}],
                },
            },
            {
                "data": {"values": ends},
                "mark": {"type": "text", "align": "right", "baseline": "bottom", "dy": -4, "fontSize": 13,
                         "fontWeight": "bold"},
                "encoding": {"x": {"field": "x", "type": "quantitative"},
                             "y": {"field": "utility", "type": "quantitative"}, "text": {"field": "side"}},
            },
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "strokeWidth": 2, "color": charts.MARK},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative"},
                    "strokeDash": {"field": "what", "type": "nominal", "title": "Marked",
                                   "scale": {"domain": ["current value", "flip"], "range": [[6, 3], [1, 0]]},
                                   "legend": {"orient": "bottom"}},
                    "tooltip": [{"field": "what", "type": "nominal"},
                                {"field": "x", "type": "quantitative", "format": ".4f"}],
                },
            },
        ],
        "resolve": {"scale": {"strokeDash": "independent", "color": "independent"}},
    }


def draw(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    st.markdown("Each side's equilibrium utility as one slider moves across its range, the others held at "
                "their current values. The shading shows which equilibrium play holds where.")
    params = {p.id: p for p in common.movable(scenario)}
    ids = list(params)
    found = mc.run(thresholds, key, scenario, values)
    near = next((t for t in found.nearest(scenario, values) if t.parameter in params), None)
    state.keep_valid(state.section_key(ID, "param"), ids)
    pid = st.selectbox("Slider", ids, index=ids.index(near.parameter) if near else 0, key=state.section_key(ID, "param"),
                       format_func=lambda i: common.title(params[i]), persist_state="session",
                       help="Preselected: the slider with an equilibrium flip nearest its current value.")
    st.caption(params[pid].description)
    try:
        ow = mc.run(one_way, key, scenario, values, parameter=pid)
    except ScenarioError as err:
        st.error(str(err))
        return
    labels = tables.play_labels(scenario, ow.paths)
    spec = one_way_chart(
        xs=ow.xs, utility=ow.utility, players=[scenario.player(p).name for p in ow.players],
        bands=one_way_bands(ow), play_labels=labels, flips=sorted({t.value for t in ow.thresholds}),
        current=ow.current, parameter_label=common.title(params[pid]))
    stem = f"{exports.file_stem(key)}-one-way-{pid}"
    exports.chart(spec, file_stem=stem, alt=f"Each side's equilibrium utility across the range of {params[pid].label}, "
                  "with shaded bands naming the equilibrium play, the flips (solid lines) and the current value "
                  "(dashed line).")
    st.markdown("**Where each equilibrium play holds**")
    exports.table(one_way_segments(scenario, ow), file_name=f"{stem}-bands.csv")
    st.download_button("Download every point of the curve (CSV)", common.deferred(one_way_curve, scenario, ow),
                       file_name=f"{stem}-curve.csv", mime="text/csv", on_click="ignore", icon=":material/download:")
    if ow.thresholds:
        st.markdown("**Every flip in this range** (a side's preferred choice changes; off the equilibrium path "
                    "too)")
        exports.table(tables.flips(scenario, ow.thresholds), file_name=f"{stem}-flips.csv")
    else:
        st.write("No choice flips anywhere in this range.")
