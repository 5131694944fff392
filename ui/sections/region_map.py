"""Region map: two sliders on a 200 x 200 grid, each region numbered and coloured by its equilibrium
play, the current values marked."""

from __future__ import annotations

import numpy as np
import streamlit as st

from model import RegionMap, Scenario, ScenarioError, region_map, thresholds, tornado

from ui import charts, exports, state, tables
from ui import model_calls as mc
from ui.sections import common

ID = "region_map"
TITLE = "Region map"
PAGE = "sensitivity"
ORDER = 20


def region_summary(scenario: Scenario, rm: RegionMap) -> tables.Rows:
    """Each region of the map: its number, the play in words, its share of the map, and whether the
    current values lie in it."""
    labels = tables.play_labels(scenario, rm.paths)
    counts = np.bincount(rm.path.ravel(), minlength=len(rm.paths))
    return [{"Region": k + 1, tables.PLAY: labels[k], "Share of the map": float(counts[k] / rm.path.size),
             "Current values here": k == rm.current_path}
            for k in range(len(rm.paths)) if counts[k] or k == rm.current_path]


def region_grid(scenario: Scenario, rm: RegionMap) -> tables.Rows:
    """Every cell of the map (for download: 40,000 rows on a 200 x 200 grid)."""
    labels = tables.play_labels(scenario, rm.paths)
    lx, ly = scenario.parameter(rm.x).label, scenario.parameter(rm.y).label
    return [{lx: float(x), ly: float(y), "Region": int(rm.path[j, i]) + 1, tables.PLAY: labels[int(rm.path[j, i])]}
            for j, y in enumerate(rm.ys) for i, x in enumerate(rm.xs)]


def region_grid_csv(scenario: Scenario, rm: RegionMap) -> bytes:
    return tables.csv_bytes(region_grid(scenario, rm))


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges around grid points: midpoints between them, the outer edges on the range's ends."""
    mid = (centres[1:] + centres[:-1]) / 2
    return np.concatenate([[centres[0]], mid, [centres[-1]]])


def region_cells(xs: np.ndarray, ys: np.ndarray, grid: np.ndarray) -> list[tuple[float, float, float, float, int]]:
    """The map as few rectangles: runs of equal cells along x, merged over identical rows of the grid
    (a 200 x 200 map becomes a few hundred rectangles instead of 40,000, with the same picture)."""
    ex, ey = _edges(np.asarray(xs, float)), _edges(np.asarray(ys, float))
    out = []
    j = 0
    ny = grid.shape[0]
    while j < ny:
        k = j + 1
        while k < ny and np.array_equal(grid[k], grid[j]):
            k += 1
        row = grid[j]
        starts = np.concatenate([[0], np.flatnonzero(np.diff(row)) + 1])
        stops = np.concatenate([starts[1:], [row.size]])
        for a, b in zip(starts, stops):
            out.append((float(ex[a]), float(ex[b]), float(ey[j]), float(ey[k]), int(row[a])))
        j = k
    return out


def region_label_points(xs: np.ndarray, ys: np.ndarray, grid: np.ndarray) -> list[tuple[float, float, int]]:
    """One point inside each region to write its number: the cell nearest the region's centroid."""
    out = []
    iy, ix = np.indices(grid.shape)
    for k in np.unique(grid):
        mask = grid == k
        cy, cx = iy[mask].mean(), ix[mask].mean()
        d = (iy - cy) ** 2 + (ix - cx) ** 2
        d[~mask] = np.inf
        j, i = np.unravel_index(int(np.argmin(d)), grid.shape)
        out.append((float(xs[i]), float(ys[j]), int(k)))
    return out


