"""Charts as pure functions from model results to a figure: SVG text or a Vega-Lite spec.

Colours come from the Okabe-Ito palette (safe for colour-blind readers); the equilibrium is always
marked by more than colour (thick lines and a star; line dashes in the chart).
"""

from __future__ import annotations

import numpy as np

from model import Scenario, Solution, Threshold, fmt, tree_svg

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def tree(scenario: Scenario, solution: Solution, *, reveal: bool = True) -> str:
    """The game tree as inline SVG (laid out in ``model.text.tree_svg``; a static SVG redraws in a few
    milliseconds, where st.graphviz_chart's in-browser re-layout and path tweening took about 220 ms
    of the browser's time on every slider move)."""
    return tree_svg(scenario, solution, reveal=reveal,
                    title="Game tree: the equilibrium path is drawn thick and marked with a star")


# -- analysis charts: sensitivity, Monte Carlo, screening -------------------------------------------

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
BANDS = OKABE_ITO[:7]  # one colour per equilibrium play (black is kept for lines and marks)
MARK = OKABE_ITO[5]  # vermillion: flips and the current value, as in option_chart_svg
PLAYER_DASHES = [[1, 0], [8, 4], [2, 3], [12, 3, 2, 3]]
EXPORT_WIDTH = 760  # px: a chart exported on its own has no container to stretch to
NUMBERED_WIDTH = 0.03  # a band narrower than this share of the range is named in the legend only


def numbered(labels: list[str]) -> list[str]:
    """Legend entries that carry a number as well as a colour: "1 · US: Conditional offer → ..."."""
    return [f"{i} \u00b7 {label}" for i, label in enumerate(labels, start=1)]


def bottom_legend(title: str) -> dict:
    return {"orient": "bottom", "direction": "vertical", "title": title, "labelLimit": 900, "titleLimit": 900}


STAR_MARK = "\u2605 "


def standalone(spec: dict) -> dict:
    """The spec as a picture on its own: a fixed width and a white background."""
    return {"width": EXPORT_WIDTH, "background": "white", **spec}


def export_svg(spec: dict) -> bytes:
    """The chart as SVG, converted offline by vl-convert (no network: external data is refused)."""
    import vl_convert

    return vl_convert.vegalite_to_svg(standalone(spec), allowed_base_urls=[]).encode("utf-8")


def export_png(spec: dict, scale: float = 2) -> bytes:
    """The chart as PNG at ``scale`` times its size, converted offline by vl-convert."""
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(standalone(spec), scale=scale, allowed_base_urls=[]))


DASHES = ["", "8 4", "2 3", "10 3 2 3"]


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    mag = 10 ** np.floor(np.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=raw)
    start = np.ceil(lo / step) * step
    return [float(round(t, 10)) for t in np.arange(start, hi + step * 1e-9, step)]


def option_chart_svg(*, xs: np.ndarray, values: np.ndarray, labels: list[str], current: float,
                     crossings: list[Threshold], parameter_label: str, mover: str) -> str:
    """The Explore page's "how the choice shifts" chart as inline SVG: one line per option (colour and
    dash pattern), flips as solid orange rules, the current value as a dashed black rule. An SVG
    string costs well under a millisecond to build and to send, where a Vega-Lite chart cost ~3 ms
    of server time on every slider move."""
    from html import escape

    width, height, left, right, top, bottom = 760, 300, 56, 16, 34, 44
    x0, x1 = float(xs[0]), float(xs[-1])
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = 0.08 * (hi - lo or 1.0)
    lo, hi = lo - pad, hi + pad

    def px(x: float) -> float:
        return left + (x - x0) / ((x1 - x0) or 1.0) * (width - left - right)

    def py(y: float) -> float:
        return top + (hi - y) / (hi - lo) * (height - top - bottom)

    alt = (f"Each option's value to {mover} across the range of {parameter_label}; flips are solid orange lines, "
           "the current value a dashed black line.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
           f'style="max-width: {width * 1.4:.0f}px" role="img" aria-label="{escape(alt)}" '
           'font-family="Helvetica, Arial, sans-serif" font-size="12">', f"<title>{escape(alt)}</title>"]
    for t in _ticks(lo, hi):
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{py(t):.1f}" y2="{py(t):.1f}" stroke="#E6E6E6"/>'
                   f'<text x="{left - 6}" y="{py(t) + 4:.1f}" text-anchor="end">{fmt(t)}</text>')
    for t in _ticks(x0, x1):
        out.append(f'<text x="{px(t):.1f}" y="{height - bottom + 16}" text-anchor="middle">{t:g}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{height - bottom}" y2="{height - bottom}" stroke="#888"/>')
    out.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 6}" text-anchor="middle">'
               f'{escape(parameter_label)}</text>')
    out.append(f'<text x="14" y="{(top + height - bottom) / 2:.0f}" text-anchor="middle" '
               f'transform="rotate(-90 14 {(top + height - bottom) / 2:.0f})">Value to {escape(mover)}</text>')
    for t in crossings:
        out.append(f'<line x1="{px(t.value):.1f}" x2="{px(t.value):.1f}" y1="{top}" y2="{height - bottom}" '
                   f'stroke="#D55E00" stroke-width="2"/>'
                   f'<text x="{px(t.value) + 3:.1f}" y="{top + 10}" fill="#D55E00">flip {t.value:.3g}</text>')
    out.append(f'<line x1="{px(current):.1f}" x2="{px(current):.1f}" y1="{top}" y2="{height - bottom}" '
               f'stroke="black" stroke-width="2" stroke-dasharray="6 3"/>'
               f'<text x="{px(current) + 3:.1f}" y="{height - bottom - 6}">now {current:g}</text>')
    # every line's points at once (numpy), to one decimal: building them point by point in Python was the
    # chart's main cost on every slider move
    xs_px = np.round(left + (np.asarray(xs, float) - x0) / ((x1 - x0) or 1.0) * (width - left - right), 1)
    ys_px = np.round(top + (hi - np.asarray(values, float)) / (hi - lo) * (height - top - bottom), 1)
    for k, (label, row) in enumerate(zip(labels, ys_px)):
        colour, dash = OKABE_ITO[k % len(OKABE_ITO)], DASHES[k % len(DASHES)]
        points = " ".join(f"{x:g},{y:g}" for x, y in zip(xs_px.tolist(), row.tolist()))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        lx = left + k * 230
        out.append(f'<line x1="{lx}" x2="{lx + 28}" y1="14" y2="14" stroke="{colour}" stroke-width="3"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + f'/><text x="{lx + 34}" y="18">'
                   f'{escape(label[:34])}</text>')
    out.append("</svg>")
    return "".join(out)