def region_chart(*, xs: np.ndarray, ys: np.ndarray, grid: np.ndarray, play_labels: list[str],
                 current: tuple[float, float], current_play: int, x_label: str, y_label: str,
                 legend: str = "Equilibrium play") -> dict:
    """Two parameters on a grid, each cell coloured by its equilibrium play (and each region numbered,
    named in the legend); the current values are a black diamond."""
    names = charts.numbered(play_labels)
    used = sorted({int(k) for k in np.unique(grid)} | {current_play})
    rects = [{"x": x0, "x2": x1, "y": y0, "y2": y1, "play": names[k]}
             for x0, x1, y0, y1, k in region_cells(xs, ys, grid)]
    labels = [{"x": x, "y": y, "number": str(k + 1)} for x, y, k in region_label_points(xs, ys, grid)]
    now = [{"x": float(current[0]), "y": float(current[1]), "play": names[current_play], "what": "current values"}]
    return {
        "$schema": charts.SCHEMA,
        "height": 460,
        "layer": [
            {
                "data": {"values": rects},
                "mark": {"type": "rect", "strokeWidth": 0.6},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "title": x_label, "scale": {"nice": False}},
                    "x2": {"field": "x2"},
                    "y": {"field": "y", "type": "quantitative", "title": y_label, "scale": {"nice": False}},
                    "y2": {"field": "y2"},
                    "color": {"field": "play", "type": "nominal",
                              "scale": {"domain": [names[k] for k in used],
                                        "range": [charts.BANDS[k % len(charts.BANDS)] for k in used]},
                              "legend": charts.bottom_legend(legend)},
                    # the same colour as an outline closes the hairline seams between neighbouring rectangles
                    "stroke": {"field": "play", "type": "nominal", "legend": None,
                               "scale": {"domain": [names[k] for k in used],
                                         "range": [charts.BANDS[k % len(charts.BANDS)] for k in used]}},
                    "tooltip": [{"field": "play", "type": "nominal", "title": legend}],
                },
            },
            {
                "data": {"values": labels},
                "mark": {"type": "circle", "size": 500, "color": "white", "opacity": 0.85},
                "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}},
            },
            {
                "data": {"values": labels},
                "mark": {"type": "text", "fontSize": 15, "fontWeight": "bold", "color": charts.OKABE_ITO[7]},
                "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
                             "text": {"field": "number"}},
            },
            {
                "data": {"values": now},
                "mark": {"type": "point", "shape": "diamond", "size": 260, "filled": True, "color": charts.OKABE_ITO[7],
                         "stroke": "white", "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
                    "tooltip": [{"field": "what", "type": "nominal"}, {"field": "play", "type": "nominal"},
                                {"field": "x", "type": "quantitative", "format": ".3f", "title": x_label},
                                {"field": "y", "type": "quantitative", "format": ".3f", "title": y_label}],
                },
            },
        ],
    }


def draw(key: str, scenario: Scenario, values: dict[str, float]) -> None:
    params = {p.id: p for p in common.movable(scenario)}
    if len(params) < 2:
        st.info("A region map needs two parameters with a range; this scenario has one.")
        return
    st.markdown("Two sliders at once on a 200 \u00d7 200 grid, the others held at their current values: each "
                "region is numbered and coloured by its equilibrium play. \u25c6 marks the current values.")
    found = mc.run(thresholds, key, scenario, values)
    try:
        swing = [b.parameter for b in mc.run(tornado, key, scenario, values).bars]
    except ScenarioError:
        swing = []
    dx, dy = common.two_that_matter(scenario, values, found, swing)
    ids = list(params)
    c1, c2 = st.columns(2)
    state.keep_valid(state.section_key(ID, "x"), ids)
    x = c1.selectbox("Across (x)", ids, index=ids.index(dx), key=state.section_key(ID, "x"), persist_state="session",
                     format_func=lambda i: common.title(params[i]),
                     help="Preselected: two sliders with an equilibrium flip near their current values.")
    ys = [i for i in ids if i != x]
    state.keep_valid(state.section_key(ID, "y"), ys)
    y = c2.selectbox("Up (y)", ys, index=ys.index(dy) if dy in ys else 0, key=state.section_key(ID, "y"),
                     persist_state="session", format_func=lambda i: common.title(params[i]))
    c1.caption(params[x].description)
    c2.caption(params[y].description)
    try:
        rm = mc.run(region_map, key, scenario, values, big=True, x=x, y=y)
    except ScenarioError as err:
        st.error(str(err))
        return
    labels = tables.play_labels(scenario, rm.paths)
    spec = region_chart(xs=rm.xs, ys=rm.ys, grid=rm.path, play_labels=labels, current=rm.current,
                               current_play=rm.current_path, x_label=common.title(params[x]),
                       y_label=common.title(params[y]))
    stem = f"{exports.file_stem(key)}-region-{x}-{y}"
    exports.chart(spec, file_stem=stem, alt=f"Map of the equilibrium play over {params[x].label} and "
                  f"{params[y].label}; each region numbered and named in the legend; the current values a diamond.")
    exports.table(region_summary(scenario, rm), file_name=f"{stem}-regions.csv",
                  column_config={"Share of the map": st.column_config.NumberColumn(**common.PCT)})
    st.download_button("Download every cell of the map (CSV)", common.deferred(region_grid_csv, scenario, rm),
                       file_name=f"{stem}-grid.csv", mime="text/csv", on_click="ignore", icon=":material/download:")
